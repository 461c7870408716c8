"""The owning force's side of a transfer: review, notify, amend, withdraw, commit, lapse.

Only the owner of the current epoch takes these steps, and it accepts acknowledgements,
declines and acceptances only from the transfer's named receiver.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ownership.domain.commands import (
    AmendTransfer,
    CancelTransfer,
    CommitTransfer,
    CompleteReviewItem,
    ExpireTransfer,
    NotifyTransfer,
    ReceiveOwnershipAccepted,
    ReceiveOwnershipWithdrawn,
    ReceiveTransferAcknowledged,
    ReceiveTransferDeclined,
    StartTransfer,
)
from ownership.domain.errors import (
    DuplicateTransferError,
    InvalidDetailsError,
    NotTheOwnerError,
    ReviewClosedError,
    ReviewIncompleteError,
    StaleRevisionError,
    TransferAlreadyOpenError,
)
from ownership.domain.events import (
    AcceptanceLapsed,
    DraftTransferCancelled,
    HandOverCancelled,
    OwnershipRefused,
    OwnershipTransferred,
    ReviewCompleted,
    ReviewItemCompleted,
    TransferAmended,
    TransferCancelled,
    TransferExpired,
    TransferNotified,
    TransferStarted,
)
from ownership.domain.guards import (
    apply_peer,
    check_epoch,
    owned_transfer,
    peer_transfer,
    refuse,
    require_no_conflict,
    sent_id,
)
from ownership.domain.handing_over import commit_to_authority, require_federated
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.move_dates import check_end_date, past_date_reason
from ownership.domain.record_core import RecordCore, change_owner, emit
from ownership.domain.requesting import answer_requests, decline_on_handover
from ownership.domain.review import ReviewEntry
from ownership.domain.review_report import report_review
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.transfer import (
    CancelReason,
    Decline,
    Handover,
    ManualHandover,
    RefusalReason,
    Transfer,
)
from ownership.domain.values import check_contacts


def start_transfer(record: RecordCore, cmd: StartTransfer) -> None:
    """Draft a transfer to another force; its review begins."""
    if not record.is_owner:
        raise NotTheOwnerError(
            f"{record.held_by} does not own {record.reference}{_managed(record)}"
        )
    require_no_conflict(record)
    if cmd.receiver == record.held_by:
        raise InvalidDetailsError("a force cannot transfer an offender to itself")
    if record.find_transfer(cmd.transfer_id) is not None:
        raise DuplicateTransferError(f"transfer {cmd.transfer_id} already exists")
    if any(t.side is Side.OWNER and t.is_live for t in record.transfers):
        raise TransferAlreadyOpenError(f"{record.reference} already has a live transfer")
    check_end_date(cmd.details.end_date, cmd.at.date())
    check_contacts(*cmd.details.contacts)
    reason = past_date_reason(cmd.details.expected_date, cmd.at.date(), cmd.past_date_reason)
    record.transfers.append(replace(_draft(record, cmd), past_date_reason=reason))
    emit(
        record,
        TransferStarted(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=cmd.transfer_id,
            receiver=cmd.receiver,
            details=cmd.details,
            past_date_reason=reason,
        ),
    )
    answer_requests(record, cmd.receiver, cmd.transfer_id, cmd.at)


def _managed(record: RecordCore) -> str:
    if record.managed_by is None:
        return ""
    return f": {record.managed_by} manages it, and no move of it can start here"


def _draft(record: RecordCore, cmd: StartTransfer) -> Transfer:
    move = record.temporary_move
    returning = move is not None and move.home_force == cmd.receiver
    return Transfer(
        transfer_id=cmd.transfer_id,
        side=Side.OWNER,
        owner=record.held_by,
        receiver=cmd.receiver,
        epoch=record.epoch,
        details=cmd.details,
        state=TransferState.DRAFT,
        started_at=cmd.at,
        return_of=move.transfer_id if move is not None and returning else None,
        manual=ManualHandover(cmd.authority) if cmd.authority is not None else None,
    )


def complete_review_item(record: RecordCore, cmd: CompleteReviewItem) -> None:
    """Record a review item as done; the transfer is ready once the mandatory ones are."""
    transfer = owned_transfer(record, cmd.transfer_id)
    if transfer.state not in {TransferState.DRAFT, TransferState.READY}:
        raise ReviewClosedError(f"transfer {cmd.transfer_id} is {transfer.state}")
    visit = next((v for v in record.visits if v.visit_id == cmd.visit_id), None)
    entry = ReviewEntry(cmd.item, cmd.by, cmd.at, cmd.note, cmd.visit_id)
    transfer.review.complete(entry, visit)
    emit(
        record,
        ReviewItemCompleted(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=cmd.transfer_id,
            entry=entry,
        ),
    )
    if transfer.state is TransferState.DRAFT and transfer.review.is_complete(record.profile):
        transfer.take(Step.COMPLETE_REVIEW, cmd.by, cmd.at)
        emit(
            record,
            ReviewCompleted(
                reference=record.reference,
                force=record.held_by,
                at=cmd.at,
                transfer_id=cmd.transfer_id,
            ),
        )


def notify(record: RecordCore, cmd: NotifyTransfer) -> None:
    """Tell the receiver of the transfer, with the review's checklist and outcome."""
    transfer = owned_transfer(record, cmd.transfer_id)
    require_federated(transfer, "a notification")
    require_no_conflict(record)
    if transfer.state is TransferState.DRAFT:
        outstanding = sorted(transfer.review.outstanding(record.profile))
        raise ReviewIncompleteError(f"outstanding review items: {', '.join(outstanding)}")
    report = report_review(transfer.review, cmd.review_outcome, cmd.review_method)
    message_id = sent_id(record, transfer, Step.NOTIFY)
    transfer.take(Step.NOTIFY, cmd.by, cmd.at, message_id=message_id)
    transfer.review_report = report
    emit(
        record,
        TransferNotified(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.receiver,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            message_id=message_id,
            profile=record.profile,
            details=transfer.details,
            review=tuple(transfer.review.entries),
            review_outcome=transfer.review.outcome or "",
            report=report,
        ),
    )


