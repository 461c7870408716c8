"""`interforce audit verify` finds each kind of tampering with a force's audit log, and names it.

Each test builds GMP's log on the real PostgreSQL as its node would (appends sealed with
GMP's key, a checkpoint signed into the database and onto the force's topic on the real
Kafka broker), tampers with it as an attacker would, and runs `audit verify` as an operator
does. The four kinds: a row changed by a superuser, a row deleted in the middle, rows deleted
at the end, and a row appended with only the insert rights of the node's own database role.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from typer.testing import CliRunner

from interforce.audit.signers import KeySigner
from interforce.audit.topic import publish_checkpoint
from interforce.cli import build_app
from interforce.database import database_url, ensure_database, force_database_name, login_url
from interforce.key_rotation import rotate
from interforce.topics import ensure_topics
from ownership.adapters.audit_checkpoints import write_checkpoint
from ownership.adapters.audit_log import AuditEntry, append_entries, entry_hash
from ownership.adapters.audit_signing import AuditSigner, seal_message
from ownership.adapters.migrator import migrate
from ownership.adapters.node_role import grant_node_role, node_role_name
from schemas.directory import default_directory_path
from schemas.signing import load_signing_key
from schemas.topics import audit_topic
from tests.keys import load_test_key
from tests.support.databases import drop_database
from tooling.services.process import free_port

pytestmark = pytest.mark.integration

FORCE = "GMP"
GMP = KeySigner(load_test_key("gmp-2024"))
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        actor="node:GMP",
        action="message.received",
        at=T0 + timedelta(seconds=n),
        subject=f"GMP-2026-{n:06d}",
        reason="transfer.acknowledged from WMP",
        detail={"message_id": f"m-{n}", "position": f"inbox:0:{n}"},
    )


@dataclass
class ForceLog:
    """GMP's log in a namespace of its own: rows 1–12 in four sealed appends (1–5, 6–8,
    9–10, 11–12) and one checkpoint, of length 10, in the database and on the topic."""

    namespace: str
    server_url: str
    kafka: str
    monkeypatch: pytest.MonkeyPatch

    @property
    def database(self) -> str:
        return force_database_name(FORCE, self.namespace)

    @property
    def url(self) -> str:
        return database_url(self.server_url, self.database)

    @property
    def topic(self) -> str:
        return audit_topic(FORCE, self.namespace)

    def verify(self, *extra: str) -> tuple[int, str]:
        """`interforce audit verify --force GMP` against this log; its exit code and output."""
        result = CliRunner().invoke(build_app(), ["audit", "verify", "--force", FORCE, *extra])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    def sql(self, *statements: str, as_superuser: bool = True) -> None:
        """Run statements as a superuser who switched the append-only triggers off."""

        async def run() -> None:
            connection = await asyncpg.connect(self.url)
            try:
                async with connection.transaction():
                    if as_superuser:
                        await connection.execute("set local session_replication_role = replica")
                    for statement in statements:
                        await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(run())

    def append(self, numbers: range, signer: AuditSigner | None = GMP) -> None:
        async def run() -> None:
            connection = await asyncpg.connect(self.url)
            try:
                async with connection.transaction():
                    await append_entries(connection, [entry(n) for n in numbers], signer=signer)
            finally:
                await connection.close()

        asyncio.run(run())

    def checkpoint(self, at: datetime, signer: AuditSigner = GMP) -> None:
        """Sign the head into the database and onto the topic, as the node does."""

        async def run() -> None:
            connection = await asyncpg.connect(self.url)
            try:
                checkpoint = await write_checkpoint(connection, signer, at)
            finally:
                await connection.close()
            producer = AIOKafkaProducer(bootstrap_servers=self.kafka, acks="all")
            await producer.start()
            try:
                await publish_checkpoint(producer, self.topic, checkpoint)
            finally:
                await producer.stop()

        asyncio.run(run())


@pytest.fixture
def empty_log(
    postgres_url: str, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ForceLog]:
    log = ForceLog(f"t{uuid.uuid4().hex[:10]}", postgres_url, kafka_bootstrap, monkeypatch)

    async def create() -> None:
        connection = await asyncpg.connect(await ensure_database(postgres_url, log.database))
        try:
            await migrate(connection)
        finally:
            await connection.close()
        await ensure_topics(kafka_bootstrap, [log.topic], partitions=1, replication_factor=1)

    asyncio.run(create())
    monkeypatch.setenv("INTERFORCE_NAMESPACE", log.namespace)
    monkeypatch.setenv("INTERFORCE_DATABASE_URL", postgres_url)
    monkeypatch.setenv("INTERFORCE_KAFKA_BOOTSTRAP", kafka_bootstrap)
    monkeypatch.delenv("INTERFORCE_DATABASE_NAMESPACE", raising=False)
    monkeypatch.delenv("INTERFORCE_DIRECTORY", raising=False)
    yield log
    asyncio.run(_tidy(log))


async def _tidy(log: ForceLog) -> None:
    await drop_database(log.server_url, log.database)
    admin = await asyncpg.connect(log.server_url)
    try:
        await admin.execute(f'drop role if exists "{node_role_name(log.database)}"')
    finally:
        await admin.close()
    kafka = AIOKafkaAdminClient(bootstrap_servers=log.kafka)
    await kafka.start()
    try:
        await kafka.delete_topics([log.topic])
    finally:
        await kafka.close()


@pytest.fixture
def force_log(empty_log: ForceLog) -> ForceLog:
    empty_log.append(range(1, 6))
    empty_log.append(range(6, 9))
    empty_log.append(range(9, 11))
    empty_log.checkpoint(T0 + timedelta(minutes=14, seconds=2))
    empty_log.append(range(11, 13))
    return empty_log


def test_an_untouched_log_verifies_against_both_copies_of_its_checkpoint(
    force_log: ForceLog,
) -> None:
    code, output = force_log.verify()
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "ok: 12 rows, chain intact"
    assert lines[1] == "signatures: 4 signed appends, every row signed"
    assert lines[2].startswith(
        f"checkpoints: 1 in the database, 1 on {force_log.topic}; the latest, checkpoint at"
        " 2026-12-02 09:14:02 UTC, signed length 10"
    )


def test_a_row_changed_by_a_superuser_is_named(force_log: ForceLog) -> None:
    force_log.sql("update audit_log set reason = 'nothing to see' where seq = 7")
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN at row 7: row 7's content does not match its hash: it was changed after it was"
        " written (6 rows before it are intact)"
    )


def test_a_row_changed_and_the_chain_recomputed_is_found_by_its_seal(force_log: ForceLog) -> None:
    asyncio.run(_rewrite_from(force_log, 7, reason="nothing to see"))
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN at row 6: rows 6–8 are not what the node signed (the seal on row 8 does not"
        " verify): a row among them was changed and the chain recomputed"
    )


def test_a_row_deleted_in_the_middle_is_named(force_log: ForceLog) -> None:
    force_log.sql("delete from audit_log where seq = 4")
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith("BROKEN at row 5: row 4 is missing (found 5 after 3)")


def test_rows_deleted_at_the_end_are_named_from_the_checkpoint(force_log: ForceLog) -> None:
    force_log.sql("delete from audit_log where seq >= 9")
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN at row 9: rows 9–10 missing: checkpoint at 2026-12-02 09:14:02 UTC signed length"
        " 10, the log has 8"
    )


def test_rows_deleted_at_the_end_with_the_checkpoints_are_found_from_the_topic(
    force_log: ForceLog,
) -> None:
    force_log.sql("delete from audit_log where seq >= 9", "delete from audit_checkpoints")
    code, output = force_log.verify()
    assert code == 1
    lines = output.splitlines()
    assert lines[0].startswith(
        "BROKEN at row 9: rows 9–10 missing: checkpoint at 2026-12-02 09:14:02 UTC signed length"
        " 10, the log has 8"
    )
    assert lines[1] == (
        "also: checkpoint at 2026-12-02 09:14:02 UTC (length 10) is on the topic but not in the"
        " database's audit_checkpoints: it was deleted there"
    )


def test_a_row_appended_with_the_node_roles_insert_rights_is_named(force_log: ForceLog) -> None:
    asyncio.run(_append_as_node_role(force_log, seal_with=None))
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN at row 13: row 13 is not signed with GMP's key: appended by someone without it"
    )


def test_an_appended_row_stays_named_after_the_node_appends_on_top_of_it(
    force_log: ForceLog,
) -> None:
    asyncio.run(_append_as_node_role(force_log, seal_with=None))
    force_log.append(range(14, 16))  # the node chains onto the forged row, and seals 14–15
    force_log.checkpoint(T0 + timedelta(minutes=20))
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith("BROKEN at row 13: row 13 is not signed with GMP's key")


def test_an_appended_row_sealed_with_another_forces_key_is_named(force_log: ForceLog) -> None:
    asyncio.run(_append_as_node_role(force_log, seal_with=KeySigner(load_test_key("wmp-2024"))))
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN at row 13: row 13 is sealed with key 'wmp-2024', which is not one of GMP's"
    )


def test_a_checkpoint_written_with_the_node_roles_insert_rights_is_refused(
    force_log: ForceLog,
) -> None:
    asyncio.run(_forge_checkpoint_as_node_role(force_log, length=40))
    code, output = force_log.verify()
    assert code == 1
    assert output.startswith(
        "BROKEN: checkpoint at 2026-12-02 10:00:00 UTC in the database (length 40) is not signed"
        " by a key of GMP for this database: someone without the key wrote it"
    )


def test_with_the_broker_away_the_database_is_verified_and_the_gap_is_said(
    force_log: ForceLog,
) -> None:
    force_log.monkeypatch.setenv("INTERFORCE_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    code, output = force_log.verify()
    assert code == 2
    lines = output.splitlines()
    assert lines[0] == "ok: 12 rows, chain intact"
    assert lines[-1].startswith(f"WARNING: the checkpoints on {force_log.topic} could not be read:")
    assert lines[-1].endswith(
        "rows deleted from the end of the log since checkpoint at 2026-12-02 09:14:02 UTC"
        " (length 10) would not be found"
    )


def test_with_the_broker_away_a_tail_cut_below_a_stored_checkpoint_is_still_found(
    force_log: ForceLog,
) -> None:
    force_log.sql("delete from audit_log where seq >= 10")
    force_log.monkeypatch.setenv("INTERFORCE_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    code, output = force_log.verify("--json")
    assert code == 1
    found = json.loads(output)
    assert (found["broken_at"], found["checkpoints_on_topic"]) == (10, None)
    assert found["problem"].startswith("row 10 missing: checkpoint at")


def test_a_log_from_before_signing_verifies_and_says_what_vouches_for_it(
    empty_log: ForceLog,
) -> None:
    empty_log.append(range(1, 4), signer=None)  # an earlier version's rows
    empty_log.append(range(4, 6), signer=None)
    empty_log.checkpoint(T0 + timedelta(hours=1))  # the upgraded node starts
    empty_log.append(range(6, 8))
    code, output = empty_log.verify()
    assert code == 0, output
    assert output.splitlines()[1] == (
        "signatures: 1 signed appends; rows 1–5 predate signing (an earlier version wrote them):"
        " only the chain vouches for them; the checkpoint at 2026-12-02 10:00:00 UTC signed their"
        " state then"
    )


def test_an_unsigned_row_after_signing_began_is_named(empty_log: ForceLog) -> None:
    empty_log.checkpoint(T0)
    empty_log.append(range(1, 3))
    empty_log.append(range(3, 4), signer=None)  # e.g. a CLI without the key settings
    code, output = empty_log.verify()
    assert code == 1
    assert output.startswith("BROKEN at row 3: row 3 is not signed with GMP's key")


def test_a_rotated_key_verifies_what_it_and_the_old_key_signed(
    empty_log: ForceLog, tmp_path: Path
) -> None:
    directory = tmp_path / "directory.json"
    shutil.copy(default_directory_path(), directory)
    now = datetime.now(UTC)
    rotated = rotate(directory, tmp_path / "keys", FORCE, now - timedelta(hours=1), 365)
    empty_log.monkeypatch.setenv("INTERFORCE_DIRECTORY", str(directory))
    empty_log.checkpoint(now - timedelta(minutes=5))
    empty_log.append(range(1, 4))  # the old key
    new = KeySigner(load_signing_key(rotated.key_file))
    empty_log.append(range(4, 7), signer=new)
    empty_log.checkpoint(now, signer=new)
    code, output = empty_log.verify()
    assert code == 0, output
    assert output.splitlines()[:2] == [
        "ok: 6 rows, chain intact",
        "signatures: 2 signed appends, every row signed",
    ]


async def _rewrite_from(log: ForceLog, seq: int, reason: str) -> None:
    """A superuser's careful edit: change row `seq`, then recompute every later hash."""
    connection = await asyncpg.connect(log.url)
    try:
        async with connection.transaction():
            await connection.execute("set local session_replication_role = replica")
            await connection.execute("update audit_log set reason = $2 where seq = $1", seq, reason)
            rows = await connection.fetch(
                "select * from audit_log where seq >= $1 order by seq", seq
            )
            previous = bytes(rows[0]["prev_hash"])
            for row in rows:
                digest = entry_hash(previous, row["seq"], _entry(row))
                await connection.execute(
                    "update audit_log set prev_hash = $2, hash = $3 where seq = $1",
                    row["seq"], previous, digest,
                )  # fmt: skip
                previous = digest
    finally:
        await connection.close()


