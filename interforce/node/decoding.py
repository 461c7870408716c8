"""Inbox bytes to a command: the registry validates and authenticates, then we translate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from consumers.inbox_processor import Accepted
from consumers.records import InboxRecord
from consumers.refusal import Refused
from consumers.translation import UnhandledMessageType, incoming_command
from schemas.directory import ForceDirectory
from schemas.errors import MessageRejected
from schemas.registry import Registry


class InboxDecoder:
    """Turns an inbox record into an accepted command, or refuses it with the reason.

    It builds a new registry whenever the directory changes, so a rotated key is accepted
    and a revoked one refused without a restart.
    """

    def __init__(
        self,
        registry_for: Callable[[ForceDirectory], Registry],
        directory_now: Callable[[], ForceDirectory],
    ) -> None:
        self._registry_for = registry_for
        self._directory_now = directory_now
        self._registry: Registry | None = None
        self._directory: ForceDirectory | None = None

    def registry(self) -> Registry:
        """The registry for the directory as it now stands."""
        directory = self._directory_now()
        if self._registry is None or directory is not self._directory:
            self._registry, self._directory = self._registry_for(directory), directory
        return self._registry

    def __call__(self, record: InboxRecord) -> Accepted[Any]:
        try:
            received = self.registry().receive(record.value)
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
