"""Command handlers: load the record through the unit of work, call the domain, commit.

Local commands commit only if the domain accepts them; a domain error rolls everything
back. Incoming messages also commit when the record *refuses* them (``RefusalError``): the
refusal (and any conflict raised) is part of the record, and the error is re-raised so the
node dead-letters the message with the refusal's code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from ownership.domain import commands, requesting
from ownership.domain.errors import (
    DuplicateOffenderError,
    RefusalError,
    UnaskedAnswerError,
    UnknownOffenderError,
)
from ownership.domain.events import OwnershipQueried, OwnershipStatusReported
from ownership.domain.identity_lookup import identity_view
from ownership.domain.reconciliation import (
    held_view,
    in_parts,
    query_id,
    shared_offenders,
    status_id,
)
from ownership.domain.record import OffenderRecord
from ownership.domain.values import OffenderProfile
from ownership.service_layer.unit_of_work import AbstractUnitOfWork

C = TypeVar("C", bound=commands.Command)
M = TypeVar("M", bound=commands.IncomingMessage)
Handler = Callable[[Any, AbstractUnitOfWork], Awaitable[None]]


async def _load(uow: AbstractUnitOfWork, reference: str) -> OffenderRecord:
    record = await uow.records.get(reference)
    if record is None:
        raise UnknownOffenderError(f"{uow.force} holds no record of {reference}")
    return record


async def _apply(
    uow: AbstractUnitOfWork, cmd: C, step: Callable[[OffenderRecord, C], None]
) -> None:
    """Apply a local command to its record and commit."""
    async with uow:
        record = await _load(uow, cmd.reference)
        step(record, cmd)
        await uow.commit()


async def _receive(
    uow: AbstractUnitOfWork,
    msg: C,
    step: Callable[[OffenderRecord, C], None],
    record: OffenderRecord | None = None,
) -> None:
    """Apply another force's message to its record; commit refusals too, then re-raise."""
    record = record or await _load(uow, msg.reference)
    try:
        step(record, msg)
    except RefusalError:
        await uow.commit()
        raise
    await uow.commit()


async def register_offender(cmd: commands.RegisterOffender, uow: AbstractUnitOfWork) -> None:
    """Open a record owned by this force at epoch 1."""
    async with uow:
        if await uow.records.get(cmd.reference) is not None:
            raise DuplicateOffenderError(f"{uow.force} already holds {cmd.reference}")
        await uow.records.add(OffenderRecord.register(cmd, uow.force))
        await uow.commit()


async def start_transfer(cmd: commands.StartTransfer, uow: AbstractUnitOfWork) -> None:
    """Draft a transfer."""
    await _apply(uow, cmd, OffenderRecord.start_transfer)


async def complete_review_item(cmd: commands.CompleteReviewItem, uow: AbstractUnitOfWork) -> None:
    """Record a review item as done."""
    await _apply(uow, cmd, OffenderRecord.complete_review_item)


async def record_visit(cmd: commands.RecordVisit, uow: AbstractUnitOfWork) -> None:
    """Record a visit."""
    await _apply(uow, cmd, OffenderRecord.record_visit)


async def notify_transfer(cmd: commands.NotifyTransfer, uow: AbstractUnitOfWork) -> None:
    """Notify the receiver."""
    await _apply(uow, cmd, OffenderRecord.notify)


async def amend_transfer(cmd: commands.AmendTransfer, uow: AbstractUnitOfWork) -> None:
    """Amend a live transfer."""
    await _apply(uow, cmd, OffenderRecord.amend)


async def cancel_transfer(cmd: commands.CancelTransfer, uow: AbstractUnitOfWork) -> None:
    """Cancel a transfer."""
    await _apply(uow, cmd, OffenderRecord.cancel)


async def expire_transfer(cmd: commands.ExpireTransfer, uow: AbstractUnitOfWork) -> None:
    """Let a transfer lapse."""
    await _apply(uow, cmd, OffenderRecord.expire)


async def commit_transfer(cmd: commands.CommitTransfer, uow: AbstractUnitOfWork) -> None:
    """Commit the handover."""
    await _apply(uow, cmd, OffenderRecord.commit)


async def record_authority_told(cmd: commands.RecordAuthorityTold, uow: AbstractUnitOfWork) -> None:
    """Record how and when an authority that runs no node was told."""
    await _apply(uow, cmd, OffenderRecord.record_authority_told)


async def record_authority_acknowledgement(
    cmd: commands.RecordAuthorityAcknowledgement, uow: AbstractUnitOfWork
) -> None:
    """Record the authority's acknowledgement."""
    await _apply(uow, cmd, OffenderRecord.record_authority_acknowledgement)


