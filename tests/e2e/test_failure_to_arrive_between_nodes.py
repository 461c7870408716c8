"""Two forces' nodes, as real processes over the real broker: an offender who never arrives.

WMP's coordinator says the offender GMP notified never arrived, with what was tried and
when. GMP keeps the record at the same epoch, marked whereabouts unknown, with an
immediate-action task at the top of its list, until a GMP coordinator records what was done.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ownership.domain import commands as c
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.states import TransferState
from ownership.domain.task_kinds import TaskKind, TaskOutcome
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling import playbook
from tooling.autopilot import Autopilot, PlannedTransfer

pytestmark = pytest.mark.e2e
LEVELS = ServiceLevels()


async def transfer_state(run: Running, force: str, plan: PlannedTransfer) -> TransferState | None:
    record = await run.desks[force].record(plan.reference)
    transfer = None if record is None else record.find_transfer(plan.transfer_id)
    return None if transfer is None else transfer.state


async def test_a_failure_to_arrive_leaves_the_owner_a_task_until_it_is_closed(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    (plan,) = plans("GMP", "WMP", 1)
    async with running(federation, ["GMP", "WMP"]) as run:
        await Autopilot(run.desks, [plan]).begin()

        async def wmp_holds(state: TransferState) -> bool:
            return await transfer_state(run, "WMP", plan) is state

        await eventually(lambda: wmp_holds(TransferState.NOTIFIED), within=60)
        now = datetime.now(UTC)
        acknowledge = playbook.acknowledge_and_consult(
            plan.reference, plan.transfer_id, "WMP", now, mappa=False
        )[:1]
        await run.desks["WMP"].run(acknowledge)
        tried = (
            ArrivalAttempt(ArrivalCheck.ADDRESS_VISITED, now - timedelta(hours=4), "no answer"),
            ArrivalAttempt(ArrivalCheck.AGENCIES_CONTACTED, now, "probation have not seen him"),
        )
        report = c.ReportFailureToArrive(
            reference=plan.reference, at=now, by="coordinator:WMP",
            transfer_id=plan.transfer_id, attempts=tried, summary="never registered here",
        )  # fmt: skip
        await run.desks["WMP"].run([report])

        async def gmp_told() -> bool:
            return await transfer_state(run, "GMP", plan) is TransferState.NOT_ARRIVED

        await eventually(gmp_told, within=60)
        record = await run.desks["GMP"].record(plan.reference)
        assert record is not None
        assert (record.owner, record.epoch, record.is_owner) == ("GMP", 1, True)
        later = datetime.now(UTC)
        assert record.whereabouts_unknown(later, LEVELS)
        top = record.tasks(later, LEVELS)[0]
        assert (top.kind, top.immediate) == (TaskKind.WHEREABOUTS_UNKNOWN, True)
        arrived = record.transfer(plan.transfer_id).arrival_failure
        assert arrived is not None
        assert (arrived.reported_by, arrived.attempts) == ("WMP", tried)

        close = c.CloseTask(
            reference=plan.reference, at=later, by="coordinator:GMP", task_id=top.task_id,
            outcome=TaskOutcome.CIRCULATED_WANTED, done="circulated on PNC as wanted",
            why="breach of notification requirements",
        )  # fmt: skip
        await run.desks["GMP"].run([close])
        closed = await run.desks["GMP"].record(plan.reference)
        assert closed is not None
        assert not closed.whereabouts_unknown(datetime.now(UTC), LEVELS)
        assert closed.closed_tasks[-1].by == "coordinator:GMP"
        assert (closed.owner, closed.epoch) == ("GMP", 1)
        wmp = await run.desks["WMP"].record(plan.reference)
        assert wmp is not None
        assert (wmp.owner, wmp.epoch) == ("GMP", 1)

        for force in ("GMP", "WMP"):
            assert await run.count(force, "select count(*) from dead_letters") == 0
            assert await run.count(force, "select count(*) from outbox where sent_at is null") == 0
            assert await run.audit_intact(force)
        # GMP read the acknowledgement and the failure to arrive; WMP the notification
        assert await run.count("GMP", "select count(*) from inbox") == 2
        assert await run.count("WMP", "select count(*) from inbox") == 1
