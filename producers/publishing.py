"""The relay's publisher: sign each outbox row for its recipient and send the batch.

Before a row is signed its body is cut to the recipient's disclosure profile; the publisher
answers each row with what was disclosed, to whom and on what lawful basis (`Sent`), which
the relay writes into its `message.sent` audit entry in the same transaction as marking the
row sent. Rows go out through aiokafka's idempotent producer directly (`acks=all`): each send
is queued, then the batch is awaited once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer

from producers.disclosure import Disclosure, DisclosurePolicy
from producers.keyring import KeyRing, NoSigningKeyError
from producers.outbox_rows import OutboxRow
from producers.relay import Published, Sent, Unsendable
from schemas.directory import ForceDirectory
from schemas.errors import OutgoingMessageError
from schemas.files import load_schema_documents
from schemas.outgoing import Addressing, prepare_written
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey
from schemas.topics import inbox_topic
from schemas.version import Version


class UnknownRecipientError(RuntimeError):
    """An outbox row names a force that is not in the directory."""


@dataclass(frozen=True)
class Encoded:
    """One row as it goes out: the recipient's inbox topic, the signed bytes, what they disclose."""

    topic: str
    raw: bytes
    disclosure: Disclosure | None


class SignedPublisher:
    """Signs rows with this force's key, at each recipient's version, and publishes them.

    With a key ring and a source of the current directory, each row is signed with the newest
    key valid at its time, as the directory now lists it (so a rotation needs no restart).
    """

    def __init__(
        self,
        producer: AIOKafkaProducer,
        *,
        force: str,
        key: SigningKey,
        directory: ForceDirectory,
        schemas: SchemaSet,
        namespace: str = "interforce",
        keys: KeyRing | None = None,
        directory_now: Callable[[], ForceDirectory] | None = None,
        disclosure: DisclosurePolicy | None = None,
    ) -> None:
        self._producer = producer
        self._force = force
        self._key = key
        self._directory = directory
        self._schemas = schemas
        self._namespace = namespace
        self._keys = keys
        self._directory_now = directory_now or (lambda: directory)
        self._policy = disclosure or DisclosurePolicy()
        self._documents = load_schema_documents()

    def encode(self, row: OutboxRow) -> Encoded:
        """The recipient's inbox topic, the signed message bytes and what they disclose."""
        directory = self._directory_now()
        recipient = directory.force(row.recipient)
        if recipient is None:
            raise UnknownRecipientError(f"{row.recipient} is not in the force directory")
        addressing = Addressing(
            sender=self._force,
            recipient=row.recipient,
            subject=row.offender_reference,
            transferid=row.transfer_id,
            epoch=row.epoch,
            causationid=row.causation_id,
        )
        key = self._key if self._keys is None else self._keys.for_message(directory, row.created_at)
        disclosed: list[Disclosure] = []

        def disclose(name: str, version: Version, data: dict[str, Any]) -> dict[str, Any]:
            schema = self._documents[(name, version)]
            kept, disclosure = self._policy.disclose(row.recipient, name, data, schema)
            disclosed.append(disclosure)
            return kept

        raw = prepare_written(
            row.message_type,
            row.body,
            addressing,
            directory=directory,
            key=key,
            schemas=self._schemas,
            message_id=row.message_id,
            time=row.created_at,
            disclose=disclose,
        )
        topic = inbox_topic(recipient.code, self._namespace)
        return Encoded(topic, raw, disclosed[-1] if disclosed else None)

    def _kafka_key(self, row: OutboxRow) -> bytes:
        """The offender's reference; a reconciliation message is keyed by its sender."""
        return (row.offender_reference or self._force).encode()

    async def __call__(self, rows: Sequence[OutboxRow]) -> list[Published]:
        """Each row `Sent` with what it disclosed, or `Unsendable` and why, in the rows' order.

        Returns once the broker has acknowledged every row sent.
        """
        if self._keys is not None:
            self._keys.refresh()
        outcomes: list[Published] = []
        pending = []
        for row in rows:
            try:
                encoded = self.encode(row)
            except (UnknownRecipientError, OutgoingMessageError, NoSigningKeyError) as error:
                outcomes.append(Unsendable(row, f"{type(error).__name__}: {error}"))
                continue
            key = self._kafka_key(row)
            pending.append(await self._producer.send(encoded.topic, encoded.raw, key=key))
            outcomes.append(Sent(row, encoded.disclosure))
        await asyncio.gather(*pending)
        return outcomes
