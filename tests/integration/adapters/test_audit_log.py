"""The audit log chains every row, refuses updates and deletes, and finds tampering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from interforce.audit.signers import KeySigner, directory_keys
from ownership.adapters.audit_log import AuditEntry, append_entries, verify_chain
from ownership.adapters.migrator import migrate
from schemas.directory import load_directory
from tests.keys import load_test_key

pytestmark = pytest.mark.integration

NODE_ROLE = "interforce_audit_test_node"
SIGNER = KeySigner(load_test_key("wmp-2024"))


def entry(number: int) -> AuditEntry:
    return AuditEntry(
        actor="node:WMP",
        action="message.received",
        at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC) + timedelta(seconds=number),
        subject=f"OFF-{number:04d}",
        reason="transfer.notified from WMY",
        disclosed_to=None,
        detail={"message_id": f"m-{number}", "epoch": number},
    )


@pytest.fixture
async def audited(fresh_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(fresh_database)
    await migrate(connection)
    async with connection.transaction():
        await append_entries(connection, [entry(n) for n in range(1, 6)], signer=SIGNER)
    async with connection.transaction():
        await append_entries(connection, [entry(n) for n in range(6, 9)], signer=SIGNER)
    yield connection
    await connection.close()


async def test_an_untouched_chain_verifies(audited: asyncpg.Connection) -> None:
    report = await verify_chain(audited, force="WMP", keys=directory_keys(load_directory()))
    assert (report.intact, report.rows_checked, report.seals, report.legacy_rows) == (
        True, 8, 2, 0,
    )  # fmt: skip


async def test_a_rolled_back_transaction_leaves_no_audit_rows(audited: asyncpg.Connection) -> None:
    async def effect_that_fails() -> None:
        async with audited.transaction():
            await append_entries(audited, [entry(99)], signer=SIGNER)
            raise RuntimeError("effect failed")

    with pytest.raises(RuntimeError, match="effect failed"):
        await effect_that_fails()
    assert await audited.fetchval("select count(*) from audit_log") == 8


async def test_the_node_role_cannot_update_or_delete(audited: asyncpg.Connection) -> None:
    await audited.execute(f"drop role if exists {NODE_ROLE}")
    await audited.execute(f"create role {NODE_ROLE}")
    await audited.execute(f"grant select, insert, update, delete on audit_log to {NODE_ROLE}")
    try:
        async with audited.transaction():
            await audited.execute(f"set local role {NODE_ROLE}")
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await audited.execute("update audit_log set actor = 'someone' where seq = 3")
        async with audited.transaction():
            await audited.execute(f"set local role {NODE_ROLE}")
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await audited.execute("delete from audit_log where seq = 3")
    finally:
        await audited.execute(f"revoke all on audit_log from {NODE_ROLE}")
        await audited.execute(f"drop role {NODE_ROLE}")
    assert (await verify_chain(audited)).intact


async def test_a_superuser_edit_is_found_at_its_row(audited: asyncpg.Connection) -> None:
    async with audited.transaction():
        await audited.execute("set local session_replication_role = replica")  # skips triggers
        await audited.execute("update audit_log set reason = 'nothing to see' where seq = 5")
    report = await verify_chain(audited)
    assert (report.intact, report.broken_at, report.rows_checked) == (False, 5, 4)
    assert report.problem is not None
    assert "changed after it was written" in report.problem


async def test_a_superuser_delete_is_found_at_the_gap(audited: asyncpg.Connection) -> None:
    async with audited.transaction():
        await audited.execute("set local session_replication_role = replica")
        await audited.execute("delete from audit_log where seq = 4")
    report = await verify_chain(audited)
    assert (report.broken_at, report.problem) == (5, "row 4 is missing (found 5 after 3)")
