"""`services up --secure` is idempotent and keeps its secrets to itself."""

from __future__ import annotations

import stat

import pytest

from tooling.services.secure_kafka import LocalSecureKafka

pytestmark = pytest.mark.integration


class Recorded:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def step(self, service: str, message: str) -> None:
        self.lines.append(message)


async def test_a_second_up_reuses_the_broker_and_changes_nothing(
    secure_broker: LocalSecureKafka,
) -> None:
    progress = Recorded()
    await secure_broker.up(progress)

    assert any("reusing it" in line for line in progress.lines), progress.lines
    acls = next(line for line in progress.lines if line.startswith("acls:"))
    assert acls.endswith(" 0 added, 0 removed, 2114 kept"), acls
    assert any(line.startswith("topics as admin: 0 created") for line in progress.lines)


def test_secrets_are_readable_by_their_owner_only_and_never_written_elsewhere(
    secure_broker: LocalSecureKafka,
) -> None:
    secrets = [*secure_broker.passwords.glob("*.password"), secure_broker.tls.ca_key,
               secure_broker.tls.broker]  # fmt: skip
    assert len(secrets) == 45 + 2
    for path in secrets:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (secure_broker.home, secure_broker.passwords, secure_broker.tls.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder

    passwords = {p.read_text().strip() for p in secure_broker.passwords.glob("*.password")}
    assert len(passwords) == 45
    written = [secure_broker.log, secure_broker.config, secure_broker.admin_config,
               secure_broker.plan_file]  # fmt: skip
    for path in written:
        text = path.read_text(errors="replace")
        assert not any(password in text for password in passwords), path