async def _append_as_node_role(log: ForceLog, seal_with: AuditSigner | None) -> None:
    """Log in as the node's own role (SELECT and INSERT on the log, no key) and append a row
    whose chain hash is right; seal it with `seal_with`'s key if given."""
    admin = await asyncpg.connect(log.url)
    try:
        role = node_role_name(log.database)
        await grant_node_role(admin, log.database, role)
    finally:
        await admin.close()
    connection = await asyncpg.connect(login_url(log.url, role))
    try:
        last = await connection.fetchrow(
            "select seq, hash from audit_log order by seq desc limit 1"
        )
        assert last is not None
        seq, previous = last["seq"] + 1, bytes(last["hash"])
        forged = AuditEntry("node:GMP", "record.viewed", T0 + timedelta(hours=2), "GMP-2026-000001")
        digest = entry_hash(previous, seq, forged)
        seal: tuple[Any, ...] = (None, None, None)
        if seal_with is not None:
            seal = (seq, *seal_with.sign(seal_message(FORCE, seq, seq, digest)))
        await connection.execute(
            "insert into audit_log (seq, at, actor, action, subject, reason, disclosed_to,"
            " detail, prev_hash, hash, sealed_from, kid, signature)"
            " values ($1, $2, $3, $4, $5, null, null, '{}'::jsonb, $6, $7, $8, $9, $10)",
            seq, forged.at, forged.actor, forged.action, forged.subject, previous, digest, *seal,
        )  # fmt: skip
    finally:
        await connection.close()


async def _forge_checkpoint_as_node_role(log: ForceLog, length: int) -> None:
    """As the node's role (it may insert checkpoints, it has no key): claim a longer log."""
    admin = await asyncpg.connect(log.url)
    try:
        role = node_role_name(log.database)
        await grant_node_role(admin, log.database, role)
    finally:
        await admin.close()
    connection = await asyncpg.connect(login_url(log.url, role))
    try:
        await connection.execute(
            "insert into audit_checkpoints (length, head_hash, at, force, database, kid,"
            " signature) values ($1, $2, $3, 'GMP', $4, 'gmp-2024', $5)",
            length, bytes(32), T0 + timedelta(hours=1), log.database, bytes(64),
        )  # fmt: skip
    finally:
        await connection.close()


def _entry(row: asyncpg.Record) -> AuditEntry:
    return AuditEntry(
        actor=row["actor"],
        action=row["action"],
        at=row["at"],
        subject=row["subject"],
        reason=row["reason"],
        disclosed_to=row["disclosed_to"],
        detail=json.loads(row["detail"]),
    )
