"""Commands sharing one record stage on one connection: the node's batching loop, once.

The inbox applies a batch of messages this way, and the bench's coordinators a group of
casework commands: the records they touch are read in one query (`load`), each command runs
through the message bus in a unit of work of its own on the shared stage, and `write` puts
every changed record and outgoing message in the database together at the end. The caller
owns the transaction, and appends each unit of work's audit entries with its own signer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from ownership.adapters.db import Connection
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.record_stage import RecordStage
from ownership.adapters.unit_of_work import PostgresUnitOfWork


class StagedCommands:
    """Units of work for one force on one connection, all on one record stage."""

    def __init__(
        self,
        connection: Connection,
        *,
        force: str,
        actor: str,
        translate: EventTranslator,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connection = connection
        self._force = force
        self._actor = actor
        self._translate = translate
        self._clock = clock
        self._stage = RecordStage(connection)

    async def load(self, references: Iterable[str]) -> None:
        """Read the records of `references` (those not read yet) in one query."""
        await self._stage.load(references)

    def unit_of_work(self, reason: str | None) -> PostgresUnitOfWork:
        """A unit of work for one command: it commits to the stage, not to the database."""
        return PostgresUnitOfWork(
            self._connection,
            force=self._force,
            actor=self._actor,
            translate=self._translate,
            reason=reason,
            clock=self._clock,
            stage=self._stage,
        )

    async def write(self) -> None:
        """Write every record the units of work changed, and their outgoing messages."""
        await self._stage.write()