def amend(record: RecordCore, cmd: AmendTransfer) -> None:
    """Correct a live transfer's details; the receiver acknowledges the new revision."""
    transfer = owned_transfer(record, cmd.transfer_id)
    require_federated(transfer, "an amendment")
    transfer.check(Step.AMEND)
    expected = cmd.details.expected_date
    if cmd.details.end_date != transfer.details.end_date:
        check_end_date(cmd.details.end_date, cmd.at.date())
    check_contacts(*cmd.details.contacts)
    if expected != transfer.details.expected_date:
        reason = past_date_reason(expected, cmd.at.date(), cmd.past_date_reason)
        transfer.past_date_reason = reason
    transfer.revision += 1
    transfer.details = cmd.details
    message_id = sent_id(record, transfer, Step.AMEND)
    transfer.take(Step.AMEND, cmd.by, cmd.at, cmd.reason, message_id)
    emit(
        record,
        TransferAmended(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.receiver,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            message_id=message_id,
            details=cmd.details,
            revision=transfer.revision,
            reason=cmd.reason,
        ),
    )


def cancel(record: RecordCore, cmd: CancelTransfer) -> None:
    """Withdraw the transfer; a receiver that was told is told it is off."""
    transfer = owned_transfer(record, cmd.transfer_id)
    transfer.take(Step.CANCEL, cmd.by, cmd.at, cmd.reason)
    if transfer.was_notified:
        emit(record, _cancelled(record, transfer, cmd.reason, cmd.reason_code, expired=False))
        return
    if any(step.step is Step.TELL_AUTHORITY for step in transfer.steps):
        told = HandOverCancelled(
            reference=record.reference, force=record.held_by, at=cmd.at,
            transfer_id=transfer.transfer_id, authority=transfer.receiver, reason=cmd.reason,
        )  # fmt: skip
        emit(record, told)
        return
    emit(
        record,
        DraftTransferCancelled(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
            reason=cmd.reason,
        ),
    )


def expire(record: RecordCore, cmd: ExpireTransfer) -> None:
    """Let a transfer lapse; a receiver that was told is told it is off."""
    transfer = owned_transfer(record, cmd.transfer_id)
    transfer.take(Step.EXPIRE, cmd.by, cmd.at)
    emit(
        record,
        TransferExpired(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
        ),
    )
    if transfer.was_notified:
        lapsed = "the transfer expired without an answer"
        emit(record, _cancelled(record, transfer, lapsed, CancelReason.OTHER, expired=True))


def _cancelled(
    record: RecordCore, transfer: Transfer, reason: str, code: CancelReason, *, expired: bool
) -> TransferCancelled:
    return TransferCancelled(
        reference=record.reference,
        force=record.held_by,
        at=transfer.last_step_at,
        recipient=transfer.receiver,
        transfer_id=transfer.transfer_id,
        epoch=transfer.epoch,
        reason=reason,
        expired=expired,
        reason_code=code,
    )


def commit(record: RecordCore, cmd: CommitTransfer) -> None:
    """Hand over to the receiver that accepted: it owns epoch n+1."""
    transfer = owned_transfer(record, cmd.transfer_id)
    if transfer.manual is not None:
        commit_to_authority(record, cmd)
        return
    require_no_conflict(record)
    transfer.take(Step.COMMIT, cmd.by, cmd.at)
    change = OwnershipChange(
        transfer.epoch + 1,
        transfer.receiver,
        record.held_by,
        cmd.at,
        ChangeKind.TRANSFERRED,
        transfer.transfer_id,
        transfer.details.end_date,
    )
    change_owner(record, change, transfer)
    transfer.handover = Handover(cmd.at, cmd.records_sent, cmd.records_reference)
    accepted = transfer.last_message(Step.ACCEPT)
    emit(
        record,
        OwnershipTransferred(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.receiver,
            transfer_id=transfer.transfer_id,
            epoch=change.epoch,
            causation_id=accepted.message_id if accepted else None,
            previous_owner=record.held_by,
            temporary_until=transfer.details.end_date,
            records_sent=cmd.records_sent,
            records_reference=cmd.records_reference,
        ),
    )
    decline_on_handover(record, cmd.at)


