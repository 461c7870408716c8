"""Inbox bytes to a command: the registry validates and authenticates, then we translate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from consumers.inbox_processor import Accepted
from consumers.records import InboxRecord
from consumers.refusal import Refused
from consumers.translation import incoming_command
from schemas.directory import ForceDirectory
from schemas.errors import CheckFailed, MessageRejected
from schemas.registry import Registry, utc_now


class InboxDecoder:
    """Turns an inbox record into an accepted command, or refuses it with the reason.

    Each command carries `clock()` as the time it arrived. It builds a new registry whenever
    the directory changes, so a rotated key is accepted and a revoked one refused without a
    restart.
    """

    def __init__(
        self,
        registry_for: Callable[[ForceDirectory], Registry],
        directory_now: Callable[[], ForceDirectory],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._registry_for = registry_for
        self._directory_now = directory_now
        self._clock = clock
        self._registry: Registry | None = None
        self._directory: ForceDirectory | None = None

    def registry(self) -> Registry:
        """The registry for the directory as it now stands."""
        directory = self._directory_now()
        if self._registry is None or directory is not self._directory:
            self._registry, self._directory = self._registry_for(directory), directory
        return self._registry

    def __call__(self, record: InboxRecord) -> Accepted[Any]:
        """The record's command, or `Refused`; anything else raised is a fault of ours."""
        try:
            received = self.registry().receive(record.value)
        except MessageRejected as rejection:
            raise _refused(rejection) from rejection
        envelope = received.envelope
        try:
            command = incoming_command(received, received_at=self._clock())
        except MessageRejected as rejection:  # unhandled-type, mostly
            raise _refused(rejection, envelope.source, envelope.id) from rejection
        return Accepted(
            record=record,
            sender=envelope.source,
            message_id=envelope.id,
            message_type=received.message_type,
            subject=envelope.subject,
            message=command,
        )


def _refused(
    rejection: MessageRejected, sender: str | None = None, message_id: str | None = None
) -> Refused:
    where = f" at {rejection.pointer}" if rejection.pointer else ""
    fault = rejection.__cause__ if isinstance(rejection, CheckFailed) else None
    return Refused(
        rejection.reason,
        rejection.detail + where,
        sender=sender,
        message_id=message_id,
        fault=fault,
    )
