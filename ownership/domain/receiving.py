"""The receiving force's side of a transfer: acknowledge, consult, decline, accept, withdraw.

Only the transfer's named receiver takes these steps, and it accepts amendments,
cancellations, the committed handover and refusals only from the transfer's owner.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from dataclasses import replace

from ownership.domain.commands import (
    AcceptOwnership,
    AcknowledgeTransfer,
    CompleteConsultation,
    DeclineTransfer,
    ReceiveOwnershipRefused,
    ReceiveOwnershipTransferred,
    ReceiveTransferAmended,
    ReceiveTransferCancelled,
    ReceiveTransferNotified,
    RecordConsultationParty,
    WithdrawAcceptance,
)
from ownership.domain.consultation import Consultation, ConsultationParty
from ownership.domain.errors import (
    ConsultationIncompleteError,
    ConsultationNotOpenError,
    MisaddressedError,
    OutOfSequenceError,
    StaleEpochError,
    StaleRevisionError,
    TransferAlreadyKnownError,
    UngrantedEpochError,
)
from ownership.domain.events import (
    AcceptanceWithdrawn,
    ConsultationCompleted,
    ConsultationOpened,
    ConsultationPartyRecorded,
    OwnershipAccepted,
    PeerStepApplied,
    TransferAcknowledged,
    TransferDeclined,
)
from ownership.domain.guards import (
    apply_peer,
    check_addressed,
    check_claim,
    check_epoch,
    peer_transfer,
    received_transfer,
    refuse,
    sent_id,
)
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.record_core import RecordCore, change_owner, emit
from ownership.domain.review import ReviewChecklist
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.transfer import Decline, Handover, StepTaken, Transfer
from ownership.domain.values import check_contacts


def receive_notification(record: RecordCore, msg: ReceiveTransferNotified) -> None:
    """The owner of ``msg.epoch`` tells us of an imminent transfer."""
    check_addressed(record, msg)
    if record.find_transfer(msg.transfer_id) is not None:
        refuse(record, msg, TransferAlreadyKnownError(f"transfer {msg.transfer_id} is known"))
    check_claim(record, msg)
    record.profile = msg.profile
    transfer = Transfer(
        transfer_id=msg.transfer_id,
        side=Side.RECEIVER,
        owner=msg.sender,
        receiver=record.held_by,
        epoch=msg.epoch,
        details=msg.details,
        state=TransferState.NOTIFIED,
        started_at=msg.clock_starts_at,
        review=ReviewChecklist(list(msg.review)),
        review_report=msg.report,
    )
    transfer.steps.append(
        StepTaken(
            Step.NOTIFY,
            TransferState.NOTIFIED,
            msg.clock_starts_at,
            msg.sender,
            1,
            msg.message_id,
        )
    )
    record.transfers.append(transfer)
    emit(
        record,
        PeerStepApplied(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            transfer_id=msg.transfer_id,
            step=Step.NOTIFY,
            sender=msg.sender,
            state=transfer.state,
            message_id=msg.message_id,
        ),
    )


def acknowledge(record: RecordCore, cmd: AcknowledgeTransfer) -> None:
    """Acknowledge the latest revision and open the consultation (once)."""
    transfer = received_transfer(record, cmd.transfer_id)
    check_contacts(cmd.contact)
    transfer.take(Step.ACKNOWLEDGE, cmd.by, cmd.at)
    transfer.acknowledged_revision = transfer.revision
    if transfer.consultation is None:
        transfer.consultation = Consultation(cmd.at, cmd.by)
        emit(
            record,
            ConsultationOpened(
                reference=record.reference,
                force=record.held_by,
                at=cmd.at,
                transfer_id=transfer.transfer_id,
            ),
        )
    emit(
        record,
        TransferAcknowledged(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.owner,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            causation_id=_answered(transfer),
            revision=transfer.revision,
            received_at=transfer.started_at,
            consulting=tuple(p.party for p in transfer.consultation.parties),
            contact=cmd.contact,
        ),
    )


def decline(record: RecordCore, cmd: DeclineTransfer) -> None:
    """Decline the transfer, with a reason code and text."""
    transfer = received_transfer(record, cmd.transfer_id)
    transfer.take(Step.DECLINE, cmd.by, cmd.at, cmd.text)
    transfer.decline = Decline(cmd.reason, cmd.text, cmd.missing_information, cmd.suggested_force)
    emit(
        record,
        TransferDeclined(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.owner,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            causation_id=_answered(transfer),
            reason=cmd.reason,
            text=cmd.text,
            missing_information=cmd.missing_information,
            suggested_force=cmd.suggested_force,
        ),
    )


def record_consultation_party(record: RecordCore, cmd: RecordConsultationParty) -> None:
    """Record a party consulted on risk, response plans and threats to life."""
    transfer = received_transfer(record, cmd.transfer_id)
    party = ConsultationParty(cmd.party, cmd.kind, cmd.outcome, cmd.by, cmd.at)
    _open_consultation(record, transfer).record_party(party)
    emit(
        record,
        ConsultationPartyRecorded(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
            party=party,
        ),
    )


def complete_consultation(record: RecordCore, cmd: CompleteConsultation) -> None:
    """Record the consultation as done."""
    transfer = received_transfer(record, cmd.transfer_id)
    consultation = _open_consultation(record, transfer)
    consultation.complete(cmd.by, cmd.at, cmd.summary, mappa_case=record.profile.is_mappa_case)
    emit(
        record,
        ConsultationCompleted(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
        ),
    )


def _open_consultation(record: RecordCore, transfer: Transfer) -> Consultation:
    if transfer.consultation is None or not transfer.is_live:
        raise ConsultationNotOpenError(
            f"transfer {transfer.transfer_id} has no open consultation ({transfer.state})"
        )
    return transfer.consultation


def accept(record: RecordCore, cmd: AcceptOwnership) -> None:
    """Accept responsibility for epoch n+1, once the consultation is done."""
    transfer = received_transfer(record, cmd.transfer_id)
    transfer.check(Step.ACCEPT)
    check_contacts(cmd.contact)
    if transfer.consultation is None or not transfer.consultation.is_complete:
        raise ConsultationIncompleteError(f"consult on {transfer.transfer_id} before accepting")
    message_id = sent_id(record, transfer, Step.ACCEPT)
    transfer.take(Step.ACCEPT, cmd.by, cmd.at, message_id=message_id)
    transfer.registration = cmd.registration
    emit(
        record,
        OwnershipAccepted(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.owner,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch + 1,
            causation_id=_answered(transfer),
            message_id=message_id,
            registration=cmd.registration,
            contact=cmd.contact,
        ),
    )


def withdraw(record: RecordCore, cmd: WithdrawAcceptance) -> None:
    """Withdraw our acceptance before the owner commits; the owner keeps the record.

    Refused once the transfer is committed (we own it) or has ended in any other way.
    """
    transfer = received_transfer(record, cmd.transfer_id)
    transfer.take(Step.WITHDRAW, cmd.by, cmd.at, cmd.reason)
    accepted = transfer.last_message(Step.ACCEPT)
    emit(
        record,
        AcceptanceWithdrawn(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.owner,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            causation_id=accepted.message_id if accepted is not None else None,
            reason=cmd.reason,
        ),
    )


def receive_amendment(record: RecordCore, msg: ReceiveTransferAmended) -> None:
    """The owner corrected the details; only a newer revision replaces them."""
    transfer = peer_transfer(record, msg, Side.RECEIVER)
    check_epoch(record, msg, transfer.epoch)
    if not transfer.accepts(Step.AMEND):
        refuse(record, msg, OutOfSequenceError(f"{msg.message} arrived when {transfer.state}"))
    if msg.revision <= transfer.revision:
        refuse(record, msg, StaleRevisionError(f"revision {msg.revision} is not newer"))
    transfer.revision = msg.revision
    transfer.details = msg.changes.apply_to(transfer.details)
    if msg.changes.review is not None:
        transfer.review_report = msg.changes.review
    if msg.changes.mappa is not None:
        record.profile = replace(record.profile, mappa=msg.changes.mappa)
    apply_peer(record, transfer, Step.AMEND, msg)


def receive_cancellation(record: RecordCore, msg: ReceiveTransferCancelled) -> None:
    """The owner withdrew the transfer (or let it expire)."""
    transfer = peer_transfer(record, msg, Side.RECEIVER)
    check_epoch(record, msg, transfer.epoch)
    apply_peer(record, transfer, Step.CANCEL, msg)


def receive_refusal(record: RecordCore, msg: ReceiveOwnershipRefused) -> None:
    """The owner refused our acceptance: it keeps the record (lapsed, if it says so)."""
    transfer = peer_transfer(record, msg, Side.RECEIVER)
    check_epoch(record, msg, transfer.epoch)
    lapsed = msg.lapsed and transfer.accepts(Step.LAPSE)
    apply_peer(record, transfer, Step.LAPSE if lapsed else Step.REFUSE, msg)


def receive_ownership(record: RecordCore, msg: ReceiveOwnershipTransferred) -> None:
    """The owner committed the handover: this force owns epoch n+1."""
    transfer = peer_transfer(record, msg, Side.RECEIVER)
    check_epoch(record, msg, transfer.epoch + 1)
    _check_handover_body(record, msg)
    if transfer.accepts(Step.COMMIT) and record.epoch != transfer.epoch:
        refuse(record, msg, StaleEpochError(f"{record.reference} moved on to epoch {record.epoch}"))
    apply_peer(record, transfer, Step.COMMIT, msg)
    transfer.handover = Handover(
        msg.effective_at or msg.at, msg.records_sent, msg.records_reference
    )
    change = OwnershipChange(
        msg.epoch,
        record.held_by,
        transfer.owner,
        msg.at,
        ChangeKind.TRANSFERRED,
        transfer.transfer_id,
        transfer.details.end_date,
        msg.message_id,
    )
    change_owner(record, change, transfer)


def _check_handover_body(record: RecordCore, msg: ReceiveOwnershipTransferred) -> None:
    """The handover must name this force as the new owner, at the epoch it speaks for."""
    if msg.new_owner is not None and msg.new_owner != record.held_by:
        named = f"the handover names {msg.new_owner} as owner, not {record.held_by}"
        refuse(record, msg, MisaddressedError(named))
    if msg.new_epoch is not None and msg.new_epoch != msg.epoch:
        claimed = f"the handover grants epoch {msg.new_epoch} but speaks for {msg.epoch}"
        refuse(record, msg, UngrantedEpochError(claimed))


def _answered(transfer: Transfer) -> str | None:
    """The id of the owner's latest notification or amendment, which this step answers."""
    step = transfer.last_message(Step.NOTIFY, Step.AMEND)
    return step.message_id if step else None
