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
from producers.translation.arrival_bodies import failed_to_arrive_body
from producers.translation.errors import UntranslatableEventError
from producers.translation.ownership_bodies import (
    absent_body,
    refused_body,
    reminder_body,
    transferred_body,
    withdrawn_body,
)
from producers.translation.reconciliation_bodies import query_body, status_body
from producers.translation.reply_bodies import accepted_body, acknowledged_body, declined_body
from producers.translation.request_bodies import request_declined_body, requested_body
from producers.translation.resolution_bodies import (
    confirmed_body,
    proposed_body,
    rejected_body,
)
from producers.translation.transfer_bodies import amended_body, cancelled_body, notified_body
from schemas.kinds import KINDS_BY_NAME
from schemas.models.common import WireModel

BodyBuilder = Callable[[Any], WireModel]

MESSAGES: Final[Mapping[type[e.OutgoingEvent], tuple[str, BodyBuilder]]] = MappingProxyType(
    {
        e.TransferNotified: ("transfer.notified", notified_body),
        e.TransferAmended: ("transfer.amended", amended_body),
        e.TransferAcknowledged: ("transfer.acknowledged", acknowledged_body),
        e.TransferDeclined: ("transfer.declined", declined_body),
        e.TransferFailedToArrive: ("transfer.failedtoarrive", failed_to_arrive_body),
        e.TransferCancelled: ("transfer.cancelled", cancelled_body),
        e.OwnershipAccepted: ("ownership.accepted", accepted_body),
        e.OwnershipTransferred: ("ownership.transferred", transferred_body),
        e.OwnershipRefused: ("ownership.refused", refused_body),
        e.AcceptanceWithdrawn: ("ownership.withdrawn", withdrawn_body),
        e.ReminderSent: ("transfer.reminder", reminder_body),
        e.OffenderAbsent: ("offender.absent", absent_body),
        e.ResolutionProposed: ("resolution.proposed", proposed_body),
        e.ResolutionConfirmed: ("resolution.confirmed", confirmed_body),
        e.ResolutionRejected: ("resolution.rejected", rejected_body),
        e.TransferRequested: ("transfer.requested", requested_body),
        e.TransferRequestDeclined: ("request.declined", request_declined_body),
    }
)
"""Each outgoing event type → its message type and the builder of its current body."""

FEDERATION_MESSAGES: Final[Mapping[type[e.FederationEvent], tuple[str, BodyBuilder]]] = (
    MappingProxyType(
        {
            e.OwnershipQueried: ("ownership.query", query_body),
            e.OwnershipStatusReported: ("ownership.status", status_body),
        }
    )
)
"""Each reconciliation event type → its message type and body builder (no subject, no epoch)."""


def outgoing_message(
    record: OffenderRecord | None, event: e.Event | e.FederationEvent
) -> OutboxMessage | None:
    """The message `event` sends, or None for an event that stays at this force.

    The body is the current version of the message type, validated by its model; the
    epoch and causation are the event's (the owner's epoch n, or n+1 for `ownership.accepted`
    and `ownership.transferred`); the message id is the event's if it names one, else new.
    A reconciliation event (``record`` None) names no offender, transfer or epoch.
    Raises `UntranslatableEventError` if the event lacks something the wire requires.
    ``record`` is the record the event belongs to, after the change.
    """
    if isinstance(event, e.FederationEvent):
        return _federation_message(event)
    if not isinstance(event, e.OutgoingEvent):
        return None
    message_type, build = _message_for(event)
    body = _build(message_type, build, event, event.reference)
    return OutboxMessage(
        message_id=event.message_id or str(uuid.uuid4()),
        offender_reference=event.reference,
        recipient=event.recipient,
        message_type=message_type,
        body=body,
        transfer_id=event.transfer_id,
        epoch=None if KINDS_BY_NAME[message_type].epoch == "absent" else event.epoch,
        causation_id=event.causation_id,
    )


def _federation_message(event: e.FederationEvent) -> OutboxMessage:
    found = FEDERATION_MESSAGES.get(type(event))
    if found is None:
        msg = f"no wire message is defined for {type(event).__name__}"
        raise UntranslatableEventError(msg)
    message_type, build = found
    return OutboxMessage(
        message_id=event.message_id,
        offender_reference=None,
        recipient=event.recipient,
        message_type=message_type,
        body=_build(message_type, build, event, f"{event.recipient}'s offenders"),
        causation_id=event.causation_id,
    )


def _build(message_type: str, build: BodyBuilder, event: object, about: str) -> dict[str, Any]:
    try:
        body = build(event)
    except ValidationError as error:
        msg = f"{message_type} for {about} cannot be written: {error}"
        raise UntranslatableEventError(msg) from error
    written: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    return written


def _message_for(event: e.OutgoingEvent) -> tuple[str, BodyBuilder]:
    found = MESSAGES.get(type(event))
    if found is None:
        msg = f"no wire message is defined for {type(event).__name__}"
        raise UntranslatableEventError(msg)
    return found
