"""The node's own database role: owner of its force's tables, append-only on the audit log,
and shut out of every other force's database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
import pytest
import pytest_asyncio

from interforce.audit.signers import KeySigner, directory_keys
from interforce.database import database_url, ensure_database, login_url
from ownership.adapters.audit_checkpoints import write_checkpoint
from ownership.adapters.audit_log import AuditEntry, append_entries, verify_chain
from ownership.adapters.migrator import migrate
from ownership.adapters.node_role import grant_node_role, node_role_name
from schemas.directory import load_directory
from tests.keys import load_test_key
from tests.support.databases import drop_database

pytestmark = pytest.mark.integration

SIGNER = KeySigner(load_test_key("wmp-2024"))
KEYS = directory_keys(load_directory())


@dataclass(frozen=True)
class Provisioned:
    """Two forces' databases, each with its node role, as an administrator set them up."""

    admin_url: str
    databases: dict[str, str]

    def as_node(self, force: str, database_of: str | None = None) -> str:
        """URL of `database_of`'s database (default: the force's own), as `force`'s node."""
        role = node_role_name(self.databases[force])
        url = database_url(self.admin_url, self.databases[database_of or force])
        return login_url(url, role)


@pytest_asyncio.fixture
async def provisioned(postgres_url: str) -> AsyncIterator[Provisioned]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    databases = {force: f"{namespace}_{force.lower()}" for force in ("GMP", "WMP")}
    for name in databases.values():
        connection = await asyncpg.connect(await ensure_database(postgres_url, name))
        try:
            await migrate(connection)
            await grant_node_role(connection, name, node_role_name(name))
            await grant_node_role(connection, name, node_role_name(name))  # safe to repeat
        finally:
            await connection.close()
    yield Provisioned(postgres_url, databases)
    for name in databases.values():
        await drop_database(postgres_url, name)
    admin = await asyncpg.connect(postgres_url)
    try:
        for name in databases.values():
            await admin.execute(f'drop role if exists "{node_role_name(name)}"')
    finally:
        await admin.close()


def entry(n: int) -> AuditEntry:
    return AuditEntry(actor="node:WMP", action="test.entry", at=datetime.now(UTC), reason=str(n))


async def test_the_node_role_appends_to_the_audit_log_and_runs_its_own_tables(
    provisioned: Provisioned,
) -> None:
    connection = await asyncpg.connect(provisioned.as_node("WMP"))
    try:
        assert await migrate(connection) == []  # the role may run (no-op) migrations
        async with connection.transaction():
            await append_entries(connection, [entry(1), entry(2)], signer=SIGNER)
        await write_checkpoint(connection, SIGNER, datetime.now(UTC))  # as the node does
        report = await verify_chain(connection, force="WMP", keys=KEYS)
        assert (report.intact, report.rows_checked, report.seals) == (True, 2, 1)
        await connection.execute("insert into inbox (sender, message_id) values ('GMP', 'm-1')")
        assert await connection.execute("delete from inbox") == "DELETE 1"
        await connection.execute("create table scratch (id int)")  # owns its schema
        await connection.execute("drop table scratch")
    finally:
        await connection.close()


@pytest.mark.parametrize(
    "statement",
    [
        "update audit_log set reason = 'altered'",
        "delete from audit_checkpoints",
        "update audit_checkpoints set length = 0",
        "alter table audit_checkpoints disable trigger audit_checkpoints_append_only",
        "delete from audit_log",
        "truncate audit_log",
        "alter table audit_log disable trigger audit_log_append_only",
        "drop table audit_log",
        "create or replace function audit_log_is_append_only() returns trigger"
        " language plpgsql as $$ begin return new; end $$",
    ],
)
async def test_the_node_role_cannot_change_the_audit_log(
    provisioned: Provisioned, statement: str
) -> None:
    connection = await asyncpg.connect(provisioned.as_node("WMP"))
    try:
        async with connection.transaction():
            await append_entries(connection, [entry(1)], signer=SIGNER)
        with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
            await connection.execute(statement)
        assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
        assert (await verify_chain(connection)).rows_checked == 1
    finally:
        await connection.close()


async def test_the_node_role_cannot_reach_another_forces_database(
    provisioned: Provisioned,
) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for database"):
        await asyncpg.connect(provisioned.as_node("WMP", database_of="GMP"))
    admin = await asyncpg.connect(database_url(provisioned.admin_url, provisioned.databases["GMP"]))
    try:
        wmp_role = node_role_name(provisioned.databases["WMP"])
        for table in ("offender_records", "audit_log", "outbox"):
            allowed = await admin.fetchval(
                "select has_table_privilege($1, $2, 'select, insert, update, delete')",
                wmp_role,
                table,
            )
            assert allowed is False, table
    finally:
        await admin.close()
