"""Records in any state for dashboard tests: commands played on the real handlers in memory,
then saved to a force's PostgreSQL database as the repository stores them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any, TypeVar

from ownership.adapters.db import Connection
from ownership.adapters.record_codec import dump_record
from ownership.domain import commands as c
from ownership.domain.errors import DomainError
from ownership.domain.record import OffenderRecord
from ownership.service_layer.messagebus import message_bus
from tooling import playbook
from tooling.memory import FakeUnitOfWork

M = TypeVar("M", bound=c.IncomingMessage)
_ids = itertools.count(1)


class Casebook:
    """One force's records, built by running commands through its message bus in memory."""

    def __init__(self, force: str) -> None:
        self.force = force
        self.uow = FakeUnitOfWork(force)
        self.bus = message_bus(self.uow)

    async def run(self, *commands: c.Command) -> None:
        for command in commands:
            await self.bus.handle(command)

    async def refused(self, command: c.Command) -> DomainError:
        """Run a command the record refuses (and keeps a note of); return the refusal."""
        try:
            await self.bus.handle(command)
        except DomainError as error:
            return error
        raise AssertionError(f"{command!r} was not refused")

    def record(self, reference: str) -> OffenderRecord:
        return self.uow.store[reference]

    async def save(self, connection: Connection) -> None:
        for record in self.uow.store.values():
            await connection.execute(
                "insert into offender_records (reference, owner, epoch, status, state, version)"
                " values ($1, $2, $3, $4, $5::jsonb, $6)",
                record.reference, record.owner, record.epoch, str(record.status),
                dump_record(record), record.version,
            )  # fmt: skip

    # -- the steps of a transfer this force owns -------------------------------------

    async def notified(self, reference: str, n: int, receiver: str, at: datetime) -> str:
        """Offender ``n`` registered here, reviewed and notified to ``receiver`` at ``at``."""
        transfer_id = f"T-{reference}"
        details = playbook.move(self.force, at.date(), n=n)
        await self.run(*playbook.register(reference, at - timedelta(days=1), n))
        await self.run(
            *playbook.review_and_notify(
                reference, transfer_id, receiver, details, playbook.profile(n), at
            )
        )
        return transfer_id

    def message(self, cls: type[M], reference: str, sender: str, at: datetime, **fields: Any) -> M:
        """Another force's message to this one, about ``reference``'s transfer."""
        base: dict[str, Any] = {
            "reference": reference, "at": at, "sender": sender, "recipient": self.force,
            "epoch": 1, "message_id": f"m-{next(_ids)}",
        }  # fmt: skip
        if issubclass(cls, c.TransferMessage):
            base["transfer_id"] = f"T-{reference}"
        return cls(**{**base, **fields})
