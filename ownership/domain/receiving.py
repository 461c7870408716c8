"""The receiving force's side of a transfer: acknowledge, consult, decline, accept.

Only the transfer's named receiver takes these steps, and it accepts amendments,
cancellations, the committed handover and refusals only from the transfer's owner.
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
    ConsultationCompleted,
    ConsultationOpened,
    ConsultationPartyRecorded,
    OwnershipAccepted,
    PeerStepApplied,
    TransferAcknowledged,
    TransferDeclined,
)
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.record_core import RecordCore
from ownership.domain.review import ReviewChecklist
from ownership.domain.states import Side, Step, TransferState
from ownership.domain.transfer import Decline, Handover, StepTaken, Transfer


class ReceivingSteps(RecordCore):
    """Steps the receiving force takes, and the owner's messages it accepts."""

    def receive_notification(self, msg: ReceiveTransferNotified) -> None:
        """The owner of ``msg.epoch`` tells us of an imminent transfer."""
        self._check_addressed(msg)
        if self.find_transfer(msg.transfer_id) is not None:
            self._refuse(msg, TransferAlreadyKnownError(f"transfer {msg.transfer_id} is known"))
        self._check_claim(msg)
        self.profile = msg.profile
        transfer = Transfer(
            transfer_id=msg.transfer_id,
            side=Side.RECEIVER,
            owner=msg.sender,
            receiver=self.held_by,
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
        self.transfers.append(transfer)
        self._emit(
            PeerStepApplied(
                reference=self.reference,
                force=self.held_by,
                at=msg.at,
                transfer_id=msg.transfer_id,
                step=Step.NOTIFY,
                sender=msg.sender,
                state=transfer.state,
                message_id=msg.message_id,
            )
        )

    def acknowledge(self, cmd: AcknowledgeTransfer) -> None:
        """Acknowledge the latest revision and open the consultation (once)."""
        transfer = self._received_transfer(cmd.transfer_id)
        transfer.take(Step.ACKNOWLEDGE, cmd.by, cmd.at)
        transfer.acknowledged_revision = transfer.revision
        if transfer.consultation is None:
            transfer.consultation = Consultation(cmd.at, cmd.by)
            self._emit(
                ConsultationOpened(
                    reference=self.reference,
                    force=self.held_by,
                    at=cmd.at,
                    transfer_id=transfer.transfer_id,
                )
            )
        self._emit(
            TransferAcknowledged(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.owner,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                causation_id=_answered(transfer),
                revision=transfer.revision,
                received_at=transfer.started_at,
                consulting=tuple(p.party for p in transfer.consultation.parties),
                contact=cmd.contact,
            )
        )

    def decline(self, cmd: DeclineTransfer) -> None:
        """Decline the transfer, with a reason code and text."""
        transfer = self._received_transfer(cmd.transfer_id)
        transfer.take(Step.DECLINE, cmd.by, cmd.at, cmd.text)
        transfer.decline = Decline(
            cmd.reason, cmd.text, cmd.missing_information, cmd.suggested_force
        )
        self._emit(
            TransferDeclined(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.owner,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch,
                causation_id=_answered(transfer),
                reason=cmd.reason,
                text=cmd.text,
                missing_information=cmd.missing_information,
                suggested_force=cmd.suggested_force,
            )
        )

    def record_consultation_party(self, cmd: RecordConsultationParty) -> None:
        """Record a party consulted on risk, response plans and threats to life."""
        transfer = self._received_transfer(cmd.transfer_id)
        party = ConsultationParty(cmd.party, cmd.kind, cmd.outcome, cmd.by, cmd.at)
        self._open_consultation(transfer).record_party(party)
        self._emit(
            ConsultationPartyRecorded(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=transfer.transfer_id,
                party=party,
            )
        )

    def complete_consultation(self, cmd: CompleteConsultation) -> None:
        """Record the consultation as done."""
        transfer = self._received_transfer(cmd.transfer_id)
        consultation = self._open_consultation(transfer)
        consultation.complete(cmd.by, cmd.at, cmd.summary, mappa_case=self.profile.is_mappa_case)
        self._emit(
            ConsultationCompleted(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                transfer_id=transfer.transfer_id,
            )
        )

    def _open_consultation(self, transfer: Transfer) -> Consultation:
        if transfer.consultation is None or not transfer.is_live:
            raise ConsultationNotOpenError(
                f"transfer {transfer.transfer_id} has no open consultation ({transfer.state})"
            )
        return transfer.consultation

    def accept(self, cmd: AcceptOwnership) -> None:
        """Accept responsibility for epoch n+1, once the consultation is done."""
        transfer = self._received_transfer(cmd.transfer_id)
        transfer.check(Step.ACCEPT)
        if transfer.consultation is None or not transfer.consultation.is_complete:
            raise ConsultationIncompleteError(f"consult on {transfer.transfer_id} before accepting")
        message_id = self._sent_id(transfer, Step.ACCEPT)
        transfer.take(Step.ACCEPT, cmd.by, cmd.at, message_id=message_id)
        transfer.registration = cmd.registration
        self._emit(
            OwnershipAccepted(
                reference=self.reference,
                force=self.held_by,
                at=cmd.at,
                recipient=transfer.owner,
                transfer_id=transfer.transfer_id,
                epoch=transfer.epoch + 1,
                causation_id=_answered(transfer),
                message_id=message_id,
                registration=cmd.registration,
                contact=cmd.contact,
            )
        )

    def receive_amendment(self, msg: ReceiveTransferAmended) -> None:
        """The owner corrected the details; only a newer revision replaces them."""
        transfer = self._peer_transfer(msg, Side.RECEIVER)
        self._check_epoch(msg, transfer.epoch)
        if not transfer.accepts(Step.AMEND):
            self._refuse(msg, OutOfSequenceError(f"{msg.message} arrived when {transfer.state}"))
        if msg.revision <= transfer.revision:
            self._refuse(msg, StaleRevisionError(f"revision {msg.revision} is not newer"))
        transfer.revision = msg.revision
        transfer.details = msg.changes.apply_to(transfer.details)
        if msg.changes.review is not None:
            transfer.review_report = msg.changes.review
        if msg.changes.mappa is not None:
            self.profile = replace(self.profile, mappa=msg.changes.mappa)
        self._apply_peer(transfer, Step.AMEND, msg)

    def receive_cancellation(self, msg: ReceiveTransferCancelled) -> None:
        """The owner withdrew the transfer (or let it expire)."""
        transfer = self._peer_transfer(msg, Side.RECEIVER)
        self._check_epoch(msg, transfer.epoch)
        self._apply_peer(transfer, Step.CANCEL, msg)

    def receive_refusal(self, msg: ReceiveOwnershipRefused) -> None:
        """The owner refused our acceptance: it keeps the record."""
        transfer = self._peer_transfer(msg, Side.RECEIVER)
        self._check_epoch(msg, transfer.epoch)
        self._apply_peer(transfer, Step.REFUSE, msg)

    def receive_ownership(self, msg: ReceiveOwnershipTransferred) -> None:
        """The owner committed the handover: this force owns epoch n+1."""
        transfer = self._peer_transfer(msg, Side.RECEIVER)
        self._check_epoch(msg, transfer.epoch + 1)
        self._check_handover_body(msg)
        if transfer.accepts(Step.COMMIT) and self.epoch != transfer.epoch:
            self._refuse(msg, StaleEpochError(f"{self.reference} moved on to epoch {self.epoch}"))
        self._apply_peer(transfer, Step.COMMIT, msg)
        transfer.handover = Handover(
            msg.effective_at or msg.at, msg.records_sent, msg.records_reference
        )
        change = OwnershipChange(
            msg.epoch,
            self.held_by,
            transfer.owner,
            msg.at,
            ChangeKind.TRANSFERRED,
            transfer.transfer_id,
            transfer.details.end_date,
            msg.message_id,
        )
        self._change_owner(change, transfer)

    def _check_handover_body(self, msg: ReceiveOwnershipTransferred) -> None:
        """The handover must name this force as the new owner, at the epoch it speaks for."""
        if msg.new_owner is not None and msg.new_owner != self.held_by:
            named = f"the handover names {msg.new_owner} as owner, not {self.held_by}"
            self._refuse(msg, MisaddressedError(named))
        if msg.new_epoch is not None and msg.new_epoch != msg.epoch:
            claimed = f"the handover grants epoch {msg.new_epoch} but speaks for {msg.epoch}"
            self._refuse(msg, UngrantedEpochError(claimed))


def _answered(transfer: Transfer) -> str | None:
    """The id of the owner's latest notification or amendment, which this step answers."""
    step = transfer.last_message(Step.NOTIFY, Step.AMEND)
    return step.message_id if step else None
