"""The owning force's side of a transfer: review, notify, amend, withdraw, commit.

Only the owner of the current epoch takes these steps, and it accepts acknowledgements,
declines and acceptances only from the transfer's named receiver.
"""

from __future__ import annotations

from dataclasses import replace

from ownership.domain.commands import (
    AmendTransfer,
    CancelTransfer,
    CommitTransfer,
    CompleteReviewItem,
    ExpireTransfer,
    NotifyTransfer,
    ReceiveOwnershipAccepted,
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
    DraftTransferCancelled,
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
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.record_core import RecordCore
from ownership.domain.review import ReviewEntry
from ownership.domain.review_report import report_review
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.transfer import CancelReason, Decline, Handover, RefusalReason, Transfer


class OwningSteps(RecordCore):
    """Steps the owning force takes, and the receiver's messages it accepts."""

    def start_transfer(self, cmd: StartTransfer) -> None:
        """Draft a transfer to another force; its review begins."""
        if not self.is_owner:
            raise NotTheOwnerError(f"{self.held_by} does not own {self.reference}")
        self._require_no_conflict()
        if cmd.receiver == self.held_by:
            raise InvalidDetailsError("a force cannot transfer an offender to itself")
        if self.find_transfer(cmd.transfer_id) is not None:
            raise DuplicateTransferError(f"transfer {cmd.transfer_id} already exists")
        if any(t.side is Side.OWNER and t.is_live for t in self.transfers):
            raise TransferAlreadyOpenError(f"{self.reference} already has a live transfer")
        self.transfers.append(self._draft(cmd))
        self._emit(
            TransferStarted(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=cmd.transfer_id,
                receiver=cmd.receiver,
                details=cmd.details,
            )
        )

    def _draft(self, cmd: StartTransfer) -> Transfer:
        move = self.temporary_move
        returning = move is not None and move.home_force == cmd.receiver
        return Transfer(
            transfer_id=cmd.transfer_id,
            side=Side.OWNER,
            owner=self.held_by,
            receiver=cmd.receiver,
            epoch=self.epoch,
            details=cmd.details,
            state=TransferState.DRAFT,
            started_at=cmd.at,
            return_of=move.transfer_id if move is not None and returning else None,
        )

    def complete_review_item(self, cmd: CompleteReviewItem) -> None:
        """Record a review item as done; the transfer is ready once the mandatory ones are."""
        transfer = self._owned_transfer(cmd.transfer_id)
        if transfer.state not in {TransferState.DRAFT, TransferState.READY}:
            raise ReviewClosedError(f"transfer {cmd.transfer_id} is {transfer.state}")
        visit = next((v for v in self.visits if v.visit_id == cmd.visit_id), None)
        entry = ReviewEntry(cmd.item, cmd.by, cmd.at, cmd.note, cmd.visit_id)
        transfer.review.complete(entry, visit)
        self._emit(
            ReviewItemCompleted(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=cmd.transfer_id,
                entry=entry,
            )
        )
        if transfer.state is TransferState.DRAFT and transfer.review.is_complete(self.profile):
            transfer.take(Step.COMPLETE_REVIEW, cmd.by, cmd.at)
            self._emit(
                ReviewCompleted(
                    reference=self.reference,
                    force=self.held_by,
                    at=cmd.at,
                    transfer_id=cmd.transfer_id,
                )
            )

    def notify(self, cmd: NotifyTransfer) -> None:
        """Tell the receiver of the transfer, with the review's checklist and outcome."""
        transfer = self._owned_transfer(cmd.transfer_id)
        self._require_no_conflict()
        if transfer.state is TransferState.DRAFT:
            outstanding = sorted(transfer.review.outstanding(self.profile))
            raise ReviewIncompleteError(f"outstanding review items: {', '.join(outstanding)}")
        report = report_review(transfer.review, cmd.review_outcome, cmd.review_method)
        message_id = self._sent_id(transfer, Step.NOTIFY)
        transfer.take(Step.NOTIFY, cmd.by, cmd.at, message_id=message_id)
        transfer.review_report = report
        self._emit(
            TransferNotified(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.receiver,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                message_id=message_id,
                profile=self.profile,
                details=transfer.details,
                review=tuple(transfer.review.entries),
                review_outcome=transfer.review.outcome or "",
                report=report,
            )
        )

    def amend(self, cmd: AmendTransfer) -> None:
        """Correct a live transfer's details; the receiver acknowledges the new revision."""
        transfer = self._owned_transfer(cmd.transfer_id)
        transfer.check(Step.AMEND)
        transfer.revision += 1
        transfer.details = cmd.details
        message_id = self._sent_id(transfer, Step.AMEND)
        transfer.take(Step.AMEND, cmd.by, cmd.at, cmd.reason, message_id)
        self._emit(
            TransferAmended(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.receiver,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                message_id=message_id,
                details=cmd.details,
                revision=transfer.revision,
                reason=cmd.reason,
            )
        )

    def cancel(self, cmd: CancelTransfer) -> None:
        """Withdraw the transfer; a receiver that was told is told it is off."""
        transfer = self._owned_transfer(cmd.transfer_id)
        transfer.take(Step.CANCEL, cmd.by, cmd.at, cmd.reason)
        if transfer.was_notified:
            self._emit(self._cancelled(transfer, cmd.reason, cmd.reason_code, expired=False))
            return
        self._emit(
            DraftTransferCancelled(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=transfer.transfer_id,
                reason=cmd.reason,
            )
        )

    def expire(self, cmd: ExpireTransfer) -> None:
        """Let a transfer lapse; a receiver that was told is told it is off."""
        transfer = self._owned_transfer(cmd.transfer_id)
        transfer.take(Step.EXPIRE, cmd.by, cmd.at)
        self._emit(
            TransferExpired(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=transfer.transfer_id,
            )
        )
        if transfer.was_notified:
            lapsed = "the transfer expired without an answer"
            self._emit(self._cancelled(transfer, lapsed, CancelReason.OTHER, expired=True))

    def _cancelled(
        self, transfer: Transfer, reason: str, code: CancelReason, *, expired: bool
    ) -> TransferCancelled:
        return TransferCancelled(
            reference=self.reference,
            force=self.held_by,
            at=transfer.last_step_at,
            recipient=transfer.receiver,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            reason=reason,
            expired=expired,
            reason_code=code,
        )

    def commit(self, cmd: CommitTransfer) -> None:
        """Hand over to the receiver that accepted: it owns epoch n+1."""
        transfer = self._owned_transfer(cmd.transfer_id)
        self._require_no_conflict()
        transfer.take(Step.COMMIT, cmd.by, cmd.at)
        change = OwnershipChange(
            transfer.epoch + 1,
            transfer.receiver,
            self.held_by,
            cmd.at,
            ChangeKind.TRANSFERRED,
            transfer.transfer_id,
            transfer.details.end_date,
        )
        self._change_owner(change, transfer)
        transfer.handover = Handover(cmd.at, cmd.records_sent, cmd.records_reference)
        accepted = transfer.last_message(Step.ACCEPT)
        self._emit(
            OwnershipTransferred(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.receiver,
                transfer_id=transfer.transfer_id,
                epoch=change.epoch,
                causation_id=accepted.message_id if accepted else None,
                previous_owner=self.held_by,
                temporary_until=transfer.details.end_date,
                records_sent=cmd.records_sent,
                records_reference=cmd.records_reference,
            )
        )

    def receive_acknowledgement(self, msg: ReceiveTransferAcknowledged) -> None:
        """The receiver acknowledged a revision; only the latest one moves the transfer."""
        transfer = self._peer_transfer(msg, Side.OWNER)
        self._check_epoch(msg, transfer.epoch)
        if transfer.state is TransferState.EXPIRED:
            self._answer_late_acknowledgement(transfer, msg)
            return
        if transfer.accepts(Step.ACKNOWLEDGE) and msg.revision != transfer.revision:
            stale = f"revision {msg.revision} is not {transfer.revision}"
            self._refuse(msg, StaleRevisionError(stale))
        self._apply_peer(transfer, Step.ACKNOWLEDGE, msg)
        transfer.acknowledged_revision = msg.revision
        transfer.peer_contact = msg.contact or transfer.peer_contact

    def _answer_late_acknowledgement(
        self, transfer: Transfer, msg: ReceiveTransferAcknowledged
    ) -> None:
        """Record an acknowledgement that came after the transfer lapsed; say again it is off."""
        self._apply_peer(transfer, Step.ACKNOWLEDGE, msg)
        lapsed = "the transfer expired before this acknowledgement arrived"
        cancelled = self._cancelled(transfer, lapsed, CancelReason.OTHER, expired=True)
        self._emit(replace(cancelled, at=msg.at, causation_id=msg.message_id))

    def receive_decline(self, msg: ReceiveTransferDeclined) -> None:
        """The receiver declined; the transfer ends."""
        transfer = self._peer_transfer(msg, Side.OWNER)
        self._check_epoch(msg, transfer.epoch)
        self._apply_peer(transfer, Step.DECLINE, msg)
        transfer.decline = Decline(
            msg.reason, msg.text, msg.missing_information, msg.suggested_force
        )

    def receive_acceptance(self, msg: ReceiveOwnershipAccepted) -> None:
        """The receiver accepted epoch n+1; a withdrawn transfer answers with a refusal."""
        transfer = self._peer_transfer(msg, Side.OWNER)
        self._check_epoch(msg, transfer.epoch + 1)
        withdrawn = transfer.state in {TransferState.CANCELLED, TransferState.EXPIRED}
        self._apply_peer(transfer, Step.ACCEPT, msg)
        if withdrawn:
            self._refuse_acceptance(transfer, msg)
            return
        transfer.registration = msg.registration
        transfer.peer_contact = msg.contact or transfer.peer_contact

    def _refuse_acceptance(self, transfer: Transfer, msg: ReceiveOwnershipAccepted) -> None:
        reason = f"transfer {transfer.transfer_id} is {transfer.state}"
        transfer.take(Step.REFUSE, self.held_by, msg.at, reason)
        self._emit(
            OwnershipRefused(
                reference=self.reference,
                force=self.held_by,
                at=msg.at,
                recipient=transfer.receiver,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                causation_id=msg.message_id,
                reason=reason,
                reason_code=self._refusal_reason(transfer),
                owner=self.owner,
                owner_epoch=self.epoch,
            )
        )

    def _refusal_reason(self, transfer: Transfer) -> RefusalReason:
        if self.epoch != transfer.epoch:
            return RefusalReason.TRANSFER_SUPERSEDED
        return RefusalReason.TRANSFER_CANCELLED
