"""Bodies of the owner's ownership messages, reminders and absence notices."""

from __future__ import annotations

from ownership.domain.events import (
    AcceptanceWithdrawn,
    OffenderAbsent,
    OwnershipRefused,
    OwnershipTransferred,
    ReminderSent,
)
from ownership.domain.pending import WaitingFor
from producers.translation import parts
from producers.translation.errors import UntranslatableEventError
from schemas.models import offender as wire_offender
from schemas.models import ownership as wire
from schemas.models import transfer as wire_transfer
from wire_enums import tables as enums


def transferred_body(event: OwnershipTransferred) -> wire.OwnershipTransferred:
    """`ownership.transferred`: the recipient owns epoch n+1 from the commit's time."""
    return wire.OwnershipTransferred(
        new_owner=event.recipient,
        new_epoch=event.epoch,
        effective_at=event.at,
        records_sent=event.records_sent,
        records_reference=event.records_reference,
    )


def refused_body(event: OwnershipRefused) -> wire.OwnershipRefused:
    """`ownership.refused`: why, and who owns the record at which epoch."""
    return wire.OwnershipRefused(
        reason_code=enums.REFUSAL_REASON[event.reason_code],
        reason=event.reason,
        owner=event.owner or event.force,
        epoch=event.owner_epoch if event.owner_epoch is not None else event.epoch,
        lapsed=True if event.lapsed else None,
    )


def withdrawn_body(event: AcceptanceWithdrawn) -> wire.OwnershipWithdrawn:
    """`ownership.withdrawn`: the receiver withdraws its acceptance, and why."""
    return wire.OwnershipWithdrawn(reason=event.reason)


def reminder_body(event: ReminderSent) -> wire_transfer.TransferReminder:
    """`transfer.reminder`: what is overdue and the message still waiting for an answer."""
    overdue = enums.OVERDUE.get(WaitingFor(event.waiting_for))
    if overdue is None:
        raise UntranslatableEventError(f"the protocol has no reminder for {event.waiting_for}")
    if event.original_message_id is None or event.originally_sent_at is None:
        raise UntranslatableEventError("the reminder does not name the message it chases")
    return wire_transfer.TransferReminder(
        overdue=overdue,
        original_message_id=event.original_message_id,
        originally_sent_at=event.originally_sent_at,
        reminder_number=event.reminder_number,
        awaiting="commit" if event.waiting_for == WaitingFor.COMMIT else None,
    )


def absent_body(event: OffenderAbsent) -> wire_offender.OffenderAbsent:
    """`offender.absent`: who left, the evidence, and where they are believed to be."""
    forwarding = event.forwarding_address
    return wire_offender.OffenderAbsent(
        offender=parts.offender_details(event.profile),
        evidence=wire_offender.AbsenceEvidence(
            date_left=event.date_left,
            source=enums.ABSENCE_SOURCE[event.source],
            details=event.evidence,
            recorded_at=event.at,
        ),
        forwarding_address=parts.address(forwarding) if forwarding is not None else None,
    )
