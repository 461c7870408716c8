"""The commit's deadline: chased up the ladder, reminded by the receiver, lapsing, withdrawn.

An acceptance waits for the owner's commit. The commit is due ``commit_days`` after the
acceptance; an acceptance still uncommitted ``acceptance_valid_days`` after it lapses and the
owner keeps the record at the same epoch. Before the commit the receiver may withdraw it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain.deadlines import (
    EscalationLevel,
    ServiceLevels,
    acceptance_lapses_on,
    step_due,
)
from ownership.domain.errors import (
    IllegalTransitionError,
    InvalidDetailsError,
    NotTheReceiverError,
    OutOfSequenceError,
    SenderNotEntitledError,
    TransferSupersededError,
    UngrantedEpochError,
)
from ownership.domain.events import (
    AcceptanceLapsed,
    AcceptanceWithdrawn,
    DeadlineEscalated,
    OwnershipRefused,
    ReminderSent,
)
from ownership.domain.pending import WaitingFor
from ownership.domain.record import OffenderRecord
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import RefusalReason

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    REF,
    T0,
    TID,
    TODAY,
    local,
    message,
    owner_in,
    receiver_in,
)

S = TransferState
LEVELS = ServiceLevels()
COMMIT_DUE = TODAY + timedelta(days=3)
LAPSES_ON = TODAY + timedelta(days=29)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def chase(record: OffenderRecord, day: date) -> None:
    record.events.clear()
    record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=noon(day), levels=LEVELS))


def lapsed_owner() -> OffenderRecord:
    record = owner_in(S.ACCEPTED)
    chase(record, LAPSES_ON)
    return record


def withdraw(record: OffenderRecord) -> None:
    record.withdraw(local(c.WithdrawAcceptance, transfer_id=TID, reason="did not report"))


def withdrawal() -> c.ReceiveOwnershipWithdrawn:
    return message(c.ReceiveOwnershipWithdrawn, RECEIVER, OWNER, reason="did not report")


def lapse_notice(**fields: Any) -> c.ReceiveOwnershipRefused:
    return message(
        c.ReceiveOwnershipRefused, OWNER, RECEIVER, reason="lapsed", lapsed=True, **fields
    )


# -- the deadline ---------------------------------------------------------------------


@pytest.mark.parametrize("view", [owner_in, receiver_in])
def test_the_commit_is_due_three_days_after_the_acceptance(
    view: Callable[[TransferState], OffenderRecord],
) -> None:
    record = view(S.ACCEPTED)
    assert step_due(record.transfer(TID), LEVELS) == (WaitingFor.COMMIT, COMMIT_DUE)
    assert acceptance_lapses_on(record.transfer(TID), LEVELS) == LAPSES_ON


def test_the_commit_deadline_follows_the_setting() -> None:
    levels = ServiceLevels(commit_days=10, acceptance_valid_days=40)
    due = step_due(owner_in(S.ACCEPTED).transfer(TID), levels)
    assert due == (WaitingFor.COMMIT, TODAY + timedelta(days=10))


def test_an_acceptance_must_stay_valid_past_the_commits_last_rung() -> None:
    with pytest.raises(InvalidDetailsError, match="past the commit's last rung"):
        ServiceLevels(commit_days=3, escalate_every_days=3, acceptance_valid_days=9)
    assert ServiceLevels(commit_days=3, escalate_every_days=3, acceptance_valid_days=10)


def test_a_negative_commit_deadline_is_refused() -> None:
    with pytest.raises(InvalidDetailsError, match="cannot be negative"):
        ServiceLevels(commit_days=-1)


def test_a_commit_on_time_is_not_overdue() -> None:
    record = owner_in(S.ACCEPTED)
    assert record.overdue(COMMIT_DUE, LEVELS) == []
    assert not record.needs_chasing(COMMIT_DUE, LEVELS)


# -- chasing it -----------------------------------------------------------------------


def test_the_owner_escalates_its_own_overdue_commit_without_a_reminder() -> None:
    record = owner_in(S.ACCEPTED)
    chase(record, COMMIT_DUE + timedelta(days=1))
    assert record.events == [
        DeadlineEscalated(
            reference=REF,
            force=OWNER,
            at=noon(COMMIT_DUE + timedelta(days=1)),
            transfer_id=TID,
            waiting_for=WaitingFor.COMMIT,
            level=EscalationLevel.OFFENDER_MANAGER,
            party=OWNER,
            due=COMMIT_DUE,
            reminded=False,
        )
    ]


def test_the_commit_climbs_the_whole_ladder() -> None:
    record = owner_in(S.ACCEPTED)
    for days in (1, 4, 7, 10):
        chase(record, COMMIT_DUE + timedelta(days=days))
    assert [e.level for e in record.escalations] == list(EscalationLevel)
    assert record.transfer(TID).state is S.ACCEPTED


def test_the_receivers_scheduler_reminds_the_owner_of_the_commit() -> None:
    record = receiver_in(S.ACCEPTED)
    accepted = record.transfer(TID).last_message(Step.ACCEPT)
    assert accepted is not None
    chase(record, COMMIT_DUE + timedelta(days=1))
    reminder = next(e for e in record.events if isinstance(e, ReminderSent))
    assert (reminder.recipient, reminder.waiting_for, reminder.original_message_id) == (
        OWNER,
        WaitingFor.COMMIT,
        accepted.message_id,
    )
    assert record.escalations[0].reminded


def test_the_owner_records_a_commit_reminder_and_still_may_commit() -> None:
    record = owner_in(S.ACCEPTED)
    record.receive_reminder(
        message(c.ReceiveTransferReminder, RECEIVER, OWNER, waiting_for=WaitingFor.COMMIT)
    )
    assert record.transfer(TID).reminders[-1].waiting_for == WaitingFor.COMMIT
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert (record.owner, record.epoch) == (RECEIVER, 2)


# -- the lapse ------------------------------------------------------------------------


def test_an_acceptance_is_still_valid_on_its_last_day() -> None:
    record = owner_in(S.ACCEPTED)
    chase(record, LAPSES_ON - timedelta(days=1))
    assert record.transfer(TID).state is S.ACCEPTED


def test_an_uncommitted_acceptance_lapses_and_the_owner_still_owns() -> None:
    record = lapsed_owner()
    assert record.transfer(TID).state is S.LAPSED
    assert (record.owner, record.epoch, record.is_owner) == (OWNER, 1, True)
    assert record.lapsed_acceptances() == [record.transfer(TID)]
    lapsed, refused = (
        e for e in record.events if isinstance(e, AcceptanceLapsed | OwnershipRefused)
    )
    assert lapsed == AcceptanceLapsed(
        reference=REF, force=OWNER, at=noon(LAPSES_ON), transfer_id=TID, accepted_at=T0, epoch=1
    )
    assert isinstance(refused, OwnershipRefused)
    assert (refused.recipient, refused.lapsed, refused.owner, refused.owner_epoch) == (
        RECEIVER,
        True,
        OWNER,
        1,
    )
    assert refused.reason_code is RefusalReason.TRANSFER_CANCELLED


def test_a_lapse_happens_once() -> None:
    record = lapsed_owner()
    assert not record.needs_chasing(LAPSES_ON + timedelta(days=30), LEVELS)
    chase(record, LAPSES_ON + timedelta(days=30))
    assert record.events == []


def test_a_lapsed_acceptance_cannot_be_committed() -> None:
    record = lapsed_owner()
    with pytest.raises(IllegalTransitionError):
        record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_the_owner_may_start_a_new_transfer_after_a_lapse() -> None:
    record = lapsed_owner()
    record.start_transfer(
        local(
            c.StartTransfer,
            transfer_id="T2",
            receiver=RECEIVER,
            details=record.transfer(TID).details,
        )
    )
    assert record.transfer("T2").state is S.DRAFT


def test_the_receiver_never_lets_an_acceptance_lapse_on_its_own() -> None:
    record = receiver_in(S.ACCEPTED)
    chase(record, LAPSES_ON + timedelta(days=60))
    assert record.transfer(TID).state is S.ACCEPTED


def test_the_receiver_records_the_lapse_and_the_owner_it_still_names() -> None:
    record = receiver_in(S.ACCEPTED)
    record.receive_refusal(lapse_notice(owner=OWNER, owner_epoch=1))
    assert record.transfer(TID).state is S.LAPSED
    assert (record.owner, record.epoch, record.is_owner) == (OWNER, 1, False)
    assert record.lapsed_acceptances() == [record.transfer(TID)]


def test_a_refusal_that_does_not_say_lapsed_is_a_refusal() -> None:
    record = receiver_in(S.ACCEPTED)
    record.receive_refusal(message(c.ReceiveOwnershipRefused, OWNER, RECEIVER, reason="off"))
    assert record.transfer(TID).state is S.REFUSED
    assert record.lapsed_acceptances() == []


def test_a_commit_never_follows_a_lapse_at_the_receiver() -> None:
    record = receiver_in(S.ACCEPTED)
    record.receive_refusal(lapse_notice())
    with pytest.raises(OutOfSequenceError):
        record.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    assert (record.owner, record.epoch) == (OWNER, 1)


# -- the withdrawal -------------------------------------------------------------------


def test_the_receiver_withdraws_its_acceptance_and_tells_the_owner() -> None:
    record = receiver_in(S.ACCEPTED)
    accepted = record.transfer(TID).last_message(Step.ACCEPT)
    assert accepted is not None
    withdraw(record)
    assert record.transfer(TID).state is S.WITHDRAWN
    assert record.events == [
        AcceptanceWithdrawn(
            reference=REF,
            force=RECEIVER,
            at=T0,
            recipient=OWNER,
            transfer_id=TID,
            epoch=1,
            causation_id=accepted.message_id,
            reason="did not report",
        )
    ]
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_the_owner_hears_the_withdrawal_keeps_the_record_and_cannot_commit() -> None:
    record = owner_in(S.ACCEPTED)
    record.receive_withdrawal(withdrawal())
    assert record.transfer(TID).state is S.WITHDRAWN
    assert (record.owner, record.epoch, record.is_owner) == (OWNER, 1, True)
    with pytest.raises(IllegalTransitionError):
        record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert not record.needs_chasing(LAPSES_ON + timedelta(days=1), LEVELS)


@pytest.mark.parametrize("state", [S.NOTIFIED, S.ACKNOWLEDGED, S.DECLINED, S.REFUSED])
def test_only_an_acceptance_can_be_withdrawn(state: TransferState) -> None:
    record = receiver_in(state)
    with pytest.raises(IllegalTransitionError):
        withdraw(record)
    assert record.events == []


def test_a_withdrawal_after_the_commit_is_refused_the_receiver_owns() -> None:
    record = receiver_in(S.COMMITTED)
    with pytest.raises(TransferSupersededError):
        withdraw(record)
    assert (record.owner, record.epoch) == (RECEIVER, 2)


def test_a_lapsed_acceptance_cannot_be_withdrawn() -> None:
    record = receiver_in(S.ACCEPTED)
    record.receive_refusal(lapse_notice())
    with pytest.raises(IllegalTransitionError):
        withdraw(record)


def test_the_owner_cannot_withdraw_an_acceptance() -> None:
    record = owner_in(S.ACCEPTED)
    with pytest.raises(NotTheReceiverError):
        withdraw(record)


def test_the_owner_refuses_a_withdrawal_of_an_acceptance_it_never_had() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    with pytest.raises(OutOfSequenceError):
        record.receive_withdrawal(withdrawal())
    assert record.transfer(TID).state is S.ACKNOWLEDGED


def test_only_the_receiver_may_withdraw_its_acceptance() -> None:
    record = owner_in(S.ACCEPTED)
    forged = message(c.ReceiveOwnershipWithdrawn, OTHER, OWNER, reason="not ours")
    with pytest.raises(SenderNotEntitledError):
        record.receive_withdrawal(forged)
    assert record.transfer(TID).state is S.ACCEPTED


def test_a_withdrawal_speaks_for_the_owners_epoch_not_the_next() -> None:
    record = owner_in(S.ACCEPTED)
    early = message(c.ReceiveOwnershipWithdrawn, RECEIVER, OWNER, 2, reason="did not report")
    with pytest.raises(UngrantedEpochError):
        record.receive_withdrawal(early)
    assert record.transfer(TID).state is S.ACCEPTED


def test_only_the_owner_may_say_an_acceptance_lapsed() -> None:
    record = receiver_in(S.ACCEPTED)
    forged = message(c.ReceiveOwnershipRefused, OTHER, RECEIVER, reason="lapsed", lapsed=True)
    with pytest.raises(SenderNotEntitledError):
        record.receive_refusal(forged)
    assert record.transfer(TID).state is S.ACCEPTED


# -- messages that cross: one owner whatever the order ---------------------------------


def test_a_commit_that_crossed_the_withdrawal_stands_and_the_receiver_owns() -> None:
    owner, receiver = owner_in(S.ACCEPTED), receiver_in(S.ACCEPTED)
    withdraw(receiver)
    owner.commit(local(c.CommitTransfer, transfer_id=TID))
    owner.receive_withdrawal(withdrawal())
    receiver.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    assert owner.transfer(TID).state is receiver.transfer(TID).state is S.COMMITTED
    assert (owner.owner, owner.epoch) == (receiver.owner, receiver.epoch) == (RECEIVER, 2)
    assert receiver.is_owner
    assert not owner.is_owner


def test_a_lapse_that_crossed_the_withdrawal_leaves_the_owner_owning() -> None:
    owner, receiver = lapsed_owner(), receiver_in(S.ACCEPTED)
    withdraw(receiver)
    owner.receive_withdrawal(withdrawal())
    receiver.receive_refusal(lapse_notice())
    assert owner.transfer(TID).state is S.LAPSED
    assert receiver.transfer(TID).state is S.WITHDRAWN
    assert (owner.owner, owner.epoch) == (receiver.owner, receiver.epoch) == (OWNER, 1)
    assert owner.is_owner
    assert not receiver.is_owner
