"""Offender records and outbox rows for the unit-of-work tests, with no wire format behind them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ownership.adapters.outbox import OutboxMessage
from ownership.domain import commands as c
from ownership.domain.events import Event, FederationEvent
from ownership.domain.record import OffenderRecord
from ownership.domain.values import OffenderCategory, OffenderProfile

FORCE = "WMP"
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def registered(reference: str) -> OffenderRecord:
    """A record just registered by `FORCE`, with its registration events."""
    command = c.RegisterOffender(
        reference=reference,
        by="officer",
        at=T0,
        profile=OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER),
    )
    return OffenderRecord.register(command, FORCE)


def every_event(record: OffenderRecord | None, event: Event | FederationEvent) -> OutboxMessage:
    """A translator that sends every event, named, to WMY."""
    return OutboxMessage(
        message_id=str(uuid.uuid4()),
        offender_reference=record.reference if record else None,
        recipient="WMY",
        message_type="test.event",
        body={"event": type(event).__name__},
    )
