"""Units of work sharing one stage, as the inbox shares one among a batch of messages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from ownership.adapters.migrator import migrate
from ownership.adapters.record_stage import RecordStage
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import ConcurrentUpdateError
from tests.support.records import FORCE, every_event, registered

pytestmark = pytest.mark.integration


def change(record: OffenderRecord, owner: str) -> None:
    """A change the stage must keep or drop: a new owner, and an event to say so."""
    record.owner = owner
    record.events.extend(registered(record.reference).events)


def uow(connection: asyncpg.Connection, stage: RecordStage | None = None) -> PostgresUnitOfWork:
    return PostgresUnitOfWork(
        connection, force=FORCE, actor="test", translate=every_event, stage=stage
    )


@pytest.fixture
async def connection(fresh_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(fresh_database)
    await migrate(connection)
    try:
        yield connection
    finally:
        await connection.close()


async def stored(connection: asyncpg.Connection) -> list[tuple[str, str, int]]:
    rows = await connection.fetch(
        "select reference, owner, version from offender_records order by reference"
    )
    return [(row["reference"], row["owner"], row["version"]) for row in rows]


async def seed(connection: asyncpg.Connection, *references: str) -> None:
    for reference in references:
        async with uow(connection) as work:
            await work.records.add(registered(reference))
            await work.commit()


async def test_commits_to_a_shared_stage_are_written_once_at_the_end(
    connection: asyncpg.Connection,
) -> None:
    await seed(connection, "OFF-1", "OFF-2")
    async with connection.transaction():
        stage = RecordStage(connection)
        await stage.load(["OFF-1", "OFF-2", "OFF-9"])
        first, second = uow(connection, stage), uow(connection, stage)
        async with first:
            record = await first.records.get("OFF-1")
            assert record is not None
            change(record, "GMP")
            await first.records.add(registered("OFF-3"))
            await first.commit()
        async with second:  # the next unit of work sees the first one's commit
            record = await second.records.get("OFF-1")
            assert record is not None
            assert (record.owner, record.version) == ("GMP", 2)
            change(record, "MPS")
            await second.commit()
            assert await second.records.get("OFF-9") is None
        assert await stored(connection) == [("OFF-1", FORCE, 1), ("OFF-2", FORCE, 1)]
        assert await connection.fetchval("select count(*) from outbox") == 2 * len(
            registered("OFF-X").events
        )
        await stage.write()
    assert await stored(connection) == [
        ("OFF-1", "MPS", 3),
        ("OFF-2", FORCE, 1),
        ("OFF-3", FORCE, 1),
    ]
    # each change and each registration records the same number of events: the seeds', then
    # OFF-1's two changes and OFF-3's registration, all written by the one `write`
    per_change = len(registered("OFF-X").events)
    assert await connection.fetchval("select count(*) from outbox") == (2 + 3) * per_change
    assert len(first.audit_entries) == 2
    assert len(second.audit_entries) == 1


async def test_a_change_rolled_back_is_forgotten_and_the_committed_state_comes_back(
    connection: asyncpg.Connection,
) -> None:
    await seed(connection, "OFF-1")
    stage = RecordStage(connection)
    async with uow(connection, stage) as work:
        record = await work.records.get("OFF-1")
        assert record is not None
        change(record, "GMP")
        await work.commit()
    abandoned = uow(connection, stage)
    async with abandoned:
        record = await abandoned.records.get("OFF-1")
        assert record is not None
        change(record, "WYP")
        await abandoned.records.add(registered("OFF-2"))
        # leaves without committing
    async with uow(connection, stage) as work:
        record = await work.records.get("OFF-1")
        assert record is not None
        assert (record.owner, record.version) == ("GMP", 2)
        assert await work.records.get("OFF-2") is None
    await stage.write()
    assert await stored(connection) == [("OFF-1", "GMP", 2)]


async def test_a_record_changed_elsewhere_since_loading_is_a_concurrent_update(
    connection: asyncpg.Connection, fresh_database: str
) -> None:
    await seed(connection, "OFF-1")
    stage = RecordStage(connection)
    await stage.load(["OFF-1"])
    other = await asyncpg.connect(fresh_database)
    try:
        async with uow(other) as theirs:
            record = await theirs.records.get("OFF-1")
            assert record is not None
            change(record, "NYP")
            await theirs.commit()
    finally:
        await other.close()
    async with uow(connection, stage) as mine:
        record = await mine.records.get("OFF-1")
        assert record is not None
        change(record, "GMP")
        await mine.commit()
    with pytest.raises(ConcurrentUpdateError):
        async with connection.transaction():
            await stage.write()
    assert await stored(connection) == [("OFF-1", "NYP", 2)]


async def test_a_record_created_elsewhere_meanwhile_is_a_concurrent_update(
    connection: asyncpg.Connection,
) -> None:
    stage = RecordStage(connection)
    async with uow(connection, stage) as mine:
        assert await mine.records.get("OFF-1") is None
        await mine.records.add(registered("OFF-1"))
        await mine.commit()
    await seed(connection, "OFF-1")
    with pytest.raises(ConcurrentUpdateError):
        async with connection.transaction():
            await stage.write()


async def test_listing_shows_stored_records_with_the_stage_s_committed_changes(
    connection: asyncpg.Connection,
) -> None:
    await seed(connection, "OFF-1", "OFF-2")
    stage = RecordStage(connection)
    async with uow(connection, stage) as work:
        record = await work.records.get("OFF-2")
        assert record is not None
        change(record, "GMP")
        await work.records.add(registered("OFF-0"))
        await work.commit()
    async with uow(connection, stage) as work:
        listed = await work.records.list_all()
    assert [(r.reference, r.owner) for r in listed] == [
        ("OFF-0", FORCE),
        ("OFF-1", FORCE),
        ("OFF-2", "GMP"),
    ]
