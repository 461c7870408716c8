"""A partition stalled for a reason no message is to blame for is seen, and then recovers.

WMP's database refuses, with a permanent error, to store the offset of one partition of its
inbox (a trigger stands in for a broken table, a lost privilege, a full tablespace): every
batch on that partition fails and is read again. The traffic waits on every partition before
WMP starts, so its first batches mix the stuck partition with the others. The node keeps the
others flowing, says which partition is stuck, where and why (its health endpoint answers
503 for readiness, 200 for liveness; one error in the log; an audit entry), and once the
database is mended the stuck messages apply, none lost, and the node is healthy again.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest
from aiokafka.partitioner import murmur2

from schemas.topics import inbox_topic
from tests.support.federation import Running, new_federation, plans
from tests.support.nodes import NodeProcess
from tests.support.waiting import eventually
from tooling.autopilot import Autopilot, PlannedTransfer

pytestmark = pytest.mark.e2e

PARTITIONS = 3
FREEZE = """
create function test_freeze_partition() returns trigger language plpgsql as $$
begin
    raise exception 'the offset of partition % cannot be stored', new.partition;
end $$;
create trigger test_freeze_partition before insert or update on consumed_offsets
    for each row when (new.topic = '{topic}' and new.partition = {partition})
    execute function test_freeze_partition();
