"""One suite for the unit-of-work port, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

import abc
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from interforce.database import ensure_database
from ownership.adapters.migrator import migrate
from ownership.adapters.outbox import EventTranslator
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain.events import Event, OwnershipQueried
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import (
    AbstractUnitOfWork,
    ConcurrentUpdateError,
    Sendable,
)
from producers.translation import outgoing_message
from tests.support.databases import drop_database
from tests.support.records import FORCE, T0, every_event, registered
from tooling.memory import FakeUnitOfWork

pytestmark = pytest.mark.integration


class Harness(abc.ABC):
    """How the suite gets units of work and sees what reached the outbox."""

    @abc.abstractmethod
    def uow(self, translate: EventTranslator = every_event) -> AbstractUnitOfWork: ...

    @abc.abstractmethod
    async def outbox_size(self) -> int: ...


class FakeHarness(Harness):
    def __init__(self) -> None:
        self.store: dict[str, OffenderRecord] = {}
        self.outbox: list[Event] = []
        self.messages: list[Sendable] = []

    def uow(self, translate: EventTranslator = every_event) -> AbstractUnitOfWork:
        uow = FakeUnitOfWork(FORCE)
        uow.store, uow.outbox, uow.messages = self.store, self.outbox, self.messages
        return uow

    async def outbox_size(self) -> int:
        return len(self.outbox)


class PostgresHarness(Harness):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    def uow(self, translate: EventTranslator = every_event) -> AbstractUnitOfWork:
        return _PooledUnitOfWork(self.pool, translate)

    async def outbox_size(self) -> int:
        return int(await self.pool.fetchval("select count(*) from outbox"))


class _PooledUnitOfWork(PostgresUnitOfWork):
    """Takes a connection from the pool for the length of the `async with`."""

    def __init__(self, pool: asyncpg.Pool, translate: EventTranslator) -> None:
        self._pool = pool
        self._translating = translate

    async def __aenter__(self) -> _PooledUnitOfWork:
        self._lease = self._pool.acquire()
        connection = await self._lease.__aenter__()
        PostgresUnitOfWork.__init__(
            self, connection, force=FORCE, actor="test", translate=self._translating
        )
        await super().__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await super().__aexit__(*exc)  # type: ignore[arg-type]
        finally:
            await self._lease.__aexit__(None, None, None)


@pytest.fixture(params=["memory", "postgres"])
async def harness(request: pytest.FixtureRequest, postgres_url: str) -> AsyncIterator[Harness]:
    if request.param == "memory":
        yield FakeHarness()
        return
    name = f"t_{uuid.uuid4().hex[:16]}"
    url = await ensure_database(postgres_url, name)
    async with asyncpg.create_pool(url, min_size=1, max_size=4) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
        yield PostgresHarness(pool)
    await drop_database(postgres_url, name)


async def test_a_committed_record_loads_back_with_its_version(harness: Harness) -> None:
    async with harness.uow() as uow:
        await uow.records.add(registered("OFF-1"))
        await uow.commit()
    async with harness.uow() as uow:
        loaded = await uow.records.get("OFF-1")
    assert loaded is not None
    assert (loaded.reference, loaded.owner, loaded.epoch, loaded.version) == ("OFF-1", FORCE, 1, 1)
    assert loaded.events == []


async def test_nothing_persists_without_commit(harness: Harness) -> None:
    async with harness.uow() as uow:
        await uow.records.add(registered("OFF-2"))
    async with harness.uow() as uow:
        assert await uow.records.get("OFF-2") is None
    assert await harness.outbox_size() == 0


async def test_a_stale_version_is_a_concurrent_update(harness: Harness) -> None:
    async with harness.uow() as uow:
        await uow.records.add(registered("OFF-3"))
        await uow.commit()
    first, second = harness.uow(), harness.uow()
    async with first, second:
        mine = await first.records.get("OFF-3")
        theirs = await second.records.get("OFF-3")
        assert mine is not None
        assert theirs is not None
        mine.events.extend(registered("OFF-3").events)
        theirs.events.extend(registered("OFF-3").events)
        await first.commit()
        with pytest.raises(ConcurrentUpdateError):
            await second.commit()
    async with harness.uow() as uow:
        reloaded = await uow.records.get("OFF-3")
    assert reloaded is not None
    assert reloaded.version == 2


async def test_events_reach_the_outbox_with_the_commit(harness: Harness) -> None:
    record = registered("OFF-4")
    event_count = len(record.events)
    async with harness.uow() as uow:
        await uow.records.add(record)
        await uow.commit()
    assert event_count > 0
    assert await harness.outbox_size() == event_count


async def test_a_query_sent_is_known_as_asked_of_its_recipient_only(harness: Harness) -> None:
    query = OwnershipQueried(
        force=FORCE, at=T0, recipient="GMP", message_id=str(uuid.uuid4()), offenders=("OFF-9",)
    )
    async with harness.uow(outgoing_message) as uow:
        uow.send(query)
        await uow.commit()
    async with harness.uow() as uow:
        assert await uow.asked(query.message_id, "GMP")
        assert not await uow.asked(query.message_id, "MPS")
        assert not await uow.asked(str(uuid.uuid4()), "GMP")
        assert not await uow.asked("not-a-uuid", "GMP")
        assert not await uow.asked(None, "GMP")
