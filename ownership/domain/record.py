"""The offender record: the aggregate root, one per offender in each force's view.

Everything about one offender is ordered on one Kafka partition, so the record is the
consistency boundary: it holds the offender's transfers, visits, absences, ownership history,
conflicts and refusals, and a ``version`` for optimistic concurrency.

``OffenderRecord`` lists every step here, each a one-line call to the module that does it:

- ``owning``: the owning force's steps and the receiver's answers it takes;
- ``handing_over``: a hand-over by hand to an authority that runs no node;
- ``receiving``: the receiving force's steps and the owner's messages it takes;
- ``casework``: visits, absences and reminders;
- ``chasing``: the scheduler's climb up the escalation ladder;
- ``reconciling``: a counterpart's view compared with this one;
- ``resolving``: a conflict resolved by its two parties, proposed and confirmed.
- ``arriving``: a failure to arrive, reported by the receiver and taken in by the owner;
- ``tasks``: what a person here must do about the record, and closing it.
- ``reconciling``: a counterpart's view compared with this one.
- ``requesting``: a request for a transfer from a force where the offender registered
  unannounced (``requests`` holds the values, its pending items and deadlines).

The steps share the checks in ``guards``; the fields (the persisted shape) and the two
changes every step makes, ``emit`` and ``change_owner``, are in ``record_core``.
"""

from __future__ import annotations

from datetime import date, datetime

from ownership.domain import (
    arriving,
    casework,
    chasing,
    handing_over,
    owning,
    receiving,
    reconciling,
    requesting,
    resolving,
)
from ownership.domain import commands as c
from ownership.domain import tasks as task_list
from ownership.domain.deadlines import OverdueStep, ServiceLevels
from ownership.domain.errors import CannotEstablishViewError
from ownership.domain.events import OffenderRegistered
from ownership.domain.held_views import HeldView
from ownership.domain.history import ChangeKind, OwnershipChange, TemporaryMove
from ownership.domain.pending import PendingItem, pending_items
from ownership.domain.record_core import RecordCore, RecordStatus, change_owner, emit
from ownership.domain.requests import pending_requests
from ownership.domain.states import TransferState
from ownership.domain.tasks import Task
from ownership.domain.transfer import Transfer
from ownership.domain.values import OffenderProfile
from ownership.domain.visits import WarrantConsideration


