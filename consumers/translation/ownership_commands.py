"""Ownership messages, reminders and absence notices as commands."""

from __future__ import annotations

from consumers.translation import enums, parts
from consumers.translation.envelope import body_as, message_fields, transfer_fields
from ownership.domain.commands import (
    ReceiveOffenderAbsent,
    ReceiveOwnershipRefused,
    ReceiveOwnershipTransferred,
    ReceiveOwnershipWithdrawn,
    ReceiveTransferReminder,
)
from ownership.domain.pending import WaitingFor
from schemas.models import offender as wire_offender
from schemas.models import ownership as wire
from schemas.models import transfer as wire_transfer
from schemas.registry import ReceivedMessage


def transferred(received: ReceivedMessage) -> ReceiveOwnershipTransferred:
    """`ownership.transferred` → the new owner and epoch (the record checks both are us and
    the envelope's), when it took effect, and where the records are."""
    body = body_as(received, wire.OwnershipTransferred)
    return ReceiveOwnershipTransferred(
        **transfer_fields(received.envelope),
        new_owner=body.new_owner,
        new_epoch=body.new_epoch,
        effective_at=body.effective_at,
        records_sent=body.records_sent,
        records_reference=body.records_reference,
    )


def refused(received: ReceivedMessage) -> ReceiveOwnershipRefused:
    """`ownership.refused` → why, and who owns the record at which epoch."""
    body = body_as(received, wire.OwnershipRefused)
    return ReceiveOwnershipRefused(
        **transfer_fields(received.envelope),
        reason=body.reason,
        reason_code=enums.REFUSAL_REASON[body.reason_code],
        owner=body.owner,
        owner_epoch=body.epoch,
        lapsed=body.lapsed is True,
    )


def withdrawn(received: ReceivedMessage) -> ReceiveOwnershipWithdrawn:
    """`ownership.withdrawn` → the receiver withdraws its acceptance, and why."""
    body = body_as(received, wire.OwnershipWithdrawn)
    return ReceiveOwnershipWithdrawn(**transfer_fields(received.envelope), reason=body.reason)


def reminder(received: ReceivedMessage) -> ReceiveTransferReminder:
    """`transfer.reminder` → what is overdue and the message still waiting for an answer."""
    body = body_as(received, wire_transfer.TransferReminder)
    return ReceiveTransferReminder(
        **transfer_fields(received.envelope),
        waiting_for=WaitingFor.COMMIT if body.awaiting == "commit" else enums.OVERDUE[body.overdue],
        original_message_id=body.original_message_id,
        originally_sent_at=body.originally_sent_at,
        reminder_number=body.reminder_number,
    )


def absent(received: ReceivedMessage) -> ReceiveOffenderAbsent:
    """`offender.absent` → who left, when, the evidence and the forwarding address."""
    body = body_as(received, wire_offender.OffenderAbsent)
    evidence, forwarding = body.evidence, body.forwarding_address
    return ReceiveOffenderAbsent(
        **message_fields(received.envelope),
        transfer_id=received.envelope.transferid,
        profile=parts.profile(body.offender, None),
        date_left=evidence.date_left,
        forwarding_address=parts.address(forwarding) if forwarding is not None else None,
        evidence=evidence.details,
        source=enums.ABSENCE_SOURCE[evidence.source],
        recorded_at=evidence.recorded_at,
    )