async def record_authority_acceptance(
    cmd: commands.RecordAuthorityAcceptance, uow: AbstractUnitOfWork
) -> None:
    """Record the authority's acceptance."""
    await _apply(uow, cmd, OffenderRecord.record_authority_acceptance)


async def record_return_from_authority(
    cmd: commands.RecordReturnFromAuthority, uow: AbstractUnitOfWork
) -> None:
    """Record that the managing authority handed the offender back."""
    await _apply(uow, cmd, OffenderRecord.record_return_from_authority)


async def acknowledge_transfer(cmd: commands.AcknowledgeTransfer, uow: AbstractUnitOfWork) -> None:
    """Acknowledge a notification or amendment."""
    await _apply(uow, cmd, OffenderRecord.acknowledge)


async def decline_transfer(cmd: commands.DeclineTransfer, uow: AbstractUnitOfWork) -> None:
    """Decline a transfer."""
    await _apply(uow, cmd, OffenderRecord.decline)


async def record_consultation_party(
    cmd: commands.RecordConsultationParty, uow: AbstractUnitOfWork
) -> None:
    """Record a consulted party."""
    await _apply(uow, cmd, OffenderRecord.record_consultation_party)


async def complete_consultation(
    cmd: commands.CompleteConsultation, uow: AbstractUnitOfWork
) -> None:
    """Record the consultation as done."""
    await _apply(uow, cmd, OffenderRecord.complete_consultation)


async def accept_ownership(cmd: commands.AcceptOwnership, uow: AbstractUnitOfWork) -> None:
    """Accept responsibility for epoch n+1."""
    await _apply(uow, cmd, OffenderRecord.accept)


async def withdraw_acceptance(cmd: commands.WithdrawAcceptance, uow: AbstractUnitOfWork) -> None:
    """Withdraw our acceptance before the owner commits."""
    await _apply(uow, cmd, OffenderRecord.withdraw)


async def record_absence(cmd: commands.RecordAbsence, uow: AbstractUnitOfWork) -> None:
    """Record that the offender left the registered address."""
    await _apply(uow, cmd, OffenderRecord.record_absence)


async def send_reminder(cmd: commands.SendReminder, uow: AbstractUnitOfWork) -> None:
    """Remind the other force of an overdue step."""
    await _apply(uow, cmd, OffenderRecord.send_reminder)


async def report_failure_to_arrive(
    cmd: commands.ReportFailureToArrive, uow: AbstractUnitOfWork
) -> None:
    """Tell the owner the offender never arrived; the transfer ends."""
    await _apply(uow, cmd, OffenderRecord.report_failure_to_arrive)


async def close_task(cmd: commands.CloseTask, uow: AbstractUnitOfWork) -> None:
    """Record what was done about a task; it closes."""
    await _apply(uow, cmd, OffenderRecord.close_task)


async def chase_deadlines(cmd: commands.ChaseDeadlines, uow: AbstractUnitOfWork) -> None:
    """Escalate the record's overdue steps one rung, or let a transfer lapse."""
    await _apply(uow, cmd, OffenderRecord.chase)


async def reconcile(cmd: commands.Reconcile, uow: AbstractUnitOfWork) -> None:
    """Ask each counterpart who owns the offenders shared with it."""
    async with uow:
        shared = shared_offenders(await uow.records.list_all(), cmd.settled_before)
        for counterpart, references in shared.items():
            unasked = cmd.counterpart is not None and counterpart != cmd.counterpart
            if unasked or counterpart in cmd.no_node:
                continue
            for part, offenders in enumerate(in_parts(references)):
                uow.send(
                    OwnershipQueried(
                        force=uow.force,
                        at=cmd.at,
                        recipient=counterpart,
                        message_id=query_id(uow.force, counterpart, cmd.at, part),
                        offenders=offenders,
                    )
                )
        await uow.commit()


async def answer_ownership_query(
    msg: commands.ReceiveOwnershipQuery, uow: AbstractUnitOfWork
) -> None:
    """Tell the asker what we hold for each offender it shares with us (need to know), and
    for each identity it asks about, the reference, owner and epoch of our record, if any."""
    async with uow:
        views = [
            held_view(await uow.records.get(reference), reference, msg.sender)
            for reference in msg.offenders
        ]
        records = await uow.records.list_all() if msg.identities else []
        found = tuple(identity_view(records, asked) for asked in msg.identities)
        uow.send(
            OwnershipStatusReported(
                force=uow.force,
                at=msg.at,
                recipient=msg.sender,
                message_id=status_id(uow.force, msg.message_id),
                causation_id=msg.message_id,
                views=tuple(views),
                identities=found,
            )
        )
        await uow.commit()


