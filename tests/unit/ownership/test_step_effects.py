"""What each step of a transfer records and emits, written out in full.

test_transitions says which steps are legal where; these say what a legal step leaves
behind: the exact events (the outgoing ones become protocol messages), the step in the
transfer's log, and the record's owner, epoch, history and status. Every expected value is
a literal, so a step that sends the wrong epoch, names the wrong recipient or forgets what
answered what fails here.
"""

from __future__ import annotations

import pytest

from ownership.domain import commands as c
from ownership.domain.errors import OutOfSequenceError, StaleEpochError, UngrantedEpochError
from ownership.domain.events import (
    ConsultationOpened,
    DraftTransferCancelled,
    OwnershipAccepted,
    OwnershipChanged,
    OwnershipRefused,
    OwnershipTransferred,
    PeerMessageRefused,
    PeerStepApplied,
    TransferAcknowledged,
    TransferAmended,
    TransferCancelled,
    TransferDeclined,
    TransferExpired,
    TransferNotified,
)
from ownership.domain.history import ChangeKind, OwnershipChange, Refusal, TemporaryMove
from ownership.domain.message_ids import sent_message_id
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.review_report import ReviewCheck, ReviewMethod, ReviewOutcome, ReviewReport
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import (
    CancelReason,
    Decline,
    DeclineReason,
    Handover,
    RefusalReason,
    StepTaken,
)

from .builders import (
    OWNER,
    PDP,
    RECEIVER,
    REF,
    T0,
    TID,
    TODAY,
    amendment,
    at,
    complete_review,
    local,
    message,
    move,
    notification,
    owner_in,
    receiver_in,
)

S = TransferState


def sent_id(force: str, step: str, revision: int = 1) -> str:
    return sent_message_id(force, REF, TID, step, revision)


# -- the owner's own steps ---------------------------------------------------------------


def test_notifying_sends_the_review_to_the_receiver_at_the_current_epoch() -> None:
    record = owner_in(S.READY)
    record.notify(local(c.NotifyTransfer, transfer_id=TID, at=at(5)))
    (notified,) = record.events
    assert isinstance(notified, TransferNotified)
    transfer = record.transfer(TID)
    assert (notified.reference, notified.force, notified.at) == (REF, OWNER, at(5))
    assert (notified.recipient, notified.transfer_id, notified.epoch) == (RECEIVER, TID, 1)
    assert (notified.message_id, notified.revision) == (sent_id(OWNER, "transfer.notified"), 1)
    assert (notified.profile, notified.details) == (record.profile, move())
    assert notified.review == tuple(transfer.review.entries)
    assert (notified.report, notified.review_outcome) == (None, "outcome_recorded done")
    assert transfer.steps[-1] == StepTaken(
        Step.NOTIFY, S.NOTIFIED, at(5), "officer", 1, sent_id(OWNER, "transfer.notified")
    )
    assert record.status is RecordStatus.TRANSFERRING_OUT


def test_amending_raises_the_revision_and_sends_the_new_details() -> None:
    record = owner_in(S.NOTIFIED)
    details = move(street="2 Other Street")
    record.amend(local(c.AmendTransfer, transfer_id=TID, details=details, reason="typo", at=at(9)))
    message_id = sent_id(OWNER, "transfer.amended", 2)
    assert record.events == [
        TransferAmended(
            reference=REF,
            force=OWNER,
            at=at(9),
            recipient=RECEIVER,
            transfer_id=TID,
            epoch=1,
            message_id=message_id,
            details=details,
            revision=2,
            reason="typo",
        )
    ]
    transfer = record.transfer(TID)
    assert (transfer.revision, transfer.details) == (2, details)
    assert transfer.steps[-1] == StepTaken(
        Step.AMEND, S.AMENDED, at(9), "officer", 2, message_id, "typo"
    )


def test_cancelling_a_notified_transfer_tells_the_receiver_it_is_off() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.cancel(
        local(
            c.CancelTransfer,
            transfer_id=TID,
            reason="moved abroad",
            reason_code=CancelReason.MOVE_ABANDONED,
            at=at(20),
        )
    )
    assert record.events == [
        TransferCancelled(
            reference=REF,
            force=OWNER,
            at=at(20),
            recipient=RECEIVER,
            transfer_id=TID,
            epoch=1,
            reason="moved abroad",
            expired=False,
            reason_code=CancelReason.MOVE_ABANDONED,
        )
    ]
    assert record.transfer(TID).steps[-1] == StepTaken(
        Step.CANCEL, S.CANCELLED, at(20), "officer", 1, None, "moved abroad"
    )
    assert record.status is RecordStatus.OWNED


