"""Key rotation without downtime and revocation, on real node processes and the real broker.

GMP's node signs from a key folder; the test's own copy of the directory is shared by both
nodes. Transfers before and after `interforce keys rotate` complete with no restart; once
`interforce keys revoke` revokes the old key, a message signed with it is dead-lettered.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas.directory import default_directory_path
from schemas.outgoing import encode_message
from schemas.signing import sign_envelope
from schemas.topics import dead_letter_topic, inbox_topic
from tests.keys import current_kid, key_path, load_test_key
from tests.support.federation import new_federation, plans, running
from tests.support.waiting import eventually
from tests.support.wire import produce, read_topic
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e

OLD_KID = current_kid("GMP")


async def keys_cli(*arguments: str) -> str:
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "interforce", "keys", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def gmp_kids_on_the_wire(records: list[dict[str, object]]) -> list[str]:
    return [str(message["kid"]) for message in records if message["source"] == "GMP"]


async def test_rotation_needs_no_restart_and_a_revoked_key_is_dead_lettered(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "directory.json"
    shutil.copyfile(default_directory_path(), directory)
    keys_dir = tmp_path / "gmp-keys"
    keys_dir.mkdir()
    shutil.copyfile(key_path(OLD_KID), keys_dir / f"{OLD_KID}.json")
    shared = {"INTERFORCE_DIRECTORY": str(directory), "INTERFORCE_DIRECTORY_REFRESH_SECONDS": "0.2"}
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    federation.force_env = lambda force: (
        {**shared, "INTERFORCE_SIGNING_KEYS_DIR": str(keys_dir)} if force == "GMP" else shared
    )
    before, after = plans("GMP", "WMP", 3), plans("GMP", "WMP", 3, first=3)
    async with running(federation, ["GMP", "WMP"]) as run:
        pilot = Autopilot(run.desks, before)
        await pilot.begin()
        await pilot.run_until_converged(within=120)

        valid_from = datetime.now(UTC) + timedelta(seconds=2)
        printed = await keys_cli(
            "rotate", "--force", "GMP", "--keys-dir", str(keys_dir), "--directory",
            str(directory), "--valid-from", valid_from.isoformat(), "--valid-days", "30",
        )  # fmt: skip
        new_kid = printed.split("new key ", 1)[1].split(",", 1)[0]
        assert "PRIVATE KEY" not in printed
        assert (keys_dir / f"{new_kid}.json").stat().st_mode & 0o777 == 0o600
        await asyncio.sleep(max(0.0, (valid_from - datetime.now(UTC)).total_seconds()) + 0.5)

        pilot = Autopilot(run.desks, after)
        await pilot.begin()
        await pilot.run_until_converged(within=120)
        for plan in before + after:
            record = await run.desks["WMP"].record(plan.reference)
            assert record is not None
            assert (record.owner, record.epoch) == ("WMP", 2)
        assert await run.count("WMP", "select count(*) from dead_letters") == 0

        inbox = inbox_topic("WMP", federation.namespace)
        on_the_wire = [json.loads(r.value) for r in await read_topic(kafka_bootstrap, inbox, 4 * 3)]
        kids = gmp_kids_on_the_wire(on_the_wire)
        assert set(kids) == {OLD_KID, new_kid}
        assert kids.count(OLD_KID) >= 2 * len(before), kids
        assert kids.count(new_kid) >= 2 * len(after), kids

        # Revoke the old key; a message signed with it from now on is refused.
        await keys_cli("revoke", "--force", "GMP", "--kid", OLD_KID, "--directory", str(directory))
        await asyncio.sleep(1.0)
        template = next(m for m in on_the_wire if m["kid"] == OLD_KID)
        replayed = {**template, "id": str(uuid.uuid4())}
        replayed["time"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        raw = encode_message(sign_envelope(replayed, load_test_key(OLD_KID)))
        await produce(kafka_bootstrap, inbox, raw, key=str(template["subject"]).encode())

        async def dead_lettered() -> bool:
            return await run.count("WMP", "select count(*) from dead_letters") == 1

        await eventually(dead_lettered, within=30)
        letters = await read_topic(
            kafka_bootstrap, dead_letter_topic("WMP", federation.namespace), 1
        )
        assert [(r.value, r.headers["interforce-reason"]) for r in letters] == [
            (raw, b"key-revoked")
        ]
        for force in ("GMP", "WMP"):
            assert await run.audit_intact(force)