async def receive_ownership_status(
    msg: commands.ReceiveOwnershipStatus, uow: AbstractUnitOfWork
) -> None:
    """Compare a counterpart's answer with our records; raise each disagreement.

    Only an answer to a query this force sent that counterpart is read: an unasked answer
    would let any force move or unsettle views it was never asked about.
    """
    async with uow:
        if not await uow.asked(msg.causation_id, msg.sender):
            raise UnaskedAnswerError(f"{msg.sender}'s answer answers no query {uow.force} sent")
        for view in msg.views:
            record = await uow.records.get(view.reference)
            if record is not None:
                record.reconcile_with(msg.sender, view, msg.message_id, msg.at)
        await uow.commit()


async def receive_transfer_notified(
    msg: commands.ReceiveTransferNotified, uow: AbstractUnitOfWork
) -> None:
    """A notification arrived; a first notice of an offender opens this force's view."""
    async with uow:
        await _receive_or_first_hear(uow, msg, msg.profile, OffenderRecord.receive_notification)


async def receive_offender_absent(
    msg: commands.ReceiveOffenderAbsent, uow: AbstractUnitOfWork
) -> None:
    """An absence notice arrived; it never opens a view (only a notification does)."""
    async with uow:
        await _receive_or_first_hear(uow, msg, msg.profile, OffenderRecord.receive_absence_notice)


async def _receive_or_first_hear(
    uow: AbstractUnitOfWork,
    msg: M,
    profile: OffenderProfile,
    step: Callable[[OffenderRecord, M], None],
) -> None:
    """Apply ``msg`` to the record it is about, or to a new view if it may open one.

    A new view is kept only if ``msg`` is accepted: a refused first message leaves this
    force holding nothing, so no refused message can plant a view.
    """
    record = await uow.records.get(msg.reference)
    if record is not None:
        await _receive(uow, msg, step, record)
        return
    record = OffenderRecord.first_heard(msg, uow.force, profile)
    step(record, msg)
    await uow.records.add(record)
    await uow.commit()


async def receive_transfer_amended(
    msg: commands.ReceiveTransferAmended, uow: AbstractUnitOfWork
) -> None:
    """An amendment arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_amendment)


async def receive_transfer_acknowledged(
    msg: commands.ReceiveTransferAcknowledged, uow: AbstractUnitOfWork
) -> None:
    """An acknowledgement arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_acknowledgement)


async def receive_transfer_declined(
    msg: commands.ReceiveTransferDeclined, uow: AbstractUnitOfWork
) -> None:
    """A decline arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_decline)


async def receive_transfer_cancelled(
    msg: commands.ReceiveTransferCancelled, uow: AbstractUnitOfWork
) -> None:
    """A cancellation arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_cancellation)


async def receive_ownership_accepted(
    msg: commands.ReceiveOwnershipAccepted, uow: AbstractUnitOfWork
) -> None:
    """An acceptance arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_acceptance)


async def receive_ownership_transferred(
    msg: commands.ReceiveOwnershipTransferred, uow: AbstractUnitOfWork
) -> None:
    """The owner's commit arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_ownership)


async def receive_ownership_refused(
    msg: commands.ReceiveOwnershipRefused, uow: AbstractUnitOfWork
) -> None:
    """A refusal of our acceptance arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_refusal)


async def receive_transfer_failed_to_arrive(
    msg: commands.ReceiveTransferFailedToArrive, uow: AbstractUnitOfWork
) -> None:
    """The receiver says the offender never arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_failure_to_arrive)


async def receive_ownership_withdrawn(
    msg: commands.ReceiveOwnershipWithdrawn, uow: AbstractUnitOfWork
) -> None:
    """The receiver withdrew its acceptance."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_withdrawal)


async def receive_transfer_reminder(
    msg: commands.ReceiveTransferReminder, uow: AbstractUnitOfWork
) -> None:
    """A reminder arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_reminder)


async def propose_resolution(cmd: commands.ProposeResolution, uow: AbstractUnitOfWork) -> None:
    """Propose a conflict's resolution to its other party."""
    await _apply(uow, cmd, OffenderRecord.propose_resolution)


async def confirm_resolution(cmd: commands.ConfirmResolution, uow: AbstractUnitOfWork) -> None:
    """Confirm the other party's proposed resolution."""
    await _apply(uow, cmd, OffenderRecord.confirm_resolution)


async def reject_resolution(cmd: commands.RejectResolution, uow: AbstractUnitOfWork) -> None:
    """Reject the other party's proposed resolution."""
    await _apply(uow, cmd, OffenderRecord.reject_resolution)


async def receive_resolution_proposed(
    msg: commands.ReceiveResolutionProposed, uow: AbstractUnitOfWork
) -> None:
    """A proposed resolution arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_resolution_proposal)


async def receive_resolution_confirmed(
    msg: commands.ReceiveResolutionConfirmed, uow: AbstractUnitOfWork
) -> None:
    """A confirmation of our proposed resolution arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_resolution_confirmation)


