"""Realistic signed messages for the bench: transfer notifications for distinct offenders.

A few templates are made as the sending force's node makes them: the coordinators' commands
run on the real handlers (in memory), the outbox translator writes the body, and
`prepare_message` writes the recipient's version, wraps and signs it. Each message is then
one template stamped with its own offender reference, transfer id and message id, and signed
afresh with the sender's key: thousands in seconds, every one of them valid and distinct.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ownership.adapters.outbox import OutboxMessage
from ownership.domain.events import TransferNotified
from ownership.service_layer.messagebus import message_bus
from producers.translation import outgoing_message
from schemas.directory import ForceDirectory
from schemas.jsonio import parse_message_bytes
from schemas.models import current_model
from schemas.outgoing import Addressing, encode_message, prepare_message
from schemas.schema_set import SchemaSet
from schemas.signing import SigningKey, sign_envelope
from tooling import playbook
from tooling.memory import FakeUnitOfWork

TEMPLATES = 12
"""Offender profiles vary with n modulo 12 (category, MAPPA, risk, safety flags)."""


@dataclass(frozen=True)
class WireMessage:
    """One signed message ready to publish: its id, Kafka key and bytes."""

    message_id: str
    key: bytes
    raw: bytes


class NotificationFactory:
    """Makes `transfer.notified` messages from `sender` to `receiver`, one per offender."""

    def __init__(
        self,
        sender: str,
        receiver: str,
        key: SigningKey,
        directory: ForceDirectory,
        schemas: SchemaSet,
        run: str,
    ) -> None:
        self._sender, self._receiver, self._key = sender, receiver, key
        self._directory, self._schemas, self._run = directory, schemas, run.upper()
        self._templates: list[dict[str, Any]] = []
        self._outbox: list[OutboxMessage] = []

    def reference(self, n: int) -> str:
        """Offender number n's reference in this run."""
        return f"{self._sender}-{self._run}-{n:07d}"

    def make(self, count: int, first: int = 0) -> list[WireMessage]:
        """`count` notifications for offenders `first` .. `first + count - 1` of this run."""
        self._ensure_templates()
        return [self._stamp(n) for n in range(first, first + count)]

    def outbox(self, count: int, recipients: Sequence[str]) -> list[OutboxMessage]:
        """`count` outbox rows of notifications from the sender, to the recipients in turn."""
        self._ensure_templates()
        rows = []
        for n in range(count):
            template, reference = self._outbox[n % TEMPLATES], self.reference(n)
            rows.append(
                dataclasses.replace(
                    template,
                    message_id=str(uuid.uuid4()),
                    offender_reference=reference,
                    recipient=recipients[n % len(recipients)],
                    transfer_id=str(uuid.uuid5(uuid.NAMESPACE_URL, reference)),
                )
            )
        return rows

    async def prepare(self) -> NotificationFactory:
        """Make the templates (once); `make` and `outbox` need them."""
        if not self._templates:
            self._templates = await self._make_templates()
        return self

    def _ensure_templates(self) -> None:
        if not self._templates:
            raise RuntimeError("call `await factory.prepare()` first")

    def _stamp(self, n: int) -> WireMessage:
        envelope = dict(self._templates[n % TEMPLATES])
        reference = self.reference(n)
        envelope["id"] = str(uuid.uuid4())
        envelope["subject"] = reference
        envelope["transferid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, reference))
        return WireMessage(
            envelope["id"], reference.encode(), encode_message(sign_envelope(envelope, self._key))
        )

    async def _make_templates(self) -> list[dict[str, Any]]:
        at = datetime.now(UTC)
        templates = []
        for n in range(TEMPLATES):
            uow = FakeUnitOfWork(self._sender)
            bus = message_bus(uow)
            reference = f"{self._sender}-TEMPLATE-{n:02d}"
            for command in playbook.register(reference, at - timedelta(days=1), n):
                await bus.handle(command)
            steps = playbook.review_and_notify(
                reference,
                str(uuid.uuid4()),
                self._receiver,
                playbook.move(self._sender, at.date(), n=n),
                playbook.profile(n),
                at,
            )
            for command in steps:
                await bus.handle(command)
            event = next(e for e in uow.outbox if isinstance(e, TransferNotified))
            outbox = outgoing_message(uow.store[reference], event)
            if outbox is None:
                raise RuntimeError("a notification must leave the force")
            self._outbox.append(outbox)
            templates.append(parse_message_bytes(self._sign(outbox, at)))
        return templates

    def _sign(self, outbox: OutboxMessage, at: datetime) -> bytes:
        body = current_model(outbox.message_type).model_validate(outbox.body)
        addressing = Addressing(
            sender=self._sender,
            recipient=outbox.recipient,
            subject=outbox.offender_reference,
            transferid=outbox.transfer_id,
            epoch=outbox.epoch,
            causationid=outbox.causation_id,
        )
        return prepare_message(
            body,
            addressing,
            directory=self._directory,
            key=self._key,
            schemas=self._schemas,
            message_id=outbox.message_id,
            time=at,
        )
