"""The stall alarm over real PostgreSQL and Kafka: audited once, patient with a failing
database, and able to see a consumer that stopped polling."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from consumers.offsets import store_offsets
from consumers.stall_alarm import StallAlarm
from consumers.stall_watch import StallWatch
from interforce.topics import ensure_topics
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.migrator import migrate

pytestmark = pytest.mark.integration

TOPIC = "interforce.wmp.inbox"
REFUSE_AUDIT = """
create function test_refuse_audit() returns trigger language plpgsql as $$
begin raise exception 'the audit log is full'; end $$;
create trigger test_refuse_audit before insert on audit_log
    for each row execute function test_refuse_audit();
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=4) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
        yield pool


async def audited(pool: asyncpg.Pool) -> list[tuple[str, dict[str, object]]]:
    rows = await pool.fetch(
        "select action, detail from audit_log where action like 'inbox.partition-%' order by seq"
    )
    return [(row["action"], json.loads(row["detail"])) for row in rows]


async def test_a_stall_and_its_recovery_are_audited_once_each(pool: asyncpg.Pool) -> None:
    watch = StallWatch(failures=2, clock=Clock())
    alarm = StallAlarm(watch, pool, actor="node:WMP", clock=Clock())
    for _ in range(5):
        watch.failed(TOPIC, 1, 7, PermissionError("permission denied for table inbox"))
        await alarm.check()
    watch.advanced(TOPIC, 1, 9)
    await alarm.check()
    await alarm.check()

    (stalled_action, stalled), (recovered_action, recovered) = await audited(pool)
    assert stalled_action == "inbox.partition-stalled"
    assert stalled == {
        "topic": TOPIC,
        "partition": 1,
        "offset": 7,
        "error": "PermissionError: permission denied for table inbox",
        "since": "2026-07-01T09:00:00+00:00",
        "failures": 2,
        "waiting": None,
        "last_advanced": "2026-07-01T09:00:00+00:00",
    }
    assert recovered_action == "inbox.partition-recovered"
    assert (recovered["offset"], recovered["next_offset"]) == (7, 9)


async def test_entries_wait_while_the_database_refuses_them_and_are_written_after(
    pool: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    watch = StallWatch(failures=1)
    alarm = StallAlarm(watch, pool, actor="node:WMP")
    await pool.execute(REFUSE_AUDIT)
    with caplog.at_level(logging.ERROR, logger="consumers.stall_alarm"):
        watch.failed(TOPIC, 0, 3, RuntimeError("a fault of ours"))
        await alarm.check()  # no exception: the alarm must not add a fault of its own
        watch.advanced(TOPIC, 0, 4)
        for _ in range(3):
            await alarm.check()
    cannot = [r for r in caplog.records if "cannot audit" in r.getMessage()]
    assert len(cannot) == 1
    assert await audited(pool) == []

    await pool.execute("drop trigger test_refuse_audit on audit_log")
    await alarm.check()

    assert [action for action, _ in await audited(pool)] == [
        "inbox.partition-stalled",
        "inbox.partition-recovered",
    ]
    async with pool.acquire() as connection:
        assert (await verify_chain(connection)).intact


async def test_the_probe_sees_records_waiting_on_a_consumer_that_stopped_polling(
    kafka_bootstrap: str, pool: asyncpg.Pool
) -> None:
    topic = f"test.{uuid.uuid4().hex}.inbox"
    await ensure_topics(kafka_bootstrap, [topic], partitions=2, replication_factor=1)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(topic, f"m{n}".encode(), partition=0)
        for n in range(2):  # partition 1 was never read here: no offset is stored for it
            await producer.send_and_wait(topic, f"n{n}".encode(), partition=1)
    finally:
        await producer.stop()
    async with pool.acquire() as connection:
        await store_offsets(connection, {(topic, 0): 2})
    clock = Clock()
    watch = StallWatch(seconds=60, clock=clock)
    alarm = StallAlarm(watch, pool, actor="node:WMP", clock=clock)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, 0), TopicPartition(topic, 1)])  # never polled
        await alarm.probe(consumer)
        clock.now += timedelta(seconds=61)
        await alarm.probe(consumer)
        await alarm.check()
    finally:
        await consumer.stop()

    assert [(s.partition, s.offset, s.waiting, s.failures) for s in watch.stalls()] == [
        (0, 2, 3, 0),
        (1, 0, 2, 0),
    ]
    entries = await audited(pool)
    assert [action for action, _ in entries] == ["inbox.partition-stalled"] * 2
    assert [(d["topic"], d["partition"], d["offset"]) for _, d in entries] == [
        (topic, 0, 2),
        (topic, 1, 0),
    ]