def test_cancelling_a_draft_tells_nobody() -> None:
    record = owner_in(S.DRAFT)
    record.cancel(local(c.CancelTransfer, transfer_id=TID, reason="not moving", at=at(3)))
    assert record.events == [
        DraftTransferCancelled(
            reference=REF, force=OWNER, at=at(3), transfer_id=TID, reason="not moving"
        )
    ]
    assert record.status is RecordStatus.OWNED


def test_expiring_a_notified_transfer_records_it_and_tells_the_receiver() -> None:
    record = owner_in(S.NOTIFIED)
    record.expire(local(c.ExpireTransfer, transfer_id=TID, at=at(30)))
    assert record.events == [
        TransferExpired(reference=REF, force=OWNER, at=at(30), transfer_id=TID),
        TransferCancelled(
            reference=REF,
            force=OWNER,
            at=at(30),
            recipient=RECEIVER,
            transfer_id=TID,
            epoch=1,
            reason="the transfer expired without an answer",
            expired=True,
            reason_code=CancelReason.OTHER,
        ),
    ]
    assert record.transfer(TID).steps[-1] == StepTaken(Step.EXPIRE, S.EXPIRED, at(30), "officer", 1)


def test_expiring_a_draft_tells_nobody() -> None:
    record = owner_in(S.DRAFT)
    record.expire(local(c.ExpireTransfer, transfer_id=TID, at=at(30)))
    assert record.events == [
        TransferExpired(reference=REF, force=OWNER, at=at(30), transfer_id=TID)
    ]


def test_committing_hands_epoch_two_to_the_receiver_answering_its_acceptance() -> None:
    record = owner_in(S.NOTIFIED)
    acceptance = message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2)
    record.receive_acceptance(acceptance)
    record.events.clear()
    record.commit(
        local(
            c.CommitTransfer,
            transfer_id=TID,
            at=at(40),
            records_sent=True,
            records_reference="VISOR-9",
        )
    )
    assert record.events == [
        OwnershipChanged(
            reference=REF,
            force=OWNER,
            at=at(40),
            previous_owner=OWNER,
            owner=RECEIVER,
            epoch=2,
            kind=ChangeKind.TRANSFERRED,
            transfer_id=TID,
        ),
        OwnershipTransferred(
            reference=REF,
            force=OWNER,
            at=at(40),
            recipient=RECEIVER,
            transfer_id=TID,
            epoch=2,
            causation_id=acceptance.message_id,
            previous_owner=OWNER,
            temporary_until=None,
            records_sent=True,
            records_reference="VISOR-9",
        ),
    ]
    assert (record.owner, record.epoch, record.status) == (
        RECEIVER,
        2,
        RecordStatus.OWNED_ELSEWHERE,
    )
    assert record.history[-1] == OwnershipChange(
        2, RECEIVER, OWNER, at(40), ChangeKind.TRANSFERRED, TID, None
    )
    assert record.temporary_move is None
    transfer = record.transfer(TID)
    assert transfer.handover == Handover(at(40), True, "VISOR-9")
    assert transfer.steps[-1] == StepTaken(Step.COMMIT, S.COMMITTED, at(40), "officer", 1)


def test_committing_a_temporary_move_leaves_its_return_due() -> None:
    end = TODAY.replace(day=28)
    record = owner_in(S.DRAFT)
    record.transfers.clear()
    record.start_transfer(
        local(c.StartTransfer, transfer_id=TID, receiver=RECEIVER, details=move(end))
    )
    complete_review(record)
    record.notify(local(c.NotifyTransfer, transfer_id=TID))
    record.receive_acceptance(message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2))
    record.events.clear()
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    transferred = record.events[-1]
    assert isinstance(transferred, OwnershipTransferred)
    assert transferred.temporary_until == end
    assert record.history[-1].temporary_until == end
    assert record.temporary_move == TemporaryMove(TID, OWNER, RECEIVER, end)


# -- the owner hears the receiver ----------------------------------------------------------


