"""An in-memory unit of work: the port's reference implementation for tests and the bench.

It is development tooling, not the runtime's: the unit tests, the unit-of-work contract test
and the bench's stage costs import it, and no node ever runs on it. Records are stored as
deep copies, so what a handler changes is visible to the next unit of work only after
``commit()``, exactly as with PostgreSQL, and a stale ``version`` raises
``ConcurrentUpdateError``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from ownership.domain.events import Event, OwnershipQueried
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import (
    AbstractRecordRepository,
    AbstractUnitOfWork,
    ConcurrentUpdateError,
    Sendable,
)


class InMemoryRecordRepository(AbstractRecordRepository):
    """Records kept in a dictionary shared with the unit of work."""

    def __init__(self, store: dict[str, OffenderRecord]) -> None:
        super().__init__()
        self._store = store

    async def _get(self, reference: str) -> OffenderRecord | None:
        stored = self._store.get(reference)
        return copy.deepcopy(stored) if stored is not None else None

    async def _add(self, record: OffenderRecord) -> None:
        return None

    async def _list(self) -> list[OffenderRecord]:
        return [copy.deepcopy(record) for record in self._store.values()]


class FakeUnitOfWork(AbstractUnitOfWork):
    """A unit of work for ``force`` over dictionaries; ``outbox`` keeps committed events.

    ``messages`` keeps the committed reconciliation messages, in the order sent.
    """

    def __init__(self, force: str) -> None:
        super().__init__()
        self.force = force
        self.store: dict[str, OffenderRecord] = {}
        self.outbox: list[Event] = []
        self.messages: list[Sendable] = []
        self.commits = 0
        self.rollbacks = 0
        self.records = InMemoryRecordRepository(self.store)

    async def __aenter__(self) -> FakeUnitOfWork:
        self.records = InMemoryRecordRepository(self.store)
        await super().__aenter__()
        return self

    async def _commit(
        self,
        changed: Sequence[OffenderRecord],
        events: Sequence[Event],
        sending: Sequence[Sendable] = (),
    ) -> None:
        for record in changed:
            stored = self.store.get(record.reference)
            if stored is not None and stored.version != record.version:
                raise ConcurrentUpdateError(f"{record.reference} changed since it was loaded")
        for record in changed:
            record.version += 1
            saved = copy.deepcopy(record)
            saved.events.clear()
            self.store[record.reference] = saved
        self.outbox.extend(events)
        self.messages.extend(sending)
        self.commits += 1

    async def _asked(self, query_id: str, of: str) -> bool:
        return any(
            isinstance(m, OwnershipQueried) and (m.message_id, m.recipient) == (query_id, of)
            for m in self.messages
        )

    async def rollback(self) -> None:
        self.records.seen.clear()
        self.rollbacks += 1
