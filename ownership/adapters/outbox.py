"""What the unit of work writes to the outbox for each event that another force must hear of.

The adapter does not know the wire format: the composition root hands it an
`EventTranslator` (built in `producers/`) that turns a domain event into an `OutboxMessage`
whose `body` is the wire body at the current version, ready for the relay to sign and send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ownership.adapters.db import Connection
from ownership.domain.events import Event, FederationEvent
from ownership.domain.record import OffenderRecord


@dataclass(frozen=True)
class OutboxMessage:
    """One message to another force, written in the same transaction as its cause.

    ``offender_reference`` is None for a reconciliation message, which names many.
    """

    message_id: str
    offender_reference: str | None
    recipient: str
    message_type: str
    body: dict[str, Any]
    transfer_id: str | None = None
    epoch: int | None = None
    causation_id: str | None = None


EventTranslator = Callable[[OffenderRecord | None, Event | FederationEvent], OutboxMessage | None]
"""The outgoing message for an event (of this record, or of none), or None if it stays home."""


async def write_outbox(connection: Connection, messages: Sequence[OutboxMessage]) -> None:
    """Insert the messages; the outbox trigger wakes the relay when the transaction commits."""
    if not messages:
        return
    await connection.executemany(
        "insert into outbox (message_id, offender_reference, recipient, message_type,"
        " transfer_id, epoch, causation_id, body)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        [
            (
                m.message_id,
                m.offender_reference,
                m.recipient,
                m.message_type,
                m.transfer_id,
                m.epoch,
                m.causation_id,
                orjson.dumps(m.body).decode(),
            )
            for m in messages
        ],
    )
