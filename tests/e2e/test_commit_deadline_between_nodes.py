"""The commit's deadline between two node processes over the real broker and database.

The nodes run their schedulers every second. WMP's desk dates its acceptance five days back,
so WMP's view has the commit overdue; for the lapse, GMP's scheduler reads a fake clock
forty days ahead (`INTERFORCE_SCHEDULER_CLOCK_OFFSET_DAYS`, development only), past the
acceptance's validity window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ownership.domain.commands import WithdrawAcceptance
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Side, TransferState
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling import playbook
from tooling.autopilot import PlannedTransfer

pytestmark = pytest.mark.e2e

S = TransferState
CHASED, WITHDRAWN, LAPSING = plans("GMP", "WMP", 3)
SCHEDULER = {"INTERFORCE_SCHEDULER_INTERVAL_SECONDS": "1"}


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def record_of(run: Running, force: str, plan: PlannedTransfer) -> OffenderRecord:
    record = await run.desks[force].record(plan.reference)
    assert record is not None
    return record


async def reach(run: Running, force: str, plan: PlannedTransfer, state: TransferState) -> None:
    async def there() -> bool:
        record = await run.desks[force].record(plan.reference)
        found = record.find_transfer(plan.transfer_id) if record else None
        return found is not None and found.state is state

    await eventually(there, within=60, every=0.2)


async def accepted(run: Running, plan: PlannedTransfer, when: datetime) -> None:
    """GMP notifies WMP on ``when``; WMP acknowledges, consults and accepts that day."""
    gmp, wmp = run.desks["GMP"], run.desks["WMP"]
    await gmp.run(playbook.register(plan.reference, when, plan.n))
    details = playbook.move("GMP", when.date(), n=plan.n)
    profile = playbook.profile(plan.n)
    ref, tid = plan.reference, plan.transfer_id
    await gmp.run(playbook.review_and_notify(ref, tid, "WMP", details, profile, when))
    await reach(run, "WMP", plan, S.NOTIFIED)
    mappa = profile.is_mappa_case
    await wmp.run(playbook.acknowledge_and_consult(ref, tid, "WMP", when, mappa=mappa))
    await wmp.run(playbook.accept(ref, tid, "WMP", when))
    await reach(run, "GMP", plan, S.ACCEPTED)


async def commit_reminded(run: Running) -> bool:
    record = await run.desks["GMP"].record(CHASED.reference)
    transfer = record.find_transfer(CHASED.transfer_id) if record else None
    return transfer is not None and any(
        not r.sent and r.waiting_for == WaitingFor.COMMIT for r in transfer.reminders
    )


async def assert_owners(run: Running, owners: dict[PlannedTransfer, tuple[str, int]]) -> None:
    """Each offender's owner and epoch, the same in both views; nothing dead-lettered."""
    for force in ("GMP", "WMP"):
        for plan, expected in owners.items():
            record = await record_of(run, force, plan)
            assert (record.owner, record.epoch) == expected, (force, plan.reference)
        assert await run.count(force, "select count(*) from dead_letters") == 0
        assert await run.audit_intact(force)


async def test_an_overdue_commit_is_reminded_then_committed_and_a_withdrawal_ends_one(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    async with running(federation, []) as run:
        await run.start("GMP", **SCHEDULER)
        await run.start("WMP", **SCHEDULER)
        await accepted(run, CHASED, ago(5))
        await accepted(run, WITHDRAWN, ago(0))

        # WMP's scheduler reminds GMP of the overdue commit; GMP's coordinator commits.
        await eventually(lambda: commit_reminded(run), within=60, every=0.3)
        chased = (await record_of(run, "WMP", CHASED)).transfer(CHASED.transfer_id)
        assert any(r.sent and r.waiting_for == WaitingFor.COMMIT for r in chased.reminders)
        await run.desks["GMP"].run(playbook.commit(CHASED.reference, CHASED.transfer_id, ago(0)))
        await reach(run, "WMP", CHASED, S.COMMITTED)

        # WMP withdraws the other acceptance: it ends withdrawn on both sides, GMP owns.
        withdraw = WithdrawAcceptance(
            reference=WITHDRAWN.reference, by="coordinator", at=ago(0),
            transfer_id=WITHDRAWN.transfer_id, reason="the offender did not report",
        )  # fmt: skip
        await run.desks["WMP"].run([withdraw])
        await reach(run, "GMP", WITHDRAWN, S.WITHDRAWN)
        await reach(run, "WMP", WITHDRAWN, S.WITHDRAWN)
        await assert_owners(run, {CHASED: ("WMP", 2), WITHDRAWN: ("GMP", 1)})


async def test_an_acceptance_lapses_on_the_owners_fake_clock_and_the_owner_still_owns(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    async with running(federation, []) as run:
        await run.start("GMP")
        await run.start("WMP")
        await accepted(run, LAPSING, ago(0))
        # Only once accepted does a second GMP instance run the scheduler on the fake clock,
        # so the notification cannot expire first.
        fake_clock = {**SCHEDULER, "INTERFORCE_SCHEDULER_CLOCK_OFFSET_DAYS": "40"}
        await run.start_instance("GMP", 2, **fake_clock)

        await reach(run, "GMP", LAPSING, S.LAPSED)
        await reach(run, "WMP", LAPSING, S.LAPSED)
        await assert_owners(run, {LAPSING: ("GMP", 1)})
        for force in ("GMP", "WMP"):
            record = await record_of(run, force, LAPSING)
            assert [t.transfer_id for t in record.lapsed_acceptances()] == [LAPSING.transfer_id]
        owner = await record_of(run, "GMP", LAPSING)
        assert owner.is_owner
        assert [t.side for t in owner.lapsed_acceptances()] == [Side.OWNER]
