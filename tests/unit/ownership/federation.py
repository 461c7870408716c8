"""An in-memory federation for property tests: force nodes, the real wire and a network.

Each ``Node`` is what a force runs, minus Kafka and PostgreSQL: a message bus over a unit of
work whose committed state (records, outbox, inbox ids, what the relay has sent) lives on a
``Disk`` that survives a crash, while everything else is rebuilt on restart. Messages travel
as the node sends them: each outgoing event becomes an outbox row through the producers'
translation, is signed with the sender's test key at the time it was sent, and is checked by
the recipient's registry and translated back into a command by the consumers' translation.
The test decides which message to deliver, drop, duplicate, replay under a new id, or leave
waiting (delay and reorder).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from consumers.translation import incoming_command
from ownership.adapters.outbox import OutboxMessage
from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.errors import DomainError
from ownership.domain.events import FederationEvent
from ownership.domain.record import OffenderRecord
from ownership.service_layer.messagebus import MessageBus, message_bus
from ownership.service_layer.unit_of_work import Sendable
from producers.translation import outgoing_message
from schemas.errors import MessageRejected
from tooling.memory import FakeUnitOfWork

from ..translation.wire import registry, sign


class Crash(Exception):  # noqa: N818 - the process dies; it is not an error of the code
    """The node's process died here: nothing it had not committed survives."""


@dataclass(frozen=True)
class Wire:
    """One message in flight: an outbox row as its sender signed it, and its bytes."""

    row: OutboxMessage
    sender: str
    at: datetime
    raw: bytes

    @property
    def recipient(self) -> str:
        return self.row.recipient

    @property
    def message_id(self) -> str:
        return self.row.message_id


def signed(row: OutboxMessage, sender: str, at: datetime) -> Wire:
    """What the relay puts on the wire for ``row``: signed by ``sender``, dated ``at``."""
    return Wire(row, sender, at, sign(row, sender, at))


def outbox_row(event: e.OutgoingEvent | FederationEvent) -> OutboxMessage:
    """The outbox row the producers' translation makes of ``event``."""
    row = outgoing_message(None, event)
    assert row is not None, f"{type(event).__name__} sends nothing"
    return row


@dataclass
class Network:
    """Messages in flight, in the order sent; any may be taken, dropped or copied."""

    in_flight: list[Wire] = field(default_factory=list)
    sent: int = 0
    dropped: set[tuple[str | None, str]] = field(default_factory=set)
    """(transfer id, recipient) of every message lost: that copy of the transfer may hang."""

    def post(self, wire: Wire) -> None:
        self.in_flight.append(wire)
        self.sent += 1

    def take(self, index: int) -> Wire:
        """Remove and return one message (any one: the network reorders)."""
        return self.in_flight.pop(index % len(self.in_flight))

    def put_back(self, wire: Wire) -> None:
        """A message read but not committed is read again first (its offset never moved)."""
        self.in_flight.insert(0, wire)

    def drop(self, index: int) -> None:
        """Lose one message."""
        wire = self.take(index)
        self.dropped.add((wire.row.transfer_id, wire.recipient))

    def duplicate(self, index: int) -> None:
        """Deliver one message twice under the same id."""
        self.in_flight.append(self.in_flight[index % len(self.in_flight)])

    def replay(self, index: int) -> None:
        """The sender sends one message again under a new id."""
        wire = self.in_flight[index % len(self.in_flight)]
        self.post(signed(replace(wire.row, message_id=str(uuid.uuid4())), wire.sender, wire.at))


@dataclass
class Disk:
    """What a node has committed: it survives a crash."""

    store: dict[str, OffenderRecord] = field(default_factory=dict)
    outbox: list[e.Event] = field(default_factory=list)
    messages: list[Sendable] = field(default_factory=list)
    inbox: set[str] = field(default_factory=set)
    rows: list[Wire] = field(default_factory=list)
    translated_events: int = 0
    translated_messages: int = 0
    relayed: int = 0


class CrashingUnitOfWork(FakeUnitOfWork):
    """The in-memory unit of work over a node's disk, which can die before a commit."""

    def __init__(self, force: str, disk: Disk) -> None:
        super().__init__(force)
        self.store, self.outbox, self.messages = disk.store, disk.outbox, disk.messages
        self.crash_before_commit = False

    async def _commit(
        self,
        changed: Sequence[OffenderRecord],
        events: Sequence[e.Event],
        sending: Sequence[Sendable] = (),
    ) -> None:
        if self.crash_before_commit:
            self.crash_before_commit = False
            raise Crash("died before the commit")
        await super()._commit(changed, events, sending)


@dataclass
class Node:
    """One force's node: bus and unit of work over its disk, and its dead letters."""

    force: str
    loop: asyncio.AbstractEventLoop
    disk: Disk = field(default_factory=Disk)
    dead_letters: list[tuple[str, str]] = field(default_factory=list)
    restarts: int = 0
    uow: CrashingUnitOfWork = field(init=False)
    bus: MessageBus = field(init=False)

    def __post_init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Start the node again from its disk alone."""
        self.uow = CrashingUnitOfWork(self.force, self.disk)
        self.bus = message_bus(self.uow)

    def crash(self) -> None:
        """The process dies: what was in memory is gone."""
        self.restarts += 1
        self.restart()

    def record(self, reference: str) -> OffenderRecord | None:
        """This force's committed view of ``reference``."""
        return self.disk.store.get(reference)

    def act(self, command: c.Command | c.FederationCommand) -> DomainError | None:
        """Run a command; a refused one returns its error. A ``Crash`` propagates."""
        try:
            self.loop.run_until_complete(self.bus.handle(command))
        except DomainError as error:
            return error
        return None

    def receive(self, wire: Wire) -> bool:
        """Consume one message as the inbox does; False if the node died before committing.

        Duplicates by id are dropped; what the registry or the record refuses is a dead letter.
        The message's id is committed with its effects, so a crash leaves it unread.
        """
        if wire.message_id in self.disk.inbox:
            return True
        try:
            command = incoming_command(registry(self.force).receive(wire.raw))
        except MessageRejected as rejected:
            self.disk.inbox.add(wire.message_id)
            self.dead_letters.append((wire.message_id, rejected.reason))
            return True
        try:
            error = self.act(command)
        except Crash:
            self.crash()
            return False
        self.disk.inbox.add(wire.message_id)
        if error is not None:
            self.dead_letters.append((wire.message_id, error.code))
        return True

    def relay(self, network: Network) -> list[e.Event | FederationEvent]:
        """Translate newly committed events to outbox rows and send the unsent rows.

        Returns every event committed since the last relay, local ones included.
        """
        disk = self.disk
        fresh: list[e.Event | FederationEvent] = list(disk.outbox[disk.translated_events :])
        fresh += disk.messages[disk.translated_messages :]
        disk.translated_events, disk.translated_messages = len(disk.outbox), len(disk.messages)
        for event in fresh:
            if isinstance(event, e.OutgoingEvent | FederationEvent):
                disk.rows.append(signed(outbox_row(event), event.force, event.at))
        for wire in disk.rows[disk.relayed :]:
            network.post(wire)
        disk.relayed = len(disk.rows)
        return fresh

    def forget_sending(self, count: int) -> None:
        """The relay died after sending its last ``count`` rows, before marking them sent."""
        self.disk.relayed = max(0, self.disk.relayed - count)
        self.crash()