def lapse_acceptance(record: RecordCore, transfer_id: str, at: datetime, by: str) -> None:
    """The acceptance was not committed in time: it lapses, the owner keeps the record at the
    same epoch, and the receiver is told its acceptance is refused because it lapsed."""
    transfer = owned_transfer(record, transfer_id)
    accepted = transfer.last_message(Step.ACCEPT)
    transfer.take(Step.LAPSE, by, at, "the acceptance was not committed in time")
    emit(
        record,
        AcceptanceLapsed(
            reference=record.reference,
            force=record.held_by,
            at=at,
            transfer_id=transfer_id,
            accepted_at=accepted.at if accepted is not None else at,
            epoch=record.epoch,
        ),
    )
    emit(
        record,
        OwnershipRefused(
            reference=record.reference,
            force=record.held_by,
            at=at,
            recipient=transfer.receiver,
            transfer_id=transfer_id,
            epoch=transfer.epoch,
            causation_id=accepted.message_id if accepted is not None else None,
            reason=f"the acceptance of transfer {transfer_id} lapsed before it was committed",
            reason_code=RefusalReason.TRANSFER_CANCELLED,
            owner=record.owner,
            owner_epoch=record.epoch,
            lapsed=True,
        ),
    )


def receive_withdrawal(record: RecordCore, msg: ReceiveOwnershipWithdrawn) -> None:
    """The receiver withdrew its acceptance: the transfer ends and the owner keeps the record.

    A withdrawal that crossed the commit or the lapse is recorded and changes nothing.
    """
    transfer = peer_transfer(record, msg, Side.OWNER)
    check_epoch(record, msg, transfer.epoch)
    apply_peer(record, transfer, Step.WITHDRAW, msg)


def receive_acknowledgement(record: RecordCore, msg: ReceiveTransferAcknowledged) -> None:
    """The receiver acknowledged a revision; only the latest one moves the transfer."""
    transfer = peer_transfer(record, msg, Side.OWNER)
    check_epoch(record, msg, transfer.epoch)
    if transfer.state is TransferState.EXPIRED:
        _answer_late_acknowledgement(record, transfer, msg)
        return
    if transfer.accepts(Step.ACKNOWLEDGE) and msg.revision != transfer.revision:
        stale = f"revision {msg.revision} is not {transfer.revision}"
        refuse(record, msg, StaleRevisionError(stale))
    apply_peer(record, transfer, Step.ACKNOWLEDGE, msg)
    transfer.acknowledged_revision = msg.revision
    transfer.peer_contact = msg.contact or transfer.peer_contact


def _answer_late_acknowledgement(
    record: RecordCore, transfer: Transfer, msg: ReceiveTransferAcknowledged
) -> None:
    """Record an acknowledgement that came after the transfer lapsed; say again it is off."""
    apply_peer(record, transfer, Step.ACKNOWLEDGE, msg)
    lapsed = "the transfer expired before this acknowledgement arrived"
    cancelled = _cancelled(record, transfer, lapsed, CancelReason.OTHER, expired=True)
    emit(record, replace(cancelled, at=msg.at, causation_id=msg.message_id))


def receive_decline(record: RecordCore, msg: ReceiveTransferDeclined) -> None:
    """The receiver declined; the transfer ends."""
    transfer = peer_transfer(record, msg, Side.OWNER)
    check_epoch(record, msg, transfer.epoch)
    apply_peer(record, transfer, Step.DECLINE, msg)
    transfer.decline = Decline(msg.reason, msg.text, msg.missing_information, msg.suggested_force)


def receive_acceptance(record: RecordCore, msg: ReceiveOwnershipAccepted) -> None:
    """The receiver accepted epoch n+1; a withdrawn transfer answers with a refusal."""
    transfer = peer_transfer(record, msg, Side.OWNER)
    check_epoch(record, msg, transfer.epoch + 1)
    withdrawn = transfer.state in {TransferState.CANCELLED, TransferState.EXPIRED}
    apply_peer(record, transfer, Step.ACCEPT, msg)
    if withdrawn:
        _refuse_acceptance(record, transfer, msg)
        return
    transfer.registration = msg.registration
    transfer.peer_contact = msg.contact or transfer.peer_contact


def _refuse_acceptance(
    record: RecordCore, transfer: Transfer, msg: ReceiveOwnershipAccepted
) -> None:
    reason = f"transfer {transfer.transfer_id} is {transfer.state}"
    transfer.take(Step.REFUSE, record.held_by, msg.at, reason)
    emit(
        record,
        OwnershipRefused(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            recipient=transfer.receiver,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            causation_id=msg.message_id,
            reason=reason,
            reason_code=_refusal_reason(record, transfer),
            owner=record.owner,
            owner_epoch=record.epoch,
        ),
    )


def _refusal_reason(record: RecordCore, transfer: Transfer) -> RefusalReason:
    if record.epoch != transfer.epoch:
        return RefusalReason.TRANSFER_SUPERSEDED
    return RefusalReason.TRANSFER_CANCELLED
