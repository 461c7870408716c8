"""The outbox's `EventTranslator`: an outgoing domain event → one wire message to send."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from pydantic import ValidationError

from ownership.adapters.outbox import OutboxMessage
from ownership.domain import events as e
from ownership.domain.record import OffenderRecord
from producers.translation.errors import UntranslatableEventError
from producers.translation.ownership_bodies import (
    absent_body,
    refused_body,
    reminder_body,
    transferred_body,
)
from producers.translation.reply_bodies import accepted_body, acknowledged_body, declined_body
from producers.translation.transfer_bodies import amended_body, cancelled_body, notified_body
from schemas.models.common import WireModel

BodyBuilder = Callable[[Any], WireModel]

MESSAGES: Final[Mapping[type[e.OutgoingEvent], tuple[str, BodyBuilder]]] = MappingProxyType(
    {
        e.TransferNotified: ("transfer.notified", notified_body),
        e.TransferAmended: ("transfer.amended", amended_body),
        e.TransferAcknowledged: ("transfer.acknowledged", acknowledged_body),
        e.TransferDeclined: ("transfer.declined", declined_body),
        e.TransferCancelled: ("transfer.cancelled", cancelled_body),
        e.OwnershipAccepted: ("ownership.accepted", accepted_body),
        e.OwnershipTransferred: ("ownership.transferred", transferred_body),
        e.OwnershipRefused: ("ownership.refused", refused_body),
        e.ReminderSent: ("transfer.reminder", reminder_body),
        e.OffenderAbsent: ("offender.absent", absent_body),
    }
)
"""Each outgoing event type → its message type and the builder of its current body."""


def outgoing_message(record: OffenderRecord, event: e.Event) -> OutboxMessage | None:
    """The message `event` sends, or None for an event that stays at this force.

    The body is the current version of the message type, validated by its model; the
    epoch and causation are the event's (the owner's epoch n, or n+1 for `ownership.accepted`
    and `ownership.transferred`); the message id is the event's if it names one, else new.
    Raises `UntranslatableEventError` if the event lacks something the wire requires.
    ``record`` is the record the event belongs to, after the change.
    """
    if not isinstance(event, e.OutgoingEvent):
        return None
    message_type, build = _message_for(event)
    try:
        body = build(event)
    except ValidationError as error:
        msg = f"{message_type} for {record.reference} cannot be written: {error}"
        raise UntranslatableEventError(msg) from error
    return OutboxMessage(
        message_id=event.message_id or str(uuid.uuid4()),
        offender_reference=event.reference,
        recipient=event.recipient,
        message_type=message_type,
        body=body.model_dump(mode="json", exclude_none=True),
        transfer_id=event.transfer_id,
        epoch=event.epoch,
        causation_id=event.causation_id,
    )


def _message_for(event: e.OutgoingEvent) -> tuple[str, BodyBuilder]:
    found = MESSAGES.get(type(event))
    if found is None:
        msg = f"no wire message is defined for {type(event).__name__}"
        raise UntranslatableEventError(msg)
    return found
