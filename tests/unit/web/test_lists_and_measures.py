"""The worklist, overdue, conflicts, measures and timeline, computed from records in memory."""

from __future__ import annotations

from interforce.web.measures import measures
from interforce.web.timeline import timeline
from interforce.web.worklist import (
    expired_transfers,
    open_conflicts,
    waiting_on,
    work_items,
    worklist_tasks,
)
from ownership.domain import commands as c
from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.record import OffenderRecord
from ownership.domain.task_kinds import TaskKind, TaskOutcome
from tests.support.caseload import (
    COMPLETED,
    CONFLICTED,
    FORCE,
    INCOMING,
    LAPSED,
    MAPPA_OVERDUE,
    NOW,
    PLAIN_OVERDUE,
    caseload,
)

LEVELS = ServiceLevels()


async def records() -> list[OffenderRecord]:
    return list((await caseload()).uow.store.values())


async def test_items_wait_on_us_or_on_others_oldest_first_with_deadlines() -> None:
    items = work_items(await records(), NOW.date(), LEVELS)
    on_us = waiting_on(items, FORCE, us=True)
    on_others = waiting_on(items, FORCE, us=False)
    assert [i.reference for i in on_us] == [INCOMING]
    assert [i.reference for i in on_others] == [MAPPA_OVERDUE, PLAIN_OVERDUE]
    mappa, plain = on_others
    assert (mappa.waiting_for, mappa.overdue_days, mappa.mappa) == ("acceptance", 19, True)
    assert (plain.waiting_for, plain.overdue_days, plain.mappa) == ("acknowledgement", 25, False)
    assert [c.text for c in mappa.chases] == ["reminder sent to WMP"]
    assert not on_us[0].overdue
    assert on_us[0].deadline is not None


async def test_expired_transfers_and_open_conflicts() -> None:
    held = await records()
    [lapsed] = expired_transfers(held, NOW.date().replace(year=2025))
    assert (lapsed.reference, lapsed.peer, lapsed.outgoing) == (LAPSED, "NYP", True)
    assert expired_transfers(held, NOW.date()) == []
    [conflict] = open_conflicts(held)
    assert (conflict.reference, conflict.held_owner, conflict.claimed_owner) == (
        CONFLICTED, "GMP", "NYP",
    )  # fmt: skip


async def test_measures_per_counterpart_and_direction() -> None:
    rows, total = measures(await records(), LEVELS)
    by_peer = {(m.peer, m.direction): m for m in rows}
    wmp = by_peer["WMP", "we sent"]
    assert (wmp.notified, wmp.completed, wmp.completed_in_time) == (3, 1, 1)
    assert (wmp.median_days_to_acknowledge, wmp.median_days_to_accept) == (2.0, 10.0)
    assert wmp.in_time_percent == 100
    assert by_peer["WMP", "we received"].notified == 1
    assert by_peer["NYP", "we sent"].completed == 0
    assert total.notified == 5
    strict = ServiceLevels(acknowledge_days=1)
    assert measures(await records(), strict)[1].completed_in_time == 0


async def test_the_timeline_holds_every_owner_visit_and_step_in_order() -> None:
    record = next(r for r in await records() if r.reference == COMPLETED)
    entries = timeline(record)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    kinds = {e.kind for e in entries}
    assert {"ownership", "transfer", "visit"} <= kinds
    owners = [e.what for e in entries if e.kind == "ownership"]
    assert owners == ["GMP registered: owner from epoch 1", "WMP transferred: owner from epoch 2"]


async def test_our_tasks_and_the_timeline_of_a_failure_to_arrive() -> None:
    held = await records()
    (lapsed,) = worklist_tasks(held, NOW, LEVELS)
    assert (lapsed.reference, lapsed.kind) == (LAPSED, TaskKind.EXPIRED_TRANSFER)
    record = next(r for r in held if r.reference == PLAIN_OVERDUE)
    tried = ArrivalAttempt(ArrivalCheck.TELEPHONED, NOW, "number disconnected")
    transfer = record.transfers[0]
    record.receive_failure_to_arrive(
        c.ReceiveTransferFailedToArrive(
            reference=PLAIN_OVERDUE, at=NOW, sender="WMP", recipient=FORCE, epoch=1,
            message_id="m-fta", transfer_id=transfer.transfer_id, attempts=(tried,),
            summary="never came",
        )
    )  # fmt: skip
    (lost,) = record.tasks(NOW, LEVELS)
    record.close_task(
        c.CloseTask(
            reference=PLAIN_OVERDUE, at=NOW, by="casey", task_id=lost.task_id,
            outcome=TaskOutcome.CIRCULATED_MISSING, done="PNC entry", why="not found",
        )
    )  # fmt: skip
    what = [e.what for e in timeline(record)]
    assert "Tried to find the offender: telephoned" in what
    assert any(w.endswith("failed to arrive: whereabouts unknown") for w in what)
    assert "Task closed: whereabouts unknown (circulated_missing)" in what
