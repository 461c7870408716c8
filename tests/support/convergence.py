"""Did every planned transfer converge, with no lost and no duplicated effect?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ownership.domain.states import TransferState
from tests.support.federation import Running
from tooling.autopilot import PlannedTransfer


@dataclass(frozen=True)
class Counts:
    """What one force's database holds after a run."""

    force: str
    records: int
    inbox: int
    duplicates: int
    dead_letters: int
    outbox_sent: int
    outbox_waiting: int
    audit_rows: int

    def line(self) -> str:
        return (
            f"{self.force}: {self.records} records, {self.inbox} messages applied, "
            f"{self.duplicates} duplicates ignored, {self.dead_letters} dead letters, "
            f"{self.outbox_sent} sent, {self.outbox_waiting} waiting, {self.audit_rows} audit rows"
        )


async def counts(run: Running, force: str) -> Counts:
    row = await run.desks[force].pool.fetchrow(
        "select (select count(*) from offender_records) as records,"
        " (select count(*) from inbox) as inbox,"
        " (select count(*) from audit_log where action = 'message.duplicate') as duplicates,"
        " (select count(*) from dead_letters) as dead_letters,"
        " (select count(*) from outbox where sent_at is not null) as outbox_sent,"
        " (select count(*) from outbox where sent_at is null) as outbox_waiting,"
        " (select count(*) from audit_log) as audit_rows"
    )
    assert row is not None
    return Counts(force, **dict(row))


async def assert_converged(
    run: Running, planned: Sequence[PlannedTransfer], owner: str, receiver: str
) -> list[Counts]:
    """Every transfer committed on both sides, each message applied and sent exactly once."""
    for plan in planned:
        for force in (owner, receiver):
            record = await run.desks[force].record(plan.reference)
            assert record is not None, (force, plan.reference)
            assert (record.owner, record.epoch) == (receiver, 2), (force, plan.reference)
            assert record.transfer(plan.transfer_id).state is TransferState.COMMITTED
            assert len(record.history) == 2, (force, plan.reference, record.history)
    found = [await counts(run, force) for force in (owner, receiver)]
    for force_counts in found:
        print(force_counts.line())
    n = len(planned)
    mine, theirs = found
    # The owner sent a notification and a commit per offender and applied an acknowledgement
    # and an acceptance; the receiver the other way round. Exactly that, nothing twice.
    assert (mine.records, mine.inbox, mine.outbox_sent, mine.outbox_waiting) == (n, 2 * n, 2 * n, 0)
    assert (theirs.records, theirs.inbox, theirs.outbox_sent, theirs.outbox_waiting) == (
        n,
        2 * n,
        2 * n,
        0,
    )
    assert (mine.dead_letters, theirs.dead_letters) == (0, 0)
    for force in (owner, receiver):
        verified = run.audit_verify_cli(force)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "chain intact" in verified.stdout
    return found
