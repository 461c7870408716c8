"""Delivering an outgoing event straight to its recipient, without the wire (handler tests).

The federation property test carries messages over the real wire instead
(``tests/unit/ownership/federation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.amendment import DetailsAmendment


@dataclass(frozen=True)
class Envelope:
    """One message in flight: an outgoing event under a message id."""

    message_id: str
    event: e.OutgoingEvent


def _base(env: Envelope, at: datetime) -> dict[str, Any]:
    event = env.event
    return {
        "reference": event.reference,
        "at": at,
        "sender": event.sender,
        "recipient": event.recipient,
        "epoch": event.epoch,
        "message_id": env.message_id,
        "causation_id": event.causation_id,
    }


def to_command(env: Envelope, at: datetime) -> c.IncomingMessage:
    """What the consumer makes of a message: the recipient's incoming command."""
    base, event = _base(env, at), env.event
    if isinstance(event, e.OffenderAbsent):
        return c.ReceiveOffenderAbsent(
            **base,
            profile=event.profile,
            date_left=event.date_left,
            forwarding_address=event.forwarding_address,
            evidence=event.evidence,
        )
    assert event.transfer_id is not None
    base["transfer_id"] = event.transfer_id
    return _transfer_command(event, base)


def _transfer_command(event: e.OutgoingEvent, base: dict[str, Any]) -> c.TransferMessage:
    match event:
        case e.TransferNotified():
            return c.ReceiveTransferNotified(
                **base,
                profile=event.profile,
                details=event.details,
                review=event.review,
                review_outcome=event.review_outcome,
            )
        case e.TransferAmended():
            return c.ReceiveTransferAmended(
                **base,
                changes=DetailsAmendment.whole(event.details),
                revision=event.revision,
                reason=event.reason,
            )
        case e.TransferAcknowledged():
            return c.ReceiveTransferAcknowledged(**base, revision=event.revision)
        case e.TransferDeclined():
            return c.ReceiveTransferDeclined(**base, reason=event.reason, text=event.text)
        case e.TransferCancelled():
            return c.ReceiveTransferCancelled(**base, reason=event.reason)
        case e.OwnershipAccepted():
            return c.ReceiveOwnershipAccepted(**base)
        case e.OwnershipTransferred():
            return c.ReceiveOwnershipTransferred(**base)
        case e.OwnershipRefused():
            return c.ReceiveOwnershipRefused(**base, reason=event.reason)
        case e.ReminderSent():
            return c.ReceiveTransferReminder(**base, waiting_for=event.waiting_for)
    raise AssertionError(f"no message for {event!r}")
