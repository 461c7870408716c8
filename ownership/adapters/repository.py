"""Offender records in PostgreSQL: one row per offender, the aggregate as JSONB."""

from __future__ import annotations

from ownership.adapters.db import Connection
from ownership.adapters.record_codec import load_record
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import AbstractRecordRepository


class PostgresRecordRepository(AbstractRecordRepository):
    """Loads records on the unit of work's connection; remembers which ones are new."""

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self._connection = connection
        self.new: set[str] = set()

    async def _get(self, reference: str) -> OffenderRecord | None:
        state = await self._connection.fetchval(
            "select state from offender_records where reference = $1", reference
        )
        return load_record(state) if state is not None else None

    async def _add(self, record: OffenderRecord) -> None:
        self.new.add(record.reference)

    async def _list(self) -> list[OffenderRecord]:
        rows = await self._connection.fetch("select state from offender_records order by reference")
        return [load_record(row["state"]) for row in rows]
