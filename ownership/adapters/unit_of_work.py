"""The PostgreSQL unit of work: records, outbox rows and audit entries in one transaction.

On its own, a unit of work opens a transaction (a savepoint when the caller already has one
open) and writes at each commit: the records (each only if its `version` is the one that was
loaded, then the version moves on), their outbox rows and its audit entries, sealed with
its `signer` (the force's key; see `audit_log`).

The inbox applies a whole batch of messages in one transaction and hands each message's unit
of work the batch's shared `stage`: then a commit only keeps the records' committed states and
outbox rows in the stage and its audit entries in `audit_entries`, and the inbox writes the
stage and appends the batch's audit entries once, when every message of the batch is applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Self

from asyncpg.transaction import Transaction

from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.db import Connection
from ownership.adapters.outbox import EventTranslator, OutboxMessage
from ownership.adapters.record_stage import RecordStage
from ownership.adapters.repository import PostgresRecordRepository
from ownership.domain.events import Event
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import AbstractUnitOfWork, Sendable


class PostgresUnitOfWork(AbstractUnitOfWork):
    """One atomic change to one force's records, on one connection."""

    records: PostgresRecordRepository

    def __init__(
        self,
        connection: Connection,
        *,
        force: str,
        actor: str,
        translate: EventTranslator,
        reason: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        stage: RecordStage | None = None,
        signer: AuditSigner | None = None,
    ) -> None:
        super().__init__()
        self._signer = signer
        self._shared_stage = stage
        self.audit_entries: list[AuditEntry] = []
        self.force = force
        self._connection = connection
        self._actor = actor
        self._translate = translate
        self._reason = reason
        self._clock = clock
        self._transaction: Transaction | None = None
        self.records = PostgresRecordRepository(stage or RecordStage(connection))

    async def __aenter__(self) -> Self:
        self.records = PostgresRecordRepository(self._shared_stage or RecordStage(self._connection))
        if self._shared_stage is None:
            self._transaction = self._connection.transaction()
            await self._transaction.start()
        return await super().__aenter__()

    async def _commit(
        self,
        changed: Sequence[OffenderRecord],
        events: Sequence[Event],
        sending: Sequence[Sendable] = (),
    ) -> None:
        stage = self.records.stage
        messages: list[OutboxMessage] = []
        for record in changed:
            stage.commit(record)
            messages.extend(
                message
                for event in record.events
                if (message := self._translate(record, event)) is not None
            )
        messages.extend(
            message for event in sending if (message := self._translate(None, event)) is not None
        )
        stage.outbox.extend(messages)
        entries = [self._audit(record) for record in changed]
        if self._shared_stage is not None:
            self.audit_entries.extend(entries)
        else:
            transaction = self._require_transaction()
            await stage.write()
            await append_entries(self._connection, entries, signer=self._signer)
            await transaction.commit()
            self._transaction = None

    async def _asked(self, query_id: str, of: str) -> bool:
        try:
            message_id = uuid.UUID(query_id)
        except ValueError:  # every query this force sends has a UUID id
            return False
        found = await self._connection.fetchval(
            "select exists(select 1 from outbox where message_id = $1"
            " and message_type = 'ownership.query' and recipient = $2)",
            message_id,
            of,
        )
        return bool(found)

    async def rollback(self) -> None:
        for record in self.records.seen.values():
            if record.events:  # changed and not committed: the stage forgets this copy
                self.records.stage.forget(record)
        if self._transaction is not None:
            await self._transaction.rollback()
            self._transaction = None
        self.records.seen.clear()

    def _audit(self, record: OffenderRecord) -> AuditEntry:
        return AuditEntry(
            actor=self._actor,
            action="record.changed",
            at=self._clock(),
            subject=record.reference,
            reason=self._reason,
            detail={
                "owner": record.owner,
                "epoch": record.epoch,
                "status": str(record.status),
                "version": record.version,
                "events": [type(event).__name__ for event in record.events],
            },
        )

    def _require_transaction(self) -> Transaction:
        if self._transaction is None:
            raise RuntimeError("the unit of work is used outside `async with`")
        return self._transaction