def test_an_acknowledgement_is_logged_with_its_sender_and_message() -> None:
    record = owner_in(S.NOTIFIED)
    ack = message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, at=at(7))
    record.receive_acknowledgement(ack)
    assert record.events == [
        PeerStepApplied(
            reference=REF,
            force=OWNER,
            at=at(7),
            transfer_id=TID,
            step=Step.ACKNOWLEDGE,
            sender=RECEIVER,
            state=S.ACKNOWLEDGED,
            message_id=ack.message_id,
        )
    ]
    transfer = record.transfer(TID)
    assert transfer.acknowledged_revision == 1
    assert transfer.steps[-1] == StepTaken(
        Step.ACKNOWLEDGE, S.ACKNOWLEDGED, at(7), RECEIVER, 1, ack.message_id
    )


def test_a_decline_is_kept_with_what_the_receiver_needs_and_who_it_suggests() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    record.receive_decline(
        message(
            c.ReceiveTransferDeclined,
            RECEIVER,
            OWNER,
            reason=DeclineReason.NOT_OURS,
            text="address is in C",
            missing_information=("flat number",),
            suggested_force="C",
        )
    )
    transfer = record.transfer(TID)
    assert transfer.decline == Decline(
        DeclineReason.NOT_OURS, "address is in C", ("flat number",), "C"
    )
    assert (transfer.state, record.status) == (S.DECLINED, RecordStatus.OWNED)


def test_an_acceptance_for_a_cancelled_transfer_is_refused_naming_the_owner() -> None:
    record = owner_in(S.CANCELLED)
    acceptance = message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2, at=at(50))
    record.receive_acceptance(acceptance)
    refused = record.events[-1]
    assert refused == OwnershipRefused(
        reference=REF,
        force=OWNER,
        at=at(50),
        recipient=RECEIVER,
        transfer_id=TID,
        epoch=1,
        causation_id=acceptance.message_id,
        reason="transfer T1 is cancelled",
        reason_code=RefusalReason.TRANSFER_CANCELLED,
        owner=OWNER,
        owner_epoch=1,
    )
    assert record.transfer(TID).steps[-1] == StepTaken(
        Step.REFUSE, S.CANCELLED, at(50), OWNER, 1, None, "transfer T1 is cancelled"
    )
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_a_late_acknowledgement_of_a_lapsed_transfer_is_answered_it_is_off() -> None:
    record = owner_in(S.EXPIRED)
    ack = message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, at=at(60))
    record.receive_acknowledgement(ack)
    assert record.events[-1] == TransferCancelled(
        reference=REF,
        force=OWNER,
        at=at(60),
        recipient=RECEIVER,
        transfer_id=TID,
        epoch=1,
        causation_id=ack.message_id,
        reason="the transfer expired before this acknowledgement arrived",
        expired=True,
        reason_code=CancelReason.OTHER,
    )
    assert record.transfer(TID).state is S.EXPIRED


@pytest.mark.parametrize(("epoch", "error"), [(1, StaleEpochError), (3, UngrantedEpochError)])
def test_an_acceptance_must_claim_exactly_the_next_epoch(
    epoch: int, error: type[Exception]
) -> None:
    record = owner_in(S.ACKNOWLEDGED)
    acceptance = message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, epoch, at=at(8))
    with pytest.raises(error):
        record.receive_acceptance(acceptance)
    (refusal,) = record.refusals
    assert (refusal.message_id, refusal.sender, refusal.transfer_id, refusal.epoch) == (
        acceptance.message_id,
        RECEIVER,
        TID,
        epoch,
    )
    assert (refusal.message, refusal.refused_at) == (acceptance.message, at(8))
    assert record.transfer(TID).state is S.ACKNOWLEDGED


def test_a_refused_message_is_recorded_and_emitted_with_its_reason() -> None:
    record = owner_in(S.DRAFT)
    ack = message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, at=at(4))
    with pytest.raises(OutOfSequenceError):
        record.receive_acknowledgement(ack)
    reason = f"{ack.message} is not accepted when draft"
    assert record.refusals == [
        Refusal(ack.message_id, RECEIVER, ack.message, "out_of_sequence", reason, TID, 1, at(4))
    ]
    assert record.events == [
        PeerMessageRefused(
            reference=REF,
            force=OWNER,
            at=at(4),
            code="out_of_sequence",
            reason=reason,
            sender=RECEIVER,
            message=ack.message,
            message_id=ack.message_id,
            transfer_id=TID,
            epoch=1,
        )
    ]


# -- the receiver ------------------------------------------------------------------------


