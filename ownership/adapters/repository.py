"""Offender records in PostgreSQL: one row per offender, the aggregate as JSONB, read through
the unit of work's stage (see `record_stage`)."""

from __future__ import annotations

from ownership.adapters.record_stage import RecordStage
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import AbstractRecordRepository


class PostgresRecordRepository(AbstractRecordRepository):
    """Loads records through a stage, which also holds the ones added until they are written."""

    def __init__(self, stage: RecordStage) -> None:
        super().__init__()
        self.stage = stage

    async def _get(self, reference: str) -> OffenderRecord | None:
        return await self.stage.get(reference)

    async def _add(self, record: OffenderRecord) -> None:
        self.stage.add(record)

    async def _list(self) -> list[OffenderRecord]:
        return await self.stage.list_all()