class OffenderRecord(RecordCore):
    """One offender's record as one force holds it; the aggregate root."""

    # -- opening a record ----------------------------------------------------------------

    @classmethod
    def register(cls, cmd: c.RegisterOffender, force: str) -> OffenderRecord:
        """A new record owned by ``force`` at epoch 1."""
        record = cls(cmd.reference, force, cmd.profile, owner=force, epoch=1)
        change_owner(record, OwnershipChange(1, force, None, cmd.at, ChangeKind.REGISTERED))
        emit(
            record,
            OffenderRegistered(
                reference=cmd.reference, force=force, at=cmd.at, profile=cmd.profile
            ),
        )
        return record

    @classmethod
    def first_heard(
        cls, msg: c.IncomingMessage, force: str, profile: OffenderProfile
    ) -> OffenderRecord:
        """A new view of an offender this force first hears of from ``msg``'s sender.

        Only a notification of a transfer to this force opens one: it is the one message a
        force with no record expects unasked. Anything else (an absence notice, a step of a
        transfer never notified here) raises ``CannotEstablishViewError`` and opens nothing.
        """
        if not isinstance(msg, c.ReceiveTransferNotified) or msg.recipient != force:
            raise CannotEstablishViewError(
                f"{force} holds no record of {msg.reference}, and {msg.message} from"
                f" {msg.sender} cannot open one"
            )
        record = cls(
            msg.reference,
            force,
            profile,
            owner=msg.sender,
            epoch=msg.epoch,
            status=RecordStatus.OWNED_ELSEWHERE,
        )
        observed = OwnershipChange(
            msg.epoch,
            msg.sender,
            None,
            msg.at,
            ChangeKind.OBSERVED,
            source_message_id=msg.message_id,
        )
        change_owner(record, observed)
        return record

    # -- the owning force (owning) -------------------------------------------------------

    def start_transfer(self, cmd: c.StartTransfer) -> None:
        """Draft a transfer to another force; its review begins."""
        owning.start_transfer(self, cmd)

    def complete_review_item(self, cmd: c.CompleteReviewItem) -> None:
        """Record a review item as done; the transfer is ready once the mandatory ones are."""
        owning.complete_review_item(self, cmd)

    def notify(self, cmd: c.NotifyTransfer) -> None:
        """Tell the receiver of the transfer, with the review's checklist and outcome."""
        owning.notify(self, cmd)

    def amend(self, cmd: c.AmendTransfer) -> None:
        """Correct a live transfer's details; the receiver acknowledges the new revision."""
        owning.amend(self, cmd)

    def cancel(self, cmd: c.CancelTransfer) -> None:
        """Withdraw the transfer; a receiver that was told is told it is off."""
        owning.cancel(self, cmd)

    def expire(self, cmd: c.ExpireTransfer) -> None:
        """Let a transfer lapse; a receiver that was told is told it is off."""
        owning.expire(self, cmd)

    def commit(self, cmd: c.CommitTransfer) -> None:
        """Hand over to the receiver that accepted: it owns epoch n+1."""
        owning.commit(self, cmd)

    def receive_withdrawal(self, msg: c.ReceiveOwnershipWithdrawn) -> None:
        """The receiver withdrew its acceptance: the transfer ends and the owner keeps it."""
        owning.receive_withdrawal(self, msg)

    def receive_acknowledgement(self, msg: c.ReceiveTransferAcknowledged) -> None:
        """The receiver acknowledged a revision; only the latest one moves the transfer."""
        owning.receive_acknowledgement(self, msg)

    def receive_decline(self, msg: c.ReceiveTransferDeclined) -> None:
        """The receiver declined; the transfer ends."""
        owning.receive_decline(self, msg)

    def receive_acceptance(self, msg: c.ReceiveOwnershipAccepted) -> None:
        """The receiver accepted epoch n+1; a withdrawn transfer answers with a refusal."""
        owning.receive_acceptance(self, msg)

    # -- a hand-over by hand to an authority that runs no node (handing_over) -------------

    def record_authority_told(self, cmd: c.RecordAuthorityTold) -> None:
        """Record how and when the authority was told of the reviewed move."""
        handing_over.record_told(self, cmd)

    def record_authority_acknowledgement(self, cmd: c.RecordAuthorityAcknowledgement) -> None:
        """Record the authority's acknowledgement: who, when, and its reference."""
        handing_over.record_acknowledgement(self, cmd)

    def record_authority_acceptance(self, cmd: c.RecordAuthorityAcceptance) -> None:
        """Record the authority's acceptance of the offender: who, when, and its reference."""
        handing_over.record_acceptance(self, cmd)

    def record_return_from_authority(self, cmd: c.RecordReturnFromAuthority) -> None:
        """The authority that manages the offender hands them back: this force owns again."""
        handing_over.record_return(self, cmd)

    # -- the receiving force (receiving) -------------------------------------------------

    def receive_notification(self, msg: c.ReceiveTransferNotified) -> None:
        """The owner of ``msg.epoch`` tells us of an imminent transfer."""
        receiving.receive_notification(self, msg)

    def acknowledge(self, cmd: c.AcknowledgeTransfer) -> None:
        """Acknowledge the latest revision and open the consultation (once)."""
        receiving.acknowledge(self, cmd)

    def decline(self, cmd: c.DeclineTransfer) -> None:
        """Decline the transfer, with a reason code and text."""
        receiving.decline(self, cmd)

    def record_consultation_party(self, cmd: c.RecordConsultationParty) -> None:
        """Record a party consulted on risk, response plans and threats to life."""
        receiving.record_consultation_party(self, cmd)

    def complete_consultation(self, cmd: c.CompleteConsultation) -> None:
        """Record the consultation as done."""
        receiving.complete_consultation(self, cmd)

    def accept(self, cmd: c.AcceptOwnership) -> None:
        """Accept responsibility for epoch n+1, once the consultation is done."""
        receiving.accept(self, cmd)

    def withdraw(self, cmd: c.WithdrawAcceptance) -> None:
        """Withdraw our acceptance before the owner commits; the owner keeps the record."""
        receiving.withdraw(self, cmd)

    def receive_amendment(self, msg: c.ReceiveTransferAmended) -> None:
        """The owner corrected the details; only a newer revision replaces them."""
        receiving.receive_amendment(self, msg)

    def receive_cancellation(self, msg: c.ReceiveTransferCancelled) -> None:
        """The owner withdrew the transfer (or let it expire)."""
        receiving.receive_cancellation(self, msg)

    def receive_refusal(self, msg: c.ReceiveOwnershipRefused) -> None:
        """The owner refused our acceptance: it keeps the record."""
        receiving.receive_refusal(self, msg)

    def receive_ownership(self, msg: c.ReceiveOwnershipTransferred) -> None:
        """The owner committed the handover: this force owns epoch n+1."""
        receiving.receive_ownership(self, msg)

    # -- failure to arrive (arriving) ----------------------------------------------------

    def report_failure_to_arrive(self, cmd: c.ReportFailureToArrive) -> None:
        """The offender never arrived here: end the transfer, tell the owner what was tried."""
        arriving.report_failure_to_arrive(self, cmd)

    def receive_failure_to_arrive(self, msg: c.ReceiveTransferFailedToArrive) -> None:
        """The receiver says the offender never arrived: keep the record, whereabouts unknown."""
        arriving.receive_failure_to_arrive(self, msg)

    # -- tasks for a person at this force (tasks) ----------------------------------------

    def tasks(self, now: datetime, levels: ServiceLevels) -> tuple[Task, ...]:
        """The open tasks on the record at ``now``: immediate action first, then by due."""
        return task_list.open_tasks(self, now, levels)

    def whereabouts_unknown(self, now: datetime, levels: ServiceLevels) -> bool:
        """Whether the offender failed to arrive and nobody has yet recorded what was done."""
        return task_list.whereabouts_unknown(self, now, levels)

    def close_task(self, cmd: c.CloseTask) -> None:
        """Record what was done about an open task, and why; it closes."""
        task_list.close_task(self, cmd)

    # -- requests for a transfer, at the force asked (requesting) ------------------------

    def receive_transfer_request(self, msg: c.ReceiveTransferRequested) -> None:
        """An offender registered, unannounced, at the sender: hold its request pending."""
        requesting.receive_request(self, msg)

    def decline_transfer_request(self, cmd: c.DeclineTransferRequest) -> None:
        """Decline a pending request for a transfer, with a reason; the requester is told."""
        requesting.decline_request(self, cmd)

    # -- casework, by whichever force's officers act (casework) --------------------------

    @property
    def warrant(self) -> WarrantConsideration | None:
        """The first s.96B note, once entry to one premises failed twice."""
        return casework.warrant(self)

    @property
    def warrants(self) -> tuple[WarrantConsideration, ...]:
        """Every s.96B note: one per premises where entry was sought and not obtained twice
        (what a task list shows; ``visits.warrant_considerations`` decides it)."""
        return casework.warrants(self)

    def record_visit(self, cmd: c.RecordVisit) -> None:
        """Record a visit, successful or not, with its departures from the guidance."""
        casework.record_visit(self, cmd)

    def record_absence(self, cmd: c.RecordAbsence) -> None:
        """Record that the offender left; tell the force of the forwarding address."""
        casework.record_absence(self, cmd)

    def receive_absence_notice(self, msg: c.ReceiveOffenderAbsent) -> None:
        """The owner says the offender left for an address in our area: act at once."""
        casework.receive_absence_notice(self, msg)

    def send_reminder(self, cmd: c.SendReminder) -> None:
        """Remind the other force that the step the transfer waits for is overdue."""
        casework.send_reminder(self, cmd)

    def receive_reminder(self, msg: c.ReceiveTransferReminder) -> None:
        """The other force says our step is overdue; recorded whatever our state."""
        casework.receive_reminder(self, msg)

    # -- deadlines, as the scheduler sees them (chasing) ---------------------------------

    def overdue(self, today: date, levels: ServiceLevels) -> list[OverdueStep]:
        """The steps past their service level on ``today``."""
        return chasing.overdue(self, today, levels)

    def needs_chasing(self, today: date, levels: ServiceLevels) -> bool:
        """Whether ``chase`` would do anything on ``today``."""
        return chasing.needs_chasing(self, today, levels)

    def chase(self, cmd: c.ChaseDeadlines) -> None:
        """Climb the next rung of every overdue step, or let a transfer lapse after the last."""
        chasing.chase(self, cmd)

    # -- a counterpart's view (reconciling) ----------------------------------------------

    def reconcile_with(self, peer: str, theirs: HeldView, message_id: str, at: datetime) -> None:
        """Compare ``peer``'s view with ours; raise a conflict once for each disagreement."""
        reconciling.reconcile_with(self, peer, theirs, message_id, at)

    # -- a conflict's resolution by its two parties (resolving) --------------------------

    def propose_resolution(self, cmd: c.ProposeResolution) -> None:
        """Propose to the other party who owns the record at a new epoch; nothing changes."""
        resolving.propose_resolution(self, cmd)

    def confirm_resolution(self, cmd: c.ConfirmResolution) -> None:
        """Confirm the other party's proposal: take its owner and epoch, and say so."""
        resolving.confirm_resolution(self, cmd)

    def reject_resolution(self, cmd: c.RejectResolution) -> None:
        """Reject the other party's proposal; the conflict stays open."""
        resolving.reject_resolution(self, cmd)

    def receive_resolution_proposal(self, msg: c.ReceiveResolutionProposed) -> None:
        """The other party proposes a resolution; it waits for our coordinator."""
        resolving.receive_resolution_proposal(self, msg)

    def receive_resolution_confirmation(self, msg: c.ReceiveResolutionConfirmed) -> None:
        """The other party confirmed our proposal: only now does this record take it."""
        resolving.receive_resolution_confirmation(self, msg)

    def receive_resolution_rejection(self, msg: c.ReceiveResolutionRejected) -> None:
        """The other party rejected our proposal; the conflict stays open."""
        resolving.receive_resolution_rejection(self, msg)

    # -- what the record waits for -------------------------------------------------------

    def pending(self, today: date) -> tuple[PendingItem, ...]:
        """What this record waits for, by which force, and what is overdue on ``today``."""
        items = pending_items(self.reference, self.transfers, self.temporary_move, today)
        return items + tuple(pending_requests(self.reference, self.held_by, self.requests))

    def lapsed_acceptances(self) -> list[Transfer]:
        """The transfers whose acceptance lapsed uncommitted (the owner kept the record)."""
        return [t for t in self.transfers if t.state is TransferState.LAPSED]

    def overdue_return(self, today: date) -> TemporaryMove | None:
        """The temporary move whose return is overdue on ``today``, if any."""
        move = self.temporary_move
        return move if move is not None and move.is_overdue(today) else None
