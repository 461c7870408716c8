"""Dead letters: the original bytes on the force's DLQ topic, and in a row with the reason.

The detail is bounded and escaped (`consumers.refusal`); the bytes are kept as they came, so
nothing the sender wrote is lost, however long or strange.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from consumers.records import InboxRecord
from consumers.refusal import Refused
from ownership.adapters.db import Connection
from schemas.safe_text import safe_text

TOPIC_VALUE_LIMIT = 256 * 1024
"""Bytes of a refused record put on the dead-letter topic. A longer record (refused unread as
oversize) is cut there, so the dead letter always fits in a Kafka message; its row keeps it
whole."""
TOPIC_KEY_LIMIT = 1024
"""Bytes of a refused record's key put on the dead-letter topic; its row keeps it whole."""


@dataclass(frozen=True)
class DeadLetter:
    """A refused record and why it was refused; `fault`: the exception behind an
    `internal-error`, for its traceback in the log."""

    record: InboxRecord
    reason: str
    detail: str
    sender: str | None = None
    message_id: str | None = None
    fault: BaseException | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # bounded here too, so no caller can put a sender's 60 KB into a row or a header
        object.__setattr__(self, "detail", safe_text(self.detail))

    @classmethod
    def of(cls, record: InboxRecord, refusal: Refused) -> DeadLetter:
        return cls(
            record,
            refusal.reason,
            refusal.detail,
            refusal.sender,
            refusal.message_id,
            refusal.fault,
        )

    def topic_value(self) -> bytes:
        """The record's bytes as the dead-letter topic carries them (cut if very long)."""
        return self.record.value[:TOPIC_VALUE_LIMIT]

    def topic_key(self) -> bytes | None:
        """The record's key as the dead-letter topic carries it (cut if very long)."""
        return None if self.record.key is None else self.record.key[:TOPIC_KEY_LIMIT]

    def headers(self) -> dict[str, str]:
        """Kafka headers of the dead-letter record: the reason and where the bytes came from,
        and their full length when the topic carries only the first of them."""
        headers = {
            "interforce-reason": self.reason,
            "interforce-detail": self.detail,
            "interforce-original-topic": self.record.topic,
            "interforce-original-partition": str(self.record.partition),
            "interforce-original-offset": str(self.record.offset),
        }
        if len(self.record.value) > TOPIC_VALUE_LIMIT:
            headers["interforce-original-bytes"] = str(len(self.record.value))
        if self.record.key is not None and len(self.record.key) > TOPIC_KEY_LIMIT:
            headers["interforce-original-key-bytes"] = str(len(self.record.key))
        if self.sender:
            headers["interforce-sender"] = self.sender
        if self.message_id:
            headers["interforce-message-id"] = self.message_id
        return headers


class DeadLetterSink(Protocol):
    """Puts dead letters on the DLQ topic and returns once the broker has them all."""

    async def send(self, letters: Sequence[DeadLetter]) -> None: ...


async def record_dead_letters(connection: Connection, letters: Sequence[DeadLetter]) -> None:
    """One row per dead letter, with the record's key and bytes; a redelivered record keeps
    its first row."""
    await connection.executemany(
        'insert into dead_letters (topic, partition, "offset", reason, detail, sender, message_id,'
        " key, value) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing",
        [
            (
                letter.record.topic,
                letter.record.partition,
                letter.record.offset,
                letter.reason,
                letter.detail,
                letter.sender,
                letter.message_id,
                letter.record.key,
                letter.record.value,
            )
            for letter in letters
        ],
    )
