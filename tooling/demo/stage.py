"""What the scenarios act on: each force's desk, a timeline, and waits on what arrives."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ownership.domain.commands import Command
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState
from ownership.domain.transfer import Transfer
from tooling.autopilot import Coordinators
from tooling.demo.processes import NodeProcess

ARRIVAL_TIMEOUT_SECONDS = 60.0


@dataclass
class Stage:
    """The running federation as the scenarios see it."""

    desks: dict[str, Coordinators]
    nodes: dict[str, NodeProcess]
    kafka_bootstrap: str
    namespace: str
    started: float = field(default_factory=time.monotonic)
    expected: dict[str, tuple[str, int]] = field(default_factory=dict)
    expected_dead_letters: list[tuple[str, str]] = field(default_factory=list)
    end_checks: list[Callable[[Stage], Awaitable[list[str]]]] = field(default_factory=list)
    """Where each path should end, checked after the table: failure lines, none if it did."""

    def say(self, line: str) -> None:
        """One line of the timeline."""
        print(f"[{time.monotonic() - self.started:6.1f}s] {line}", flush=True)

    def heading(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    async def act(self, force: str, commands: Sequence[Command], says: str) -> None:
        """A coordinator at `force` issues commands; the timeline says what they did."""
        await self.desks[force].run(commands)
        self.say(f"{force:<5} {says}")

    async def record(self, force: str, reference: str) -> OffenderRecord | None:
        return await self.desks[force].record(reference)

    async def until(
        self,
        force: str,
        reference: str,
        holds: Callable[[OffenderRecord], bool],
        says: str,
    ) -> OffenderRecord:
        """Wait until `force`'s record of `reference` satisfies `holds`, then say so."""
        deadline = time.monotonic() + ARRIVAL_TIMEOUT_SECONDS
        while True:
            record = await self.record(force, reference)
            if record is not None and holds(record):
                self.say(f"{force:<5} {says}")
                return record
            if time.monotonic() > deadline:
                raise TimeoutError(f"{force} never saw: {says}")
            await asyncio.sleep(0.1)

    async def until_state(
        self, force: str, reference: str, transfer_id: str, *states: TransferState, says: str
    ) -> Transfer:
        """Wait until `force`'s view of a transfer is in one of `states`."""
        record = await self.until(
            force,
            reference,
            lambda r: (t := r.find_transfer(transfer_id)) is not None and t.state in states,
            says,
        )
        return record.transfer(transfer_id)

    async def until_audited(self, force: str, reference: str, message_type: str, says: str) -> None:
        """Wait until `force` has applied a message of `message_type` about `reference`."""
        deadline = time.monotonic() + ARRIVAL_TIMEOUT_SECONDS
        query = (
            "select count(*) from audit_log where action = 'message.received'"
            " and subject = $1 and reason = $2"
        )
        while not await self.desks[force].pool.fetchval(query, reference, message_type):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{force} never received {message_type} about {reference}")
            await asyncio.sleep(0.1)
        self.say(f"{force:<5} {says}")

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)
