"""The guards on each side's steps with their whole refusal texts, and the details a step
keeps (contacts, registration, review, consultation), written out as literals."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from ownership.domain import commands as c
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import (
    ConsultationIncompleteError,
    DomainError,
    IllegalTransitionError,
    MisaddressedError,
    NotTheOwnerError,
    NotTheReceiverError,
    ReviewIncompleteError,
    SenderNotEntitledError,
    StaleEpochError,
    StaleRevisionError,
    TransferAlreadyKnownError,
    TransferNotKnownError,
    TransferSupersededError,
    UngrantedEpochError,
    UnknownTransferError,
    UnresolvedConflictError,
)
from ownership.domain.events import DeadlineEscalated, ReminderSent
from ownership.domain.history import TemporaryMove
from ownership.domain.places import RegularPlace
from ownership.domain.review import ReviewEntry, ReviewItem
from ownership.domain.review_report import ReviewMethod, ReviewOutcome, ReviewReport
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import DeclineReason, Registration, StepTaken
from ownership.domain.values import Contact, MoveKind

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    REF,
    T0,
    TID,
    TODAY,
    amendment,
    at,
    complete_review,
    consult,
    local,
    message,
    move,
    notification,
    owner_in,
    receiver_in,
    register,
)

S = TransferState
CONTACT = Contact("DS Lee", "offender manager", "WMP", "0121 000")


def refused(error: type[DomainError], text: str) -> Any:
    """Expect exactly this refusal, its whole text."""
    return pytest.raises(error, match=f"^{re.escape(text)}$")


# -- guards on another force's messages ------------------------------------------------------


def test_a_message_addressed_to_another_force_is_refused() -> None:
    record = owner_in(S.NOTIFIED)
    with refused(MisaddressedError, f"addressed to {OTHER}, not {OWNER}"):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OTHER, revision=1)
        )


def test_a_message_about_a_transfer_never_heard_of_is_refused() -> None:
    record = owner_in(S.NOTIFIED)
    with refused(TransferNotKnownError, "no transfer T9 is known"):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, transfer_id="T9")
        )


@pytest.mark.parametrize(
    ("epoch", "error", "text"),
    [
        (0, StaleEpochError, "epoch 0 is older than 1"),
        (2, UngrantedEpochError, "epoch 2 was never granted"),
    ],
)
def test_a_message_for_another_epoch_is_refused(
    epoch: int, error: type[DomainError], text: str
) -> None:
    record = owner_in(S.NOTIFIED)
    with refused(error, text):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, epoch, revision=1)
        )


def test_an_acknowledgement_of_an_old_revision_is_refused() -> None:
    record = owner_in(S.AMENDED)
    with refused(StaleRevisionError, "revision 1 is not 2"):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1)
        )


def test_the_owners_messages_are_not_taken_from_the_receiver_nor_the_receivers_from_it() -> None:
    owner = owner_in(S.ACCEPTED)
    not_entitled = f"^{RECEIVER} may not send "
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        owner.receive_cancellation(message(c.ReceiveTransferCancelled, RECEIVER, OWNER, reason="x"))
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        owner.receive_refusal(message(c.ReceiveOwnershipRefused, RECEIVER, OWNER, reason="x"))
    changes = DetailsAmendment.whole(move())
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        owner.receive_amendment(
            message(
                c.ReceiveTransferAmended, RECEIVER, OWNER, changes=changes, revision=2, reason="r"
            )
        )
    receiver = receiver_in(S.ACKNOWLEDGED)
    not_entitled = f"^{OWNER} may not send "
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        receiver.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, OWNER, RECEIVER, revision=1)
        )
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        receiver.receive_acceptance(message(c.ReceiveOwnershipAccepted, OWNER, RECEIVER, 2))
    with pytest.raises(SenderNotEntitledError, match=not_entitled):
        receiver.receive_decline(
            message(
                c.ReceiveTransferDeclined, OWNER, RECEIVER, reason=DeclineReason.NOT_OURS, text="x"
            )
        )
    assert [r.code for r in owner.refusals + receiver.refusals] == ["sender_not_entitled"] * 6


def test_a_second_notification_of_a_known_transfer_is_refused() -> None:
    record = receiver_in(S.NOTIFIED)
    with refused(TransferAlreadyKnownError, f"transfer {TID} is known"):
        record.receive_notification(notification())


# -- guards on this force's own steps -----------------------------------------------------


def test_the_receiver_may_not_take_the_owners_steps_nor_the_owner_the_receivers() -> None:
    with refused(NotTheOwnerError, f"{RECEIVER} is the receiver of transfer {TID}"):
        receiver_in(S.NOTIFIED).cancel(local(c.CancelTransfer, transfer_id=TID, reason="x"))
    with refused(NotTheReceiverError, f"{OWNER} is not the receiver of {TID}"):
        owner_in(S.NOTIFIED).acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))


def test_after_the_handover_neither_side_acts_on_the_old_epoch() -> None:
    with refused(NotTheOwnerError, f"{OWNER} does not own epoch 1"):
        owner_in(S.COMMITTED).amend(
            local(c.AmendTransfer, transfer_id=TID, details=move(), reason="x")
        )
    with refused(TransferSupersededError, f"{REF} is at epoch 2, past 1"):
        receiver_in(S.COMMITTED).decline(
            local(c.DeclineTransfer, transfer_id=TID, reason=DeclineReason.OTHER, text="x")
        )


def test_a_step_its_state_does_not_allow_names_side_step_and_state() -> None:
    text = f"the owner of transfer {TID} cannot send transfer.amended when draft"
    with refused(IllegalTransitionError, text):
        owner_in(S.DRAFT).amend(local(c.AmendTransfer, transfer_id=TID, details=move(), reason="x"))


def test_an_unknown_transfer_and_an_unfinished_review_are_refused_by_name() -> None:
    with refused(UnknownTransferError, f"{REF} has no transfer T9"):
        register().transfer("T9")
    record = register()
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move())
    )
    record.complete_review_item(
        local(c.CompleteReviewItem, transfer_id=TID, item=ReviewItem.PNC_CHECKED, note="ok")
    )
    outstanding = sorted(record.transfer(TID).review.outstanding(record.profile))
    assert len(outstanding) > 1
    with refused(ReviewIncompleteError, f"outstanding review items: {', '.join(outstanding)}"):
        record.notify(local(c.NotifyTransfer, transfer_id=TID))


def test_a_record_in_conflict_takes_no_handover_step() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(DomainError):
        record.receive_notification(notification(sender=OTHER, transfer_id="T9"))
    owner = owner_in(S.ACCEPTED)
    owner.conflicts.extend(record.conflicts)
    with refused(UnresolvedConflictError, f"ownership of {REF} is in conflict"):
        owner.commit(local(c.CommitTransfer, transfer_id=TID))


def test_accepting_before_the_consultation_is_done_is_refused() -> None:
    record = receiver_in(S.ACKNOWLEDGED, consulted=False)
    with refused(ConsultationIncompleteError, f"consult on {TID} before accepting"):
        record.accept(local(c.AcceptOwnership, transfer_id=TID))


# -- the details steps keep ------------------------------------------------------------------


def test_the_owner_keeps_the_receivers_contact_until_it_names_another() -> None:
    record = owner_in(S.NOTIFIED)
    record.receive_acknowledgement(
        message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, contact=CONTACT)
    )
    assert record.transfer(TID).peer_contact == CONTACT
    registration = Registration(TODAY, "Leeds Central")
    record.receive_acceptance(
        message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2, registration=registration)
    )
    transfer = record.transfer(TID)
    assert (transfer.peer_contact, transfer.registration) == (CONTACT, registration)


def test_the_receiver_keeps_its_registration_and_acknowledges_with_whom_it_consults() -> None:
    record = receiver_in(S.ACKNOWLEDGED)
    record.receive_amendment(amendment(2))
    record.events.clear()
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID, at=at(3), by="dc"))
    (acknowledged,) = record.events
    assert getattr(acknowledged, "consulting", None) == ("Leeds probation",)
    assert record.transfer(TID).steps[-1] == StepTaken(
        Step.ACKNOWLEDGE, S.ACKNOWLEDGED, at(3), "dc", 2
    )
    registration = Registration(TODAY, "Leeds Central")
    record.accept(local(c.AcceptOwnership, transfer_id=TID, registration=registration))
    assert record.transfer(TID).registration == registration
    consultation = record.transfer(TID).consultation
    assert consultation is not None
    assert consultation.completed_by == "officer"


def test_a_notification_brings_its_review_and_an_amendment_may_replace_the_report() -> None:
    entries = (ReviewEntry(ReviewItem.PNC_CHECKED, "pc", T0, "clear"),)
    record = receiver_in(S.NOTIFIED)
    record.transfers.clear()
    record.receive_notification(replace(notification(), review=entries))
    assert record.transfer(TID).review.entries == list(entries)
    report = ReviewReport(ReviewMethod.HOME_VISIT, TODAY, ReviewOutcome.NO_CONCERNS, frozenset())
    changes = replace(DetailsAmendment.whole(move()), review=report)
    record.receive_amendment(
        message(c.ReceiveTransferAmended, OWNER, RECEIVER, changes=changes, revision=2, reason="r")
    )
    assert record.transfer(TID).review_report == report


def test_an_amendment_may_move_the_destination_to_a_place_regularly_found() -> None:
    place = RegularPlace("the bandstand", "Leeds")
    details = replace(move(), new_address=None, place_regularly_found=place)
    amended = DetailsAmendment.whole(details).apply_to(move())
    assert (amended.new_address, amended.place_regularly_found) == (None, place)


def test_the_receiver_of_a_temporary_move_records_when_it_ends() -> None:
    end = TODAY + timedelta(days=30)
    record = receiver_in(S.NOTIFIED)
    record.transfers.clear()
    record.receive_notification(
        replace(notification(), details=replace(move(), kind=MoveKind.TEMPORARY, end_date=end))
    )
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))
    consult(record)
    record.accept(local(c.AcceptOwnership, transfer_id=TID))
    record.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, 2))
    assert record.history[-1].temporary_until == end
    assert record.temporary_move == TemporaryMove(TID, OWNER, RECEIVER, end)


def test_only_a_transfer_home_is_the_return_of_a_temporary_move() -> None:
    record = receiver_in(S.COMMITTED)
    record.temporary_move = TemporaryMove(TID, OWNER, RECEIVER, TODAY)
    start = local(c.StartTransfer, transfer_id="T2", receiver=OTHER, details=move())
    record.start_transfer(start)
    assert record.transfer("T2").return_of is None
    record.cancel(local(c.CancelTransfer, transfer_id="T2", reason="x"))
    record.start_transfer(replace(start, transfer_id="T3", receiver=OWNER))
    assert record.transfer("T3").return_of == TID


# -- the scheduler's steps -------------------------------------------------------------------


def test_the_scheduler_reminds_and_lapses_in_its_own_name_at_its_time() -> None:
    record = owner_in(S.NOTIFIED)
    levels = ServiceLevels()
    due = TODAY + timedelta(days=5)
    for days in (1, 4, 7, 15):
        when = at(0) + timedelta(days=5 + days)
        record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=when, levels=levels))
    reminders = record.transfer(TID).reminders
    assert [(r.at.date(), r.by) for r in reminders] == [
        (due + timedelta(days=d), "scheduler") for d in (1, 4, 7)
    ]
    sent = [e for e in record.events if isinstance(e, ReminderSent)]
    assert [e.at.date() for e in sent] == [due + timedelta(days=d) for d in (1, 4, 7)]
    expired = record.transfer(TID).steps[-1]
    assert (expired.step, expired.at.date(), expired.by) == (
        Step.EXPIRE,
        due + timedelta(days=15),
        "scheduler",
    )


def test_a_step_not_chased_does_not_hide_the_next_transfers() -> None:
    record = owner_in(S.CANCELLED)
    record.transfers[0].transfer_id = "T0"
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move())
    )
    complete_review(record)
    record.notify(local(c.NotifyTransfer, transfer_id=TID))
    overdue = record.overdue(TODAY + timedelta(days=6), ServiceLevels())
    assert [o.transfer_id for o in overdue] == [TID]


def test_a_lapsing_transfer_does_not_hide_an_overdue_return() -> None:
    record = owner_in(S.NOTIFIED)
    levels = ServiceLevels()
    for days in (6, 9, 12):
        when = at(0) + timedelta(days=days)
        record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=when, levels=levels))
    lapse_day = at(0) + timedelta(days=20)
    record.temporary_move = TemporaryMove("T0", OWNER, OTHER, lapse_day.date() - timedelta(3))
    record.events.clear()
    record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=lapse_day, levels=levels))
    assert record.transfer(TID).state is S.EXPIRED
    escalated = [e for e in record.events if isinstance(e, DeadlineEscalated)]
    assert [(e.transfer_id, e.party) for e in escalated] == [("T0", OTHER)]