def test_a_notification_opens_the_transfer_as_the_owner_sent_it() -> None:
    record = receiver_in(S.NOTIFIED)
    transfer = record.transfer(TID)
    assert (transfer.side.value, transfer.owner, transfer.receiver, transfer.epoch) == (
        "receiver",
        OWNER,
        RECEIVER,
        1,
    )
    assert (transfer.details, transfer.started_at, transfer.revision) == (move(), T0, 1)
    (notified,) = transfer.steps
    assert (notified.step, notified.state, notified.by, notified.revision) == (
        Step.NOTIFY,
        S.NOTIFIED,
        OWNER,
        1,
    )
    assert (record.owner, record.epoch, record.status) == (
        OWNER,
        1,
        RecordStatus.TRANSFERRING_IN,
    )


def test_a_notification_emits_the_step_it_applied() -> None:
    msg = notification(at=at(2))
    record = OffenderRecord.first_heard(msg, RECEIVER, msg.profile)
    record.events.clear()
    record.receive_notification(msg)
    assert record.events == [
        PeerStepApplied(
            reference=REF,
            force=RECEIVER,
            at=at(2),
            transfer_id=TID,
            step=Step.NOTIFY,
            sender=OWNER,
            state=S.NOTIFIED,
            message_id=msg.message_id,
        )
    ]
    assert record.transfer(TID).steps == [
        StepTaken(Step.NOTIFY, S.NOTIFIED, at(2), OWNER, 1, msg.message_id)
    ]


def test_acknowledging_answers_the_latest_revision_and_opens_consultation_once() -> None:
    record = receiver_in(S.AMENDED)
    amended = record.transfer(TID).last_message(Step.AMEND)
    assert amended is not None
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID, at=at(11)))
    assert record.events == [
        ConsultationOpened(reference=REF, force=RECEIVER, at=at(11), transfer_id=TID),
        TransferAcknowledged(
            reference=REF,
            force=RECEIVER,
            at=at(11),
            recipient=OWNER,
            transfer_id=TID,
            epoch=1,
            causation_id=amended.message_id,
            revision=2,
            received_at=T0,
            consulting=(),
            contact=None,
        ),
    ]
    transfer = record.transfer(TID)
    assert transfer.acknowledged_revision == 2
    assert transfer.consultation is not None
    assert (transfer.consultation.opened_at, transfer.consultation.opened_by) == (
        at(11),
        "officer",
    )
    record.events.clear()
    record.receive_amendment(amendment(3))
    record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID, at=at(12)))
    assert [type(e) for e in record.events] == [PeerStepApplied, TransferAcknowledged]


def test_declining_tells_the_owner_why_answering_its_notification() -> None:
    record = receiver_in(S.NOTIFIED)
    notified = record.transfer(TID).steps[0]
    record.decline(
        local(
            c.DeclineTransfer,
            transfer_id=TID,
            reason=DeclineReason.NOT_OURS,
            text="address is in C",
            missing_information=("flat number",),
            suggested_force="C",
            at=at(13),
        )
    )
    assert record.events == [
        TransferDeclined(
            reference=REF,
            force=RECEIVER,
            at=at(13),
            recipient=OWNER,
            transfer_id=TID,
            epoch=1,
            causation_id=notified.message_id,
            reason=DeclineReason.NOT_OURS,
            text="address is in C",
            missing_information=("flat number",),
            suggested_force="C",
        )
    ]
    transfer = record.transfer(TID)
    assert transfer.decline == Decline(
        DeclineReason.NOT_OURS, "address is in C", ("flat number",), "C"
    )
    assert transfer.steps[-1] == StepTaken(
        Step.DECLINE, S.DECLINED, at(13), "officer", 1, None, "address is in C"
    )
    assert record.status is RecordStatus.OWNED_ELSEWHERE


