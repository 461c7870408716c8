"""Two forces in conflict over one offender, and a third, over the real wire (in memory).

GMP and WMP each hold that they own the record at epoch 1, and each has raised the
two-owner conflict; SWP holds a view owned by GMP. Every message between them is translated,
signed with its sender's test key and checked by the recipient's registry, as on Kafka.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from ownership.domain import commands as c
from ownership.domain import events as e
from ownership.domain.errors import DomainError
from ownership.domain.history import ChangeKind, Conflict, ConflictKind, OwnershipChange
from ownership.domain.record import OffenderRecord
from ownership.domain.record_core import RecordStatus
from ownership.domain.states import Side, TransferState
from ownership.domain.transfer import Transfer
from tooling import playbook

from .federation import Network, Node, Wire, outbox_row, signed

REFERENCE = "GMP-2024-000042"
PARTIES = ("GMP", "WMP")
THIRD = "SWP"
ROGUE = "MPS"
START = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@dataclass
class World:
    """The forces' nodes and the network between them."""

    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    nodes: dict[str, Node] = field(default_factory=dict)
    network: Network = field(default_factory=Network)
    clock: datetime = START

    def __post_init__(self) -> None:
        self.nodes = {force: Node(force, self.loop) for force in (*PARTIES, THIRD)}
        for force in PARTIES:
            assert self.act(force, *playbook.register(REFERENCE, START)) is None
            other = PARTIES[1 - PARTIES.index(force)]
            record = self.record(force)
            conflict = Conflict(
                1, force, other, other, str(uuid.uuid4()), START, ConflictKind.TWO_OWNERS
            )
            record.conflicts.append(conflict)
            record.status = RecordStatus.IN_CONFLICT
        assert self.act(THIRD, *playbook.register(REFERENCE, START)) is None
        third = self.record(THIRD)
        third.owner, third.status = "GMP", RecordStatus.OWNED_ELSEWHERE
        third.history[:] = [OwnershipChange(1, "GMP", None, START, ChangeKind.OBSERVED)]

    def open_transfer(self, force: str, state: TransferState) -> str:
        """Give ``force``'s record a transfer to the third force, live at its epoch 1 (as one
        started before the conflict was raised); its id."""
        transfer_id = str(uuid.uuid4())
        details = playbook.move(force, START.date(), n=1)
        self.record(force).transfers.append(
            Transfer(transfer_id, Side.OWNER, force, THIRD, 1, details, state, START)
        )
        return transfer_id

    def close(self) -> None:
        self.loop.close()

    def tick(self) -> datetime:
        self.clock += timedelta(minutes=5)
        return self.clock

    def record(self, force: str) -> OffenderRecord:
        record = self.nodes[force].record(REFERENCE)
        assert record is not None
        return record

    def act(self, force: str, *commands: c.Command | c.FederationCommand) -> DomainError | None:
        """Run commands at ``force`` until one is refused; relay what they send."""
        node = self.nodes[force]
        for command in commands:
            error = node.act(command)
            self.relay(force)
            if error is not None:
                return error
        return None

    def relay(self, force: str) -> list[e.Event | e.FederationEvent]:
        return self.nodes[force].relay(self.network)

    def deliver(self) -> None:
        """Deliver everything in flight, in order, and what it causes."""
        while self.network.in_flight:
            wire = self.network.take(0)
            if wire.recipient in self.nodes:
                assert self.nodes[wire.recipient].receive(wire)
                self.relay(wire.recipient)

    def propose(
        self, force: str, owner: str, epoch: int | None = None, proposal_id: str | None = None
    ) -> tuple[str, DomainError | None]:
        other = PARTIES[1 - PARTIES.index(force)] if force in PARTIES else "GMP"
        proposal = proposal_id or str(uuid.uuid4())
        cmd = c.ProposeResolution(
            reference=REFERENCE,
            at=self.tick(),
            by=f"{force} coordinator",
            proposal_id=proposal,
            counterpart=other,
            owner=owner,
            epoch=epoch,
            reason="the registration shows who manages the offender",
        )
        return proposal, self.act(force, cmd)

    def confirm(self, force: str, proposal_id: str) -> DomainError | None:
        return self.act(
            force,
            c.ConfirmResolution(
                reference=REFERENCE,
                at=self.tick(),
                by=f"{force} coordinator",
                proposal_id=proposal_id,
                reason="agreed",
            ),
        )

    def reject(self, force: str, proposal_id: str) -> DomainError | None:
        return self.act(
            force,
            c.RejectResolution(
                reference=REFERENCE,
                at=self.tick(),
                by=f"{force} coordinator",
                proposal_id=proposal_id,
                reason="not agreed",
            ),
        )

    def forged_confirmation(
        self, sender: str, recipient: str, proposal_id: str, owner: str, epoch: int
    ) -> Wire:
        """A confirmation as ``sender`` would sign it, naming ``proposal_id``."""
        event = e.ResolutionConfirmed(
            reference=REFERENCE,
            force=sender,
            at=self.tick(),
            recipient=recipient,
            transfer_id=None,
            epoch=epoch,
            causation_id=proposal_id,
            proposal_id=proposal_id,
            owner=owner,
            reason="confirmed",
            coordinator=f"{sender} coordinator",
        )
        return signed(replace(outbox_row(event)), sender, event.at)

    def receive(self, wire: Wire) -> str | None:
        """``wire`` delivered to its recipient: the dead letter's reason, if refused."""
        node = self.nodes[wire.recipient]
        before = len(node.dead_letters)
        assert node.receive(wire)
        self.relay(wire.recipient)
        return node.dead_letters[-1][1] if len(node.dead_letters) > before else None

    def view(self, force: str) -> tuple[str, int]:
        record = self.record(force)
        return record.owner, record.epoch
