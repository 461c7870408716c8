"""An in-memory federation for property tests: force nodes and an unreliable network.

Each ``Node`` is what a force runs, minus Kafka and PostgreSQL: a message bus over a
``FakeUnitOfWork``, an inbox that drops exact duplicates by message id (as the consumer
does), and a dead-letter list. Each ``Network`` message is an outgoing event from a node's
outbox under a fresh message id; the test decides which to deliver, drop, duplicate, replay
under a new id, or leave waiting (delay and reorder).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.errors import DomainError
from ownership.domain.record import OffenderRecord
from ownership.service_layer.handlers import COMMAND_HANDLERS, EVENT_HANDLERS
from ownership.service_layer.memory import FakeUnitOfWork
from ownership.service_layer.messagebus import MessageBus

_message_ids = itertools.count(1)


@dataclass(frozen=True)
class Envelope:
    """One message in flight: an outgoing event under a message id."""

    message_id: str
    event: e.OutgoingEvent


def _base(env: Envelope, at: datetime) -> dict[str, Any]:
    event = env.event
    return {
        "reference": event.reference,
        "at": at,
        "sender": event.sender,
        "recipient": event.recipient,
        "epoch": event.epoch,
        "message_id": env.message_id,
        "causation_id": event.causation_id,
    }


def to_command(env: Envelope, at: datetime) -> c.IncomingMessage:
    """What the consumer makes of a message: the recipient's incoming command."""
    base, event = _base(env, at), env.event
    if isinstance(event, e.OffenderAbsent):
        return c.ReceiveOffenderAbsent(
            **base,
            profile=event.profile,
            date_left=event.date_left,
            forwarding_address=event.forwarding_address,
            evidence=event.evidence,
        )
    assert event.transfer_id is not None
    base["transfer_id"] = event.transfer_id
    return _transfer_command(event, base)


def _transfer_command(event: e.OutgoingEvent, base: dict[str, Any]) -> c.TransferMessage:
    match event:
        case e.TransferNotified():
            return c.ReceiveTransferNotified(
                **base,
                profile=event.profile,
                details=event.details,
                review=event.review,
                review_outcome=event.review_outcome,
            )
        case e.TransferAmended():
            return c.ReceiveTransferAmended(
                **base,
                changes=DetailsAmendment.whole(event.details),
                revision=event.revision,
                reason=event.reason,
            )
        case e.TransferAcknowledged():
            return c.ReceiveTransferAcknowledged(**base, revision=event.revision)
        case e.TransferDeclined():
            return c.ReceiveTransferDeclined(**base, reason=event.reason, text=event.text)
        case e.TransferCancelled():
            return c.ReceiveTransferCancelled(**base, reason=event.reason, expired=event.expired)
        case e.OwnershipAccepted():
            return c.ReceiveOwnershipAccepted(**base)
        case e.OwnershipTransferred():
            return c.ReceiveOwnershipTransferred(**base)
        case e.OwnershipRefused():
            return c.ReceiveOwnershipRefused(**base, reason=event.reason)
        case e.ReminderSent():
            return c.ReceiveTransferReminder(**base, waiting_for=event.waiting_for)
    raise AssertionError(f"no message for {event!r}")


@dataclass
class Network:
    """Messages in flight, in the order sent; any may be taken, dropped or copied."""

    in_flight: list[Envelope] = field(default_factory=list)
    sent: int = 0
    dropped: int = 0

    def post(self, event: e.OutgoingEvent) -> None:
        """Send ``event`` under a fresh message id."""
        self.in_flight.append(Envelope(f"msg-{next(_message_ids)}", event))
        self.sent += 1

    def take(self, index: int) -> Envelope:
        """Remove and return one message (any one: the network reorders)."""
        return self.in_flight.pop(index % len(self.in_flight))

    def drop(self, index: int) -> None:
        """Lose one message."""
        self.take(index)
        self.dropped += 1

    def duplicate(self, index: int) -> None:
        """Deliver one message twice under the same id."""
        self.in_flight.append(self.in_flight[index % len(self.in_flight)])

    def replay(self, index: int) -> None:
        """Send one message again under a new id (a sender's resend)."""
        self.post(self.in_flight[index % len(self.in_flight)].event)


@dataclass
class Node:
    """One force's node: bus, unit of work, inbox and dead letters."""

    force: str
    loop: asyncio.AbstractEventLoop
    uow: FakeUnitOfWork = field(init=False)
    bus: MessageBus = field(init=False)
    inbox: set[str] = field(default_factory=set)
    dead_letters: list[tuple[str, str]] = field(default_factory=list)
    _relayed: int = 0

    def __post_init__(self) -> None:
        self.uow = FakeUnitOfWork(self.force)
        self.bus = MessageBus(self.uow, COMMAND_HANDLERS, EVENT_HANDLERS)

    def record(self, reference: str) -> OffenderRecord | None:
        """This force's committed view of ``reference``."""
        return self.uow.store.get(reference)

    def act(self, command: c.Command) -> DomainError | None:
        """Run a local command; a refused one returns its error and changes nothing."""
        try:
            self.loop.run_until_complete(self.bus.handle(command))
        except DomainError as error:
            return error
        return None

    def receive(self, env: Envelope, at: datetime) -> None:
        """Consume a message: drop exact duplicates, dead-letter what the record refuses."""
        if env.message_id in self.inbox:
            return
        self.inbox.add(env.message_id)
        error = self.act(to_command(env, at))
        if error is not None:
            self.dead_letters.append((env.message_id, error.code))

    def relay(self, network: Network) -> list[e.Event]:
        """Send new outbox events bound for other forces; return every new event."""
        fresh = self.uow.outbox[self._relayed :]
        self._relayed = len(self.uow.outbox)
        for event in fresh:
            if isinstance(event, e.OutgoingEvent):
                network.post(event)
        return fresh
