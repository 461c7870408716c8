"""An outbox row as the relay reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import orjson


@dataclass(frozen=True)
class OutboxRow:
    """One message waiting to be signed and sent."""

    id: int
    message_id: str
    offender_reference: str | None
    recipient: str
    message_type: str
    transfer_id: str | None
    epoch: int | None
    causation_id: str | None
    body: dict[str, Any]
    created_at: datetime

    @classmethod
    def from_record(cls, row: asyncpg.Record) -> OutboxRow:
        body = row["body"]
        return cls(
            id=row["id"],
            message_id=str(row["message_id"]),
            offender_reference=row["offender_reference"],
            recipient=row["recipient"],
            message_type=row["message_type"],
            transfer_id=row["transfer_id"],
            epoch=row["epoch"],
            causation_id=row["causation_id"],
            body=orjson.loads(body) if isinstance(body, str) else dict(body),
            created_at=row["created_at"],
        )
