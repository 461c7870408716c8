"""Two forces' nodes, as real processes over the real broker and database, hand over offenders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.support.federation import Running, new_federation, plans, running
from tooling.autopilot import Autopilot, PlannedTransfer

pytestmark = pytest.mark.e2e


async def assert_handed_over(run: Running, planned: Sequence[PlannedTransfer]) -> None:
    """Every offender is WMP's at epoch 2 on both sides, nothing is stuck or dead-lettered, and
    each message arrived exactly once: GMP sent a notification and a commit per offender, WMP
    an acknowledgement and an acceptance."""
    for plan in planned:
        for force in ("GMP", "WMP"):
            record = await run.desks[force].record(plan.reference)
            assert record is not None
            assert (record.owner, record.epoch) == ("WMP", 2), (force, plan.reference)
    for force in ("GMP", "WMP"):
        assert await run.count(force, "select count(*) from dead_letters") == 0
        assert await run.count(force, "select count(*) from outbox where sent_at is null") == 0
        assert await run.count(force, "select count(*) from inbox") == 2 * len(planned)
        assert await run.audit_intact(force)


async def test_transfers_run_from_notification_to_committed_ownership(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 6)
    async with running(federation, ["GMP", "WMP"]) as run:
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()
        await pilot.run_until_converged(within=120)

        await assert_handed_over(run, planned)
        exit_codes = [node.terminate() for nodes in run.nodes.values() for node in nodes]
        assert exit_codes == [0, 0]

        # An audit row changed behind the node's back, by a superuser skipping the trigger,
        # is found by `interforce audit verify`, which names the row.
        assert run.audit_verify_cli("WMP").returncode == 0
        async with run.desks["WMP"].pool.acquire() as connection, connection.transaction():
            await connection.execute("set local session_replication_role = replica")
            await connection.execute("update audit_log set reason = 'altered' where seq = 7")
        tampered = run.audit_verify_cli("WMP")
    assert tampered.returncode == 1
    assert "BROKEN at row 7" in tampered.stdout


async def test_a_node_run_as_an_inbox_process_and_a_relay_process_hands_over_the_same(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 6)
    async with running(federation, ["GMP"]) as run:
        inbox = await run.start_instance("WMP", 1, INTERFORCE_NODE_PARTS="inbox")
        relay = await run.start_instance("WMP", 2, INTERFORCE_NODE_PARTS="relay")
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()
        await pilot.run_until_converged(within=120)

        await assert_handed_over(run, planned)
        # each process did its part only: one consumed, the other relayed
        inbox_log, relay_log = inbox.log_file.read_text(), relay.log_file.read_text()
        assert "(inbox only)" in inbox_log
        assert "(relay only)" in relay_log
        assert "relayed" not in inbox_log
        assert "applied" not in relay_log
        assert [inbox.terminate(), relay.terminate()] == [0, 0]