"""
MEND = "drop trigger test_freeze_partition on consumed_offsets"
STALLS_AUDITED = "select count(*) from audit_log where action = 'inbox.partition-stalled'"


def partition_of(plan: PlannedTransfer) -> int:
    """The inbox partition the relay's producer puts an offender's messages on."""
    hashed: int = murmur2(plan.reference.encode())
    return (hashed & 0x7FFFFFFF) % PARTITIONS


async def answer(node: NodeProcess, path: str = "/health") -> tuple[int, dict[str, object]]:
    found = await asyncio.to_thread(node.answer, path)
    assert found is not None, f"the node does not answer:\n{node.log_tail()}"
    return found


async def stalled_partitions(node: NodeProcess) -> list[dict[str, object]]:
    _, report = await answer(node)
    stalled = report["stalled_partitions"]
    assert isinstance(stalled, list)
    return stalled


def log_lines(node: NodeProcess, text: str) -> list[dict[str, str]]:
    lines = [json.loads(line) for line in node.log_file.read_text().splitlines() if "{" in line]
    return [line for line in lines if text in line.get("message", "")]


async def test_a_partition_the_database_will_not_advance_is_reported_then_recovers(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 12)
    stuck_at = partition_of(planned[0])
    stuck = [plan for plan in planned if partition_of(plan) == stuck_at]
    flowing = [plan for plan in planned if partition_of(plan) != stuck_at]
    assert stuck
    assert flowing
    inbox = inbox_topic("WMP", federation.namespace)
    run = Running(federation)
    try:
        await run.start("GMP")
        # The first WMP node makes its database and topics, then stops.
        first = await run.start("WMP", INTERFORCE_KAFKA_TOPIC_PARTITIONS=str(PARTITIONS))
        wmp_db = run.desks["WMP"].pool
        await wmp_db.execute(FREEZE.format(topic=inbox, partition=stuck_at))
        assert first.terminate() == 0
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()

        async def all_sent() -> bool:
            unsent = "select count(*) from outbox where sent_at is null and failure is null"
            return await run.count("GMP", unsent) == 0

        await eventually(all_sent, within=60)
        # Every partition has records waiting, so the first batches mix the stuck one with
        # the others: the others must still apply, and their transfers complete both ways.
        wmp = await run.start_instance("WMP", 2, INTERFORCE_STALL_FAILURES="4")
        await Autopilot(run.desks, flowing).run_until_converged(within=120)

        async def reported() -> bool:
            return bool(await stalled_partitions(wmp))

        await eventually(reported, within=60, every=0.5)
        status, report = await answer(wmp, "/health")
        stalled = report["stalled_partitions"]
        assert isinstance(stalled, list)
        (stall,) = stalled
        assert status == 503
        assert report["healthy"] is False
        assert report["ready"] is False
        assert (stall["topic"], stall["partition"], stall["offset"]) == (inbox, stuck_at, 0)
        assert stall["error"] == (
            f"RaiseError: the offset of partition {stuck_at} cannot be stored"
        )
        assert stall["failures"] >= 4
        assert stall["since"]
        assert (await answer(wmp, "/health/ready"))[0] == 503
        live_status, live = await answer(wmp, "/health/live")
        assert live_status == 200
        assert live["live"] is True
        for plan in stuck:
            assert await run.desks["WMP"].record(plan.reference) is None

        async def audited_once() -> bool:
            return await run.count("WMP", STALLS_AUDITED) == 1

        await eventually(audited_once, within=10)
        audited = await wmp_db.fetch(
            "select reason, detail from audit_log where action = 'inbox.partition-stalled'"
        )
        detail = json.loads(audited[0]["detail"])
        assert (detail["topic"], detail["partition"], detail["offset"]) == (inbox, stuck_at, 0)
        assert "cannot be stored" in detail["error"]

        await wmp_db.execute(MEND)

        async def recovered() -> bool:
            status, report = await answer(wmp)
            return status == 200 and report["stalled_partitions"] == []

        await eventually(recovered, within=60, every=0.5)
        await pilot.run_until_converged(within=120)  # nothing was lost on the stuck partition
        recoveries = await wmp_db.fetch(
            "select detail from audit_log where action = 'inbox.partition-recovered'"
        )
        assert [json.loads(row["detail"])["partition"] for row in recoveries] == [stuck_at]
        assert await run.count("WMP", "select count(*) from inbox") == 2 * len(planned)
        assert await run.count("WMP", "select count(*) from dead_letters") == 0
        assert await run.audit_intact("WMP")

        # Told once, not once per retry: one error for the stall, one traceback for the fault.
        assert len(log_lines(wmp, "stalled at offset")) == 1
        failures = log_lines(wmp, f"{inbox}[{stuck_at}] from offset 0")
        assert len(failures) >= 4
        assert sum("exception" in line for line in failures) == 1
    finally:
        await run.close()


async def test_a_batch_that_hangs_is_reported_stalled_by_the_records_waiting(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    """Nothing fails, nothing advances: the batch waits on a lock no one releases."""
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 3)
    inbox = inbox_topic("WMP", federation.namespace)
    run = Running(federation)
    try:
        await run.start("GMP")
        wmp = await run.start("WMP", INTERFORCE_STALL_SECONDS="2")
        holder = await asyncpg.connect(run.url("WMP"))
        hold = holder.transaction()
        await hold.start()
        await holder.execute("lock table consumed_offsets in exclusive mode")  # reads go on
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()

        async def reported() -> bool:
            return bool(await stalled_partitions(wmp))

        await eventually(reported, within=60, every=0.5)
        status, _ = await answer(wmp)
        stalled = await stalled_partitions(wmp)
        assert status == 503
        assert {stall["topic"] for stall in stalled} == {inbox}
        assert {stall["partition"] for stall in stalled} <= {partition_of(plan) for plan in planned}
        assert all(stall["failures"] == 0 for stall in stalled)
        assert all(stall["error"] is None for stall in stalled)
        assert all(isinstance(w, int) and w >= 1 for w in (s["waiting"] for s in stalled))
        assert (await answer(wmp, "/health/live"))[0] == 200

        async def audited() -> bool:
            return bool(await run.count("WMP", STALLS_AUDITED) >= len(stalled))

        await eventually(audited, within=30, every=0.5)  # the alarm tells within a probe
        await hold.rollback()
        await holder.close()

        async def recovered() -> bool:
            status, report = await answer(wmp)
            return status == 200 and report["stalled_partitions"] == []

        await eventually(recovered, within=60, every=0.5)
        await pilot.run_until_converged(within=120)
        told = await run.desks["WMP"].pool.fetch(
            "select action, detail from audit_log where action like 'inbox.partition-%'"
        )
        stalls_told = [json.loads(r["detail"]) for r in told if r["action"].endswith("stalled")]
        recoveries = [json.loads(r["detail"]) for r in told if r["action"].endswith("recovered")]
        assert len(stalls_told) == len(recoveries) == len(stalled)
        assert {d["partition"] for d in stalls_told} == {s["partition"] for s in stalled}
        assert {d["partition"] for d in recoveries} == {s["partition"] for s in stalled}
    finally:
        await run.close()
