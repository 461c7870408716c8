"""Force nodes in memory, joined by the real wire: translate, sign, validate, translate back.

Each node is a message bus over a ``FakeUnitOfWork``. ``deliver`` takes every outgoing event
each node has committed, in order, and hands it to its recipient exactly as the relay and the
consumer would; a refused message is kept as a dead letter with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ownership.domain.commands import Command
from ownership.domain.errors import DomainError
from ownership.domain.events import FederationEvent, OutgoingEvent
from ownership.domain.record import OffenderRecord
from ownership.service_layer.messagebus import MessageBus, message_bus
from tooling.memory import FakeUnitOfWork

from .samples import REF, T0
from .wire import Carried, carry


@dataclass
class Node:
    """One force's node."""

    force: str
    uow: FakeUnitOfWork = field(init=False)
    bus: MessageBus = field(init=False)
    relayed: int = 0
    relayed_messages: int = 0
    received: list[Carried] = field(default_factory=list)
    dead_letters: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.uow = FakeUnitOfWork(self.force)
        self.bus = message_bus(self.uow)

    @property
    def record(self) -> OffenderRecord:
        """This force's committed record of the offender."""
        return self.uow.store[REF]

    def unsent(self) -> list[OutgoingEvent | FederationEvent]:
        """Outgoing events and reconciliation messages committed since the last delivery."""
        fresh = self.uow.outbox[self.relayed :]
        self.relayed = len(self.uow.outbox)
        messages = self.uow.messages[self.relayed_messages :]
        self.relayed_messages = len(self.uow.messages)
        return [event for event in fresh if isinstance(event, OutgoingEvent)] + messages


class Federation:
    """Forces by code, a clock, and the wire between them."""

    def __init__(self, *forces: str) -> None:
        self.nodes = {force: Node(force) for force in forces}
        self.clock = T0

    def __getitem__(self, force: str) -> Node:
        return self.nodes[force]

    def tick(self) -> datetime:
        """A minute later."""
        self.clock += timedelta(minutes=1)
        return self.clock

    async def act(self, force: str, cls: type[Command], **fields: Any) -> None:
        """Run a coordinator's command at ``force``."""
        command = cls(**{"reference": REF, "by": "coordinator", "at": self.tick(), **fields})
        await self.nodes[force].bus.handle(command)

    async def deliver(self) -> list[Carried]:
        """Carry every committed outgoing event, and what it causes, until none is left."""
        carried: list[Carried] = []
        while batch := [(n, ev) for n in self.nodes.values() for ev in n.unsent()]:
            for node, event in batch:
                carried.append(await self._carry(node, event))
        return carried

    async def _carry(self, node: Node, event: OutgoingEvent | FederationEvent) -> Carried:
        record = node.uow.store.get(event.reference) if isinstance(event, OutgoingEvent) else None
        result = carry(record, event)
        recipient = self.nodes[event.recipient]
        recipient.received.append(result)
        try:
            await recipient.bus.handle(result.command)
        except DomainError as refusal:  # the node dead-letters every domain refusal
            recipient.dead_letters.append((result.received.message_type, refusal.code))
        return result
