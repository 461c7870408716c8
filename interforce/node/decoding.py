"""Inbox bytes to a command: the registry validates and authenticates, then we translate."""

from __future__ import annotations

from typing import Any

from consumers.inbox_processor import Accepted
from consumers.records import InboxRecord
from consumers.refusal import Refused
from consumers.translation import UnhandledMessageType, incoming_command
from schemas.errors import MessageRejected
from schemas.registry import Registry


class InboxDecoder:
    """Turns an inbox record into an accepted command, or refuses it with the reason."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def __call__(self, record: InboxRecord) -> Accepted[Any]:
        try:
            received = self._registry.receive(record.value)
        except MessageRejected as rejection:
            detail = rejection.detail + (f" at {rejection.pointer}" if rejection.pointer else "")
            raise Refused(rejection.reason, detail) from rejection
        envelope = received.envelope
        try:
            command = incoming_command(received)
        except UnhandledMessageType as unhandled:
            raise Refused(
                unhandled.reason, str(unhandled), sender=envelope.source, message_id=envelope.id
            ) from unhandled
        return Accepted(
            record=record,
            sender=envelope.source,
            message_id=envelope.id,
            message_type=received.message_type,
            subject=envelope.subject,
            message=command,
        )
