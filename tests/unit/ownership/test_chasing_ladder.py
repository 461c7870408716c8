"""The escalation ladder day by day, written out: when each rung is reached, what it records.

Service levels as in ``ServiceLevels()``: acknowledge within 5 days, accept within 7 days of
the expected move, return 2 days after a temporary move ends, a rung every 3 days, lapse 14
days after the due date. The notification is sent on TODAY, so the acknowledgement is due on
TODAY + 5 and overdue from TODAY + 6.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from ownership.domain import commands as c
from ownership.domain.deadlines import (
    LADDER,
    Escalation,
    EscalationLevel,
    OverdueStep,
    ServiceLevels,
    step_due,
)
from ownership.domain.events import DeadlineEscalated, ReminderSent, TransferCancelled
from ownership.domain.history import TemporaryMove
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState

from .builders import OWNER, RECEIVER, REF, TID, TODAY, move, owner_in, receiver_in

S = TransferState
LEVELS = ServiceLevels()
ACK_DUE = TODAY + timedelta(days=5)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def chase(record: OffenderRecord, day: date) -> None:
    record.events.clear()
    record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=noon(day), levels=LEVELS))


def test_the_ladder_is_the_offender_manager_then_a_supervisor_then_the_mappa_coordinator() -> None:
    assert LADDER == (
        EscalationLevel.OFFENDER_MANAGER,
        EscalationLevel.SUPERVISOR,
        EscalationLevel.MAPPA_COORDINATOR,
    )


def test_an_acknowledgement_is_due_five_days_after_the_notification() -> None:
    transfer = owner_in(S.NOTIFIED).transfer(TID)
    assert step_due(transfer, LEVELS) == (WaitingFor.ACKNOWLEDGEMENT, ACK_DUE)
    assert step_due(owner_in(S.DRAFT).transfer(TID), LEVELS) is None
    assert step_due(owner_in(S.COMMITTED).transfer(TID), LEVELS) is None


def test_an_acceptance_is_due_seven_days_after_the_expected_move() -> None:
    expected = move().expected_date + timedelta(days=7)
    for record in (owner_in(S.ACKNOWLEDGED), receiver_in(S.ACKNOWLEDGED, consulted=False)):
        assert step_due(record.transfer(TID), LEVELS) == (WaitingFor.ACCEPTANCE, expected)


def test_nothing_is_overdue_on_the_due_date_and_the_step_is_overdue_the_day_after() -> None:
    record = owner_in(S.NOTIFIED)
    assert record.overdue(ACK_DUE, LEVELS) == []
    assert not record.needs_chasing(ACK_DUE, LEVELS)
    transfer = record.transfer(TID)
    assert record.overdue(ACK_DUE + timedelta(days=1), LEVELS) == [
        OverdueStep(TID, WaitingFor.ACKNOWLEDGEMENT, RECEIVER, ACK_DUE, transfer)
    ]
    assert record.needs_chasing(ACK_DUE + timedelta(days=1), LEVELS)


def test_each_rung_is_reached_on_its_day_reminding_the_receiver_each_time() -> None:
    record = owner_in(S.NOTIFIED)
    days = {
        ACK_DUE + timedelta(days=1): EscalationLevel.OFFENDER_MANAGER,
        ACK_DUE + timedelta(days=4): EscalationLevel.SUPERVISOR,
        ACK_DUE + timedelta(days=7): EscalationLevel.MAPPA_COORDINATOR,
    }
    for day, level in days.items():
        chase(record, day - timedelta(days=1))
        assert not [e for e in record.events if isinstance(e, DeadlineEscalated)], day
        chase(record, day)
        reminded = [e for e in record.events if isinstance(e, ReminderSent)]
        assert [r.recipient for r in reminded] == [RECEIVER]
        assert record.events[-1] == DeadlineEscalated(
            reference=REF,
            force=OWNER,
            at=noon(day),
            transfer_id=TID,
            waiting_for=WaitingFor.ACKNOWLEDGEMENT,
            level=level,
            party=RECEIVER,
            due=ACK_DUE,
            reminded=True,
        )
    assert record.escalations == [
        Escalation(
            TID, WaitingFor.ACKNOWLEDGEMENT, level, RECEIVER, ACK_DUE, noon(day), "scheduler", True
        )
        for day, level in days.items()
    ]
    assert not record.needs_chasing(ACK_DUE + timedelta(days=14), LEVELS)


def test_after_the_last_rung_the_transfer_lapses_past_its_final_deadline() -> None:
    record = owner_in(S.NOTIFIED)
    for days in (1, 4, 7):
        chase(record, ACK_DUE + timedelta(days=days))
    chase(record, ACK_DUE + timedelta(days=14))
    assert record.events == []
    assert record.transfer(TID).state is S.NOTIFIED
    assert record.needs_chasing(ACK_DUE + timedelta(days=15), LEVELS)
    chase(record, ACK_DUE + timedelta(days=15))
    assert record.transfer(TID).state is S.EXPIRED
    cancelled = record.events[-1]
    assert isinstance(cancelled, TransferCancelled)
    assert (cancelled.recipient, cancelled.expired) == (RECEIVER, True)
    assert record.transfer(TID).steps[-1].by == "scheduler"


def test_the_receiver_escalates_its_own_late_acknowledgement_without_a_reminder() -> None:
    record = receiver_in(S.NOTIFIED)
    chase(record, ACK_DUE + timedelta(days=1))
    assert record.events == [
        DeadlineEscalated(
            reference=REF,
            force=RECEIVER,
            at=noon(ACK_DUE + timedelta(days=1)),
            transfer_id=TID,
            waiting_for=WaitingFor.ACKNOWLEDGEMENT,
            level=EscalationLevel.OFFENDER_MANAGER,
            party=RECEIVER,
            due=ACK_DUE,
            reminded=False,
        )
    ]


def test_the_receiver_never_lets_a_transfer_lapse() -> None:
    record = receiver_in(S.NOTIFIED)
    for days in (1, 4, 7, 30):
        chase(record, ACK_DUE + timedelta(days=days))
    assert record.transfer(TID).state is S.NOTIFIED
    assert len(record.escalations) == 3


@pytest.mark.parametrize("state", [S.DRAFT, S.READY, S.COMMITTED, S.CANCELLED])
def test_steps_before_notifying_or_after_the_end_are_not_chased(state: TransferState) -> None:
    record = owner_in(state)
    assert record.overdue(TODAY + timedelta(days=60), LEVELS) == []


def test_a_temporary_move_is_due_back_two_days_after_it_ends() -> None:
    end = TODAY + timedelta(days=20)
    record = owner_in(S.DRAFT)
    record.temporary_move = TemporaryMove("T0", OWNER, RECEIVER, end)
    record.transfers.clear()
    assert record.overdue(end + timedelta(days=2), LEVELS) == []
    assert record.overdue(end + timedelta(days=3), LEVELS) == [
        OverdueStep("T0", WaitingFor.RETURN, RECEIVER, end + timedelta(days=2))
    ]
    chase(record, end + timedelta(days=3))
    escalated = record.events[-1]
    assert isinstance(escalated, DeadlineEscalated)
    assert (escalated.waiting_for, escalated.party, escalated.reminded) == (
        WaitingFor.RETURN,
        RECEIVER,
        False,
    )