def test_accepting_claims_the_next_epoch_in_a_message_the_record_can_name() -> None:
    record = receiver_in(S.ACKNOWLEDGED)
    notified = record.transfer(TID).steps[0]
    record.accept(local(c.AcceptOwnership, transfer_id=TID, at=at(14)))
    message_id = sent_id(RECEIVER, "ownership.accepted")
    assert record.events == [
        OwnershipAccepted(
            reference=REF,
            force=RECEIVER,
            at=at(14),
            recipient=OWNER,
            transfer_id=TID,
            epoch=2,
            causation_id=notified.message_id,
            message_id=message_id,
            registration=None,
            contact=None,
        )
    ]
    assert record.transfer(TID).steps[-1] == StepTaken(
        Step.ACCEPT, S.ACCEPTED, at(14), "officer", 1, message_id
    )
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_the_committed_handover_makes_the_receiver_owner_of_epoch_two() -> None:
    record = receiver_in(S.ACCEPTED)
    handover = message(
        c.ReceiveOwnershipTransferred,
        OWNER,
        RECEIVER,
        2,
        at=at(15),
        records_sent=True,
        records_reference="VISOR-9",
    )
    record.receive_ownership(handover)
    assert (record.owner, record.epoch, record.status) == (RECEIVER, 2, RecordStatus.OWNED)
    assert record.history[-1] == OwnershipChange(
        2, RECEIVER, OWNER, at(15), ChangeKind.TRANSFERRED, TID, None, handover.message_id
    )
    transfer = record.transfer(TID)
    assert transfer.handover == Handover(at(15), True, "VISOR-9")
    assert transfer.state is S.COMMITTED
    changed = [e for e in record.events if isinstance(e, OwnershipChanged)]
    assert changed == [
        OwnershipChanged(
            reference=REF,
            force=RECEIVER,
            at=at(15),
            previous_owner=OWNER,
            owner=RECEIVER,
            epoch=2,
            kind=ChangeKind.TRANSFERRED,
            transfer_id=TID,
        )
    ]


@pytest.mark.parametrize(("epoch", "error"), [(1, StaleEpochError), (3, UngrantedEpochError)])
def test_the_handover_must_grant_exactly_the_next_epoch(epoch: int, error: type[Exception]) -> None:
    record = receiver_in(S.ACCEPTED)
    with pytest.raises(error):
        record.receive_ownership(message(c.ReceiveOwnershipTransferred, OWNER, RECEIVER, epoch))
    assert (record.owner, record.epoch, record.transfer(TID).state) == (OWNER, 1, S.ACCEPTED)


def test_the_notification_reports_how_the_offender_was_reviewed_and_what_was_checked() -> None:
    record = owner_in(S.READY)
    record.notify(
        local(c.NotifyTransfer, transfer_id=TID, review_outcome=ReviewOutcome.NO_CONCERNS)
    )
    (notified,) = record.events
    assert isinstance(notified, TransferNotified)
    assert notified.report == ReviewReport(
        method=ReviewMethod.HOME_VISIT,
        completed_on=TODAY,
        outcome=ReviewOutcome.NO_CONCERNS,
        checks=frozenset(
            {
                ReviewCheck.IDENTITY_CONFIRMED,
                ReviewCheck.RISK_ASSESSMENT_UPDATED,
                ReviewCheck.RECEIVING_FORCE_CONSULTED,
            }
        ),
        notes="outcome_recorded done",
    )
    assert record.transfer(TID).review_report == notified.report


def test_a_review_without_a_meeting_or_visit_reports_the_method_the_officer_gives() -> None:
    record = owner_in(S.READY, PDP)
    record.notify(
        local(
            c.NotifyTransfer,
            transfer_id=TID,
            review_outcome=ReviewOutcome.CONCERNS_IDENTIFIED,
            review_method=ReviewMethod.STATION_ATTENDANCE,
        )
    )
    (notified,) = record.events
    assert isinstance(notified, TransferNotified)
    assert notified.report is not None
    assert (notified.report.method, notified.report.outcome) == (
        ReviewMethod.STATION_ATTENDANCE,
        ReviewOutcome.CONCERNS_IDENTIFIED,
    )
    assert notified.report.checks == {
        ReviewCheck.RISK_ASSESSMENT_UPDATED,
        ReviewCheck.RECEIVING_FORCE_CONSULTED,
    }


def test_an_acceptance_of_a_transfer_superseded_by_another_names_the_new_owner() -> None:
    record = owner_in(S.CANCELLED)
    record.start_transfer(
        local(c.StartTransfer, transfer_id="T2", receiver="C", details=move(), at=at(70))
    )
    complete_review(record, "T2")
    record.notify(local(c.NotifyTransfer, transfer_id="T2"))
    record.receive_acceptance(message(c.ReceiveOwnershipAccepted, "C", OWNER, 2, transfer_id="T2"))
    record.commit(local(c.CommitTransfer, transfer_id="T2"))
    late = message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 2, at=at(80))
    record.receive_acceptance(late)
    refused = record.events[-1]
    assert isinstance(refused, OwnershipRefused)
    assert (refused.reason_code, refused.owner, refused.owner_epoch, refused.epoch) == (
        RefusalReason.TRANSFER_SUPERSEDED,
        "C",
        2,
        1,
    )