async def receive_resolution_rejected(
    msg: commands.ReceiveResolutionRejected, uow: AbstractUnitOfWork
) -> None:
    """A rejection of our proposed resolution arrived."""
    async with uow:
        await _receive(uow, msg, OffenderRecord.receive_resolution_rejection)


async def request_transfer(cmd: commands.RequestTransfer, uow: AbstractUnitOfWork) -> None:
    """Ask the force believed to own the record for a transfer; no view is opened here."""
    async with uow:
        held = await uow.records.get(cmd.reference)
        uow.send(requesting.request_event(cmd, uow.force, held))
        await uow.commit()


async def receive_transfer_requested(
    msg: commands.ReceiveTransferRequested, uow: AbstractUnitOfWork
) -> None:
    """A request for a transfer arrived: pending on our record, or declined as unknown."""
    async with uow:
        record = await uow.records.get(msg.reference)
        if record is not None:
            await _receive(uow, msg, OffenderRecord.receive_transfer_request, record)
            return
        uow.send(requesting.unknown_declined(msg, uow.force))
        await uow.commit()


async def decline_transfer_request(
    cmd: commands.DeclineTransferRequest, uow: AbstractUnitOfWork
) -> None:
    """Decline a pending request for a transfer."""
    await _apply(uow, cmd, OffenderRecord.decline_transfer_request)


async def receive_transfer_request_declined(
    msg: commands.ReceiveTransferRequestDeclined, uow: AbstractUnitOfWork
) -> None:
    """The force asked declined our request: nothing of ours changes (the audit keeps it)."""
    async with uow:
        await uow.commit()


COMMAND_HANDLERS: Mapping[type[commands.Command | commands.FederationCommand], Handler] = {
    commands.RegisterOffender: register_offender,
    commands.StartTransfer: start_transfer,
    commands.CompleteReviewItem: complete_review_item,
    commands.RecordVisit: record_visit,
    commands.NotifyTransfer: notify_transfer,
    commands.AmendTransfer: amend_transfer,
    commands.CancelTransfer: cancel_transfer,
    commands.ExpireTransfer: expire_transfer,
    commands.CommitTransfer: commit_transfer,
    commands.RecordAuthorityTold: record_authority_told,
    commands.RecordAuthorityAcknowledgement: record_authority_acknowledgement,
    commands.RecordAuthorityAcceptance: record_authority_acceptance,
    commands.RecordReturnFromAuthority: record_return_from_authority,
    commands.AcknowledgeTransfer: acknowledge_transfer,
    commands.DeclineTransfer: decline_transfer,
    commands.RecordConsultationParty: record_consultation_party,
    commands.CompleteConsultation: complete_consultation,
    commands.AcceptOwnership: accept_ownership,
    commands.WithdrawAcceptance: withdraw_acceptance,
    commands.RecordAbsence: record_absence,
    commands.SendReminder: send_reminder,
    commands.ChaseDeadlines: chase_deadlines,
    commands.Reconcile: reconcile,
    commands.ReceiveOwnershipQuery: answer_ownership_query,
    commands.ReceiveOwnershipStatus: receive_ownership_status,
    commands.ReceiveTransferNotified: receive_transfer_notified,
    commands.ReceiveTransferAmended: receive_transfer_amended,
    commands.ReceiveTransferAcknowledged: receive_transfer_acknowledged,
    commands.ReceiveTransferDeclined: receive_transfer_declined,
    commands.ReceiveTransferCancelled: receive_transfer_cancelled,
    commands.ReceiveOwnershipAccepted: receive_ownership_accepted,
    commands.ReceiveOwnershipTransferred: receive_ownership_transferred,
    commands.ReceiveOwnershipRefused: receive_ownership_refused,
    commands.ReceiveOwnershipWithdrawn: receive_ownership_withdrawn,
    commands.ReceiveTransferReminder: receive_transfer_reminder,
    commands.ReceiveOffenderAbsent: receive_offender_absent,
    commands.ProposeResolution: propose_resolution,
    commands.ConfirmResolution: confirm_resolution,
    commands.RejectResolution: reject_resolution,
    commands.ReceiveResolutionProposed: receive_resolution_proposed,
    commands.ReceiveResolutionConfirmed: receive_resolution_confirmed,
    commands.ReceiveResolutionRejected: receive_resolution_rejected,
    commands.ReportFailureToArrive: report_failure_to_arrive,
    commands.ReceiveTransferFailedToArrive: receive_transfer_failed_to_arrive,
    commands.CloseTask: close_task,
    commands.RequestTransfer: request_transfer,
    commands.ReceiveTransferRequested: receive_transfer_requested,
    commands.DeclineTransferRequest: decline_transfer_request,
    commands.ReceiveTransferRequestDeclined: receive_transfer_request_declined,
}
