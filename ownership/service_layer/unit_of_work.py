"""The unit-of-work port: load records, commit them with their events, or roll back.

An adapter implements ``_get``, ``_add``, ``_list``, ``_commit``, ``_asked`` and ``rollback``.
``_commit`` receives the records changed in this unit of work, the events they recorded and the
reconciliation messages sent with them (``send``), and must persist all three atomically: the
records (checking each one's ``version`` has not moved since it was loaded, then incrementing
it), and the events and messages as outbox rows. The PostgreSQL adapter does that in one
transaction; ``memory.FakeUnitOfWork`` does it in dictionaries.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Self

from ownership.domain.events import Event, FederationEvent, OutgoingEvent
from ownership.domain.record import OffenderRecord

Sendable = FederationEvent | OutgoingEvent
"""What ``send`` takes: a message about no single record, or about one this force lacks."""


class ConcurrentUpdateError(Exception):
    """The record changed in storage after this unit of work loaded it; retry the command."""


class AbstractRecordRepository(abc.ABC):
    """The records port: get and add offender records, remembering those it has seen."""

    def __init__(self) -> None:
        self.seen: dict[str, OffenderRecord] = {}

    async def get(self, reference: str) -> OffenderRecord | None:
        """The record of ``reference`` held by this force, or None."""
        record = self.seen.get(reference) or await self._get(reference)
        if record is not None:
            self.seen[reference] = record
        return record

    async def add(self, record: OffenderRecord) -> None:
        """Start holding a new record; it is saved when the unit of work commits."""
        await self._add(record)
        self.seen[record.reference] = record

    async def list_all(self) -> list[OffenderRecord]:
        """Every record this force holds, read only: changes to them are never saved."""
        return await self._list()

    @abc.abstractmethod
    async def _get(self, reference: str) -> OffenderRecord | None:
        """Load a record from storage."""

    @abc.abstractmethod
    async def _list(self) -> list[OffenderRecord]:
        """Load every record from storage."""

    @abc.abstractmethod
    async def _add(self, record: OffenderRecord) -> None:
        """Prepare storage for a new record."""


class AbstractUnitOfWork(abc.ABC):
    """One atomic change to this force's records; rolls back unless committed.

    ``force`` is the force whose records these are. Use as ``async with uow:`` and call
    ``commit()`` once the change is whole.
    """

    force: str
    records: AbstractRecordRepository

    def __init__(self) -> None:
        self._committed = False
        self._collected: list[Event] = []
        self._sending: list[Sendable] = []
        self.sent: list[Sendable] = []

    async def __aenter__(self) -> Self:
        self._committed = False
        self._sending = []
        return self

    def send(self, message: Sendable) -> None:
        """Send a message about no single record (reconciliation), or about a record this
        force holds no view of (a request for a transfer), when this unit commits."""
        self._sending.append(message)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed:
            await self.rollback()

    async def commit(self) -> None:
        """Persist the changed records and their events (to the outbox) atomically."""
        changed = [r for r in self.records.seen.values() if r.events]
        events = [event for record in changed for event in record.events]
        sending, self._sending = self._sending, []
        await self._commit(changed, events, sending)
        for record in changed:
            record.events.clear()
        self._collected.extend(events)
        self.sent.extend(sending)
        self._committed = True

    async def asked(self, query_id: str | None, of: str) -> bool:
        """Whether this force sent ``of`` the ``ownership.query`` with id ``query_id``."""
        return query_id is not None and await self._asked(query_id, of)

    def collect_new_events(self) -> Iterator[Event]:
        """The events committed since the last call, which the message bus returns."""
        while self._collected:
            yield self._collected.pop(0)

    @abc.abstractmethod
    async def _commit(
        self,
        changed: Sequence[OffenderRecord],
        events: Sequence[Event],
        sending: Sequence[Sendable] = (),
    ) -> None:
        """Save ``changed`` (with the version check); write ``events`` and ``sending`` out."""

    @abc.abstractmethod
    async def _asked(self, query_id: str, of: str) -> bool:
        """Whether a committed ``ownership.query`` ``query_id`` to ``of`` was sent."""

    @abc.abstractmethod
    async def rollback(self) -> None:
        """Discard everything not committed."""
