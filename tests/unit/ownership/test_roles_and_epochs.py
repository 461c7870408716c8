"""Role rules and epochs: who may take which step, and which claims are refused or conflict."""

from __future__ import annotations

import pytest

from ownership.domain import commands as c
from ownership.domain.errors import (
    MisaddressedError,
    NotTheOwnerError,
    NotTheReceiverError,
    OwnershipConflictError,
    SenderNotEntitledError,
    StaleEpochError,
    StaleRevisionError,
    TransferAlreadyOpenError,
    TransferNotKnownError,
    UngrantedEpochError,
    UnresolvedConflictError,
)
from ownership.domain.events import ConflictRaised, PeerMessageRefused
from ownership.domain.history import ChangeKind
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.states import TransferState

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    TID,
    local,
    message,
    move,
    notification,
    owner_in,
    receiver_in,
    register,
)

S = TransferState


def test_only_the_owner_starts_a_transfer() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(NotTheOwnerError):
        record.start_transfer(
            local(c.StartTransfer, transfer_id="T9", receiver=OTHER, details=move())
        )


def test_the_owner_keeps_one_live_transfer_at_a_time() -> None:
    record = owner_in(S.NOTIFIED)
    with pytest.raises(TransferAlreadyOpenError):
        record.start_transfer(
            local(c.StartTransfer, transfer_id="T2", receiver=OTHER, details=move())
        )


def test_the_receiver_cannot_take_owner_steps() -> None:
    record = receiver_in(S.ACCEPTED)
    with pytest.raises(NotTheOwnerError):
        record.commit(local(c.CommitTransfer, transfer_id=TID))


def test_the_owner_cannot_take_receiver_steps() -> None:
    record = owner_in(S.NOTIFIED)
    with pytest.raises(NotTheReceiverError):
        record.acknowledge(local(c.AcknowledgeTransfer, transfer_id=TID))


def test_a_force_other_than_the_receiver_cannot_acknowledge() -> None:
    record = owner_in(S.NOTIFIED)
    with pytest.raises(SenderNotEntitledError):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, OTHER, OWNER, revision=1)
        )
    assert record.refusals[0].sender == OTHER
    assert isinstance(record.events[-1], PeerMessageRefused)


def test_a_force_other_than_the_owner_cannot_cancel() -> None:
    record = receiver_in(S.ACKNOWLEDGED)
    with pytest.raises(SenderNotEntitledError):
        record.receive_cancellation(
            message(c.ReceiveTransferCancelled, OTHER, RECEIVER, reason="x")
        )
    assert record.transfer(TID).state is S.ACKNOWLEDGED


def test_a_misaddressed_message_is_refused() -> None:
    record = owner_in(S.NOTIFIED)
    with pytest.raises(MisaddressedError):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OTHER, revision=1)
        )


def test_a_message_about_an_unknown_transfer_is_refused_and_recorded() -> None:
    record = owner_in(S.NOTIFIED)
    with pytest.raises(TransferNotKnownError):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1, transfer_id="T?")
        )
    assert [r.code for r in record.refusals] == ["transfer_not_known"]


def test_a_stale_epoch_is_refused_and_recorded() -> None:
    record = owner_in(S.NOTIFIED)
    record.epoch = record.transfer(TID).epoch = 3
    with pytest.raises(StaleEpochError):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, 2, revision=1)
        )
    assert record.refusals[0].code == "stale_epoch"
    assert record.refusals[0].epoch == 2


def test_an_acceptance_for_an_epoch_never_offered_is_ungranted() -> None:
    record = owner_in(S.ACKNOWLEDGED)
    with pytest.raises(UngrantedEpochError):
        record.receive_acceptance(message(c.ReceiveOwnershipAccepted, RECEIVER, OWNER, 5))
    assert record.transfer(TID).state is S.ACKNOWLEDGED


def test_a_claim_to_a_later_epoch_at_its_owner_is_ungranted() -> None:
    record = register()
    with pytest.raises(UngrantedEpochError):
        record.receive_notification(notification(sender=OTHER, epoch=2, recipient=OWNER))
    assert (record.owner, record.epoch) == (OWNER, 1)


def test_two_forces_claiming_one_epoch_is_a_conflict_raised_to_coordinators() -> None:
    record = receiver_in(S.NOTIFIED)
    with pytest.raises(OwnershipConflictError):
        record.receive_notification(notification(sender=OTHER, transfer_id="T2"))
    assert (record.owner, record.epoch) == (OWNER, 1)
    assert record.status is RecordStatus.IN_CONFLICT
    assert [(k.held_owner, k.claimed_owner) for k in record.conflicts] == [(OWNER, OTHER)]
    assert any(isinstance(e, ConflictRaised) for e in record.events)


def test_the_owner_claimed_against_is_in_conflict_too() -> None:
    record = register()
    with pytest.raises(OwnershipConflictError):
        record.receive_notification(notification(sender=OTHER, recipient=OWNER))
    with pytest.raises(UnresolvedConflictError):
        record.start_transfer(
            local(c.StartTransfer, transfer_id="T5", receiver=RECEIVER, details=move())
        )


def test_an_old_revision_acknowledged_after_an_amendment_is_refused() -> None:
    record = owner_in(S.AMENDED)
    with pytest.raises(StaleRevisionError):
        record.receive_acknowledgement(
            message(c.ReceiveTransferAcknowledged, RECEIVER, OWNER, revision=1)
        )
    assert record.transfer(TID).state is S.AMENDED


def test_an_older_amendment_does_not_replace_a_newer_one() -> None:
    from .builders import amendment

    record = receiver_in(S.NOTIFIED)
    record.receive_amendment(amendment(3))
    with pytest.raises(StaleRevisionError):
        record.receive_amendment(amendment(2))
    assert record.transfer(TID).revision == 3


def test_commit_moves_ownership_to_the_receiver_at_the_next_epoch() -> None:
    record = owner_in(S.ACCEPTED)
    record.commit(local(c.CommitTransfer, transfer_id=TID))
    assert (record.owner, record.epoch) == (RECEIVER, 2)
    assert record.history[-1].transfer_id == TID
    assert record.status is RecordStatus.OWNED_ELSEWHERE


def test_the_receiver_owns_once_the_commit_arrives() -> None:
    record = receiver_in(S.COMMITTED)
    assert (record.owner, record.epoch) == (RECEIVER, 2)
    assert record.is_owner
    assert [h.kind for h in record.history] == [ChangeKind.OBSERVED, ChangeKind.TRANSFERRED]


def test_a_first_notice_opens_a_view_owned_by_the_sender() -> None:
    msg = notification()
    record = OffenderRecord.first_heard(msg, RECEIVER, msg.profile)
    assert (record.owner, record.epoch, record.held_by) == (OWNER, 1, RECEIVER)
    assert record.status is RecordStatus.OWNED_ELSEWHERE
