"""The relay's publisher: sign each outbox row for its recipient and send the batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from interforce.topics import inbox_topic
from producers.outbox_rows import OutboxRow
from producers.relay import Unsendable
from schemas.directory import ForceDirectory
from schemas.errors import OutgoingMessageError
from schemas.models import current_model
from schemas.outgoing import Addressing, prepare_message
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey


class UnknownRecipientError(RuntimeError):
    """An outbox row names a force that is not in the directory."""


class SignedPublisher:
    """Signs rows with this force's key, at each recipient's version, and publishes them."""

    def __init__(
        self,
        broker: KafkaBroker,
        *,
        force: str,
        key: SigningKey,
        directory: ForceDirectory,
        schemas: SchemaSet,
        namespace: str = "interforce",
    ) -> None:
        self._broker = broker
        self._force = force
        self._key = key
        self._directory = directory
        self._schemas = schemas
        self._namespace = namespace

    def encode(self, row: OutboxRow) -> tuple[str, bytes]:
        """The recipient's inbox topic and the signed message bytes for one row."""
        recipient = self._directory.force(row.recipient)
        if recipient is None:
            raise UnknownRecipientError(f"{row.recipient} is not in the force directory")
        body = current_model(row.message_type).model_validate(row.body)
        addressing = Addressing(
            sender=self._force,
            recipient=row.recipient,
            subject=row.offender_reference,
            transferid=row.transfer_id,
            epoch=row.epoch,
            causationid=row.causation_id,
        )
        raw = prepare_message(
            body,
            addressing,
            directory=self._directory,
            key=self._key,
            schemas=self._schemas,
            message_id=row.message_id,
            time=row.created_at,
        )
        return inbox_topic(recipient.code, self._namespace), raw

    def _kafka_key(self, row: OutboxRow) -> bytes:
        """The offender's reference; a reconciliation message is keyed by its sender."""
        return (row.offender_reference or self._force).encode()

    async def __call__(self, rows: Sequence[OutboxRow]) -> list[Unsendable]:
        pending, unsendable = [], []
        for row in rows:
            try:
                topic, raw = self.encode(row)
            except (UnknownRecipientError, OutgoingMessageError, ValidationError) as error:
                unsendable.append(Unsendable(row, f"{type(error).__name__}: {error}"))
                continue
            pending.append(
                await self._broker.publish(raw, topic, key=self._kafka_key(row), no_confirm=True)
            )
        await asyncio.gather(*pending)
        return unsendable
