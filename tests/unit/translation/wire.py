"""The real wire between two forces: translate, sign, receive and translate back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from consumers.translation import incoming_command
from ownership.adapters.outbox import OutboxMessage
from ownership.domain.commands import IncomingMessage, PeerEnquiry
from ownership.domain.events import FederationEvent, OutgoingEvent
from ownership.domain.record import OffenderRecord
from producers.translation import outgoing_message
from schemas.directory import ForceDirectory, load_directory
from schemas.models import current_model
from schemas.outgoing import Addressing, prepare_message
from schemas.registry import ReceivedMessage, Registry
from schemas.schema_set import SchemaSet
from tests.keys import current_kid, load_test_key


@cache
def directory() -> ForceDirectory:
    """The packaged force directory."""
    return load_directory()


@cache
def schema_set() -> SchemaSet:
    """The released schemas."""
    return SchemaSet.load()


@cache
def registry(force: str) -> Registry:
    """The registry of one force's node."""
    return Registry(directory(), force=force, schemas=schema_set())


def sign(message: OutboxMessage, sender: str, at: datetime) -> bytes:
    """What the relay does with an outbox row: rebuild the body, address, sign and encode."""
    body = current_model(message.message_type).model_validate(message.body)
    addressing = Addressing(
        sender=sender,
        recipient=message.recipient,
        subject=message.offender_reference,
        transferid=message.transfer_id,
        epoch=message.epoch,
        causationid=message.causation_id,
    )
    return prepare_message(
        body,
        addressing,
        directory=directory(),
        key=load_test_key(current_kid(sender)),
        schemas=schema_set(),
        message_id=message.message_id,
        time=at,
    )


@dataclass(frozen=True)
class Carried:
    """One event's journey: the outbox row, the bytes, what arrived, and the command."""

    outbox: OutboxMessage
    raw: bytes
    received: ReceivedMessage
    command: IncomingMessage | PeerEnquiry


def carry(record: OffenderRecord | None, event: OutgoingEvent | FederationEvent) -> Carried:
    """Send ``event`` from its force to its recipient through the real wire."""
    outbox = outgoing_message(record, event)
    assert outbox is not None
    raw = sign(outbox, event.force, event.at)
    received = registry(event.recipient).receive(raw)
    return Carried(outbox, raw, received, incoming_command(received))
