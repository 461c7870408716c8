"""The inbox subscriber over a real broker: applied once, bad ones dead-lettered, replay-safe."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from faststream.kafka import KafkaBroker

from consumers.dead_letter_topic import KafkaDeadLetterSink
from consumers.inbox_processor import InboxProcessor, PartitionOutcome
from consumers.inbox_subscriber import subscribe_inbox
from consumers.records import InboxRecord
from interforce.topics import ensure_topics
from ownership.adapters.migrator import migrate
from tests.support.standins import Effects
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=6) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
            await connection.execute("create table effects (message_id text)")
        yield pool


APPLIED_OR_REFUSED = "select (select count(*) from inbox) + (select count(*) from dead_letters)"
OFFSETS_CONSUMED = "select coalesce(sum(next_offset), 0) from consumed_offsets"


class FailsFirstBatches:
    """A processor that fails, unexpectedly, on its first `failures` batches."""

    def __init__(self, inner: InboxProcessor[Any], failures: int) -> None:
        self.inner = inner
        self.failures = failures

    async def process(self, records: Sequence[InboxRecord]) -> list[PartitionOutcome]:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("a fault of ours, not of the messages")
        return await self.inner.process(records)

    async def expire(self, topic: str, partition: int, first_kept: int) -> int:
        return await self.inner.expire(topic, partition, first_kept)


async def run_node_until(
    bootstrap: str,
    pool: asyncpg.Pool,
    topics: tuple[str, str],
    group: str,
    done: tuple[str, int],
    failing_batches: int = 0,
) -> None:
    """Run one inbox subscriber until the `done` query's count reaches its target."""
    query, target = done
    inbox, dlq = topics
    broker = KafkaBroker(bootstrap, logger=None)
    processor = InboxProcessor(
        pool,
        actor="node:WMP",
        decode=Effects().decode,
        apply=Effects(),
        dead_letters=KafkaDeadLetterSink(broker, dlq),
    )
    subscribe_inbox(
        broker,
        topic=inbox,
        group_id=group,
        pool=pool,
        processor=FailsFirstBatches(processor, failing_batches),
    )
    async with broker:
        await broker.start()

        async def reached() -> bool:
            return bool(await pool.fetchval(query) >= target)

        await eventually(reached, within=60)


async def read_topic(
    bootstrap: str, topic: str, count: int
) -> list[tuple[bytes, dict[str, bytes]]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[tuple[bytes, dict[str, bytes]]] = []
    try:
        async with asyncio.timeout(30):
            while len(found) < count:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    found.extend((r.value, dict(r.headers)) for r in records)
    finally:
        await consumer.stop()
    return found


async def test_messages_apply_once_and_bad_ones_reach_the_dead_letter_topic(
    kafka_bootstrap: str, pool: asyncpg.Pool
) -> None:
    suffix = uuid.uuid4().hex
    inbox, dlq = f"test.{suffix}.inbox", f"test.{suffix}.dlq"
    await ensure_topics(kafka_bootstrap, [inbox, dlq], partitions=3, replication_factor=1)
    producer = KafkaBroker(kafka_bootstrap, logger=None)
    good = [f"m{n}" for n in range(30)]
    async with producer:
        await producer.connect()
        for n, message_id in enumerate(good):
            body = {"sender": "WMY", "id": message_id, "do": "apply"}
            await producer.publish(json.dumps(body).encode(), inbox, key=f"OFF-{n % 7}".encode())
            if n % 10 == 0:
                await producer.publish(b"{not json", inbox, key=f"OFF-{n % 7}".encode())
        await producer.publish(
            json.dumps({"sender": "WMY", "id": "m0", "do": "apply"}).encode(), inbox
        )

    await run_node_until(
        kafka_bootstrap, pool, (inbox, dlq), f"g-{suffix}", (APPLIED_OR_REFUSED, 33)
    )

    applied = [row["message_id"] for row in await pool.fetch("select * from effects")]
    assert sorted(applied) == sorted(good)  # m0 sent twice, applied once
    letters = await read_topic(kafka_bootstrap, dlq, 3)
    assert [value for value, _ in letters] == [b"{not json"] * 3
    assert {headers["interforce-reason"] for _, headers in letters} == {b"not-json"}
    assert all(headers["interforce-original-topic"] == inbox.encode() for _, headers in letters)

    # The whole topic replayed from offset 0, by a new consumer group with the stored offsets
    # wiped, changes nothing: the inbox table turns every message into a no-op.
    await pool.execute("delete from consumed_offsets")
    duplicates_before = await pool.fetchval(
        "select count(*) from audit_log where action = 'message.duplicate'"
    )
    await run_node_until(
        kafka_bootstrap, pool, (inbox, dlq), f"g2-{suffix}", (OFFSETS_CONSUMED, 34)
    )
    assert sorted(row["message_id"] for row in await pool.fetch("select * from effects")) == sorted(
        good
    )
    duplicates_after = await pool.fetchval(
        "select count(*) from audit_log where action = 'message.duplicate'"
    )
    assert duplicates_after - duplicates_before == 31


async def test_a_batch_that_fails_unexpectedly_is_read_again_not_skipped(
    kafka_bootstrap: str, pool: asyncpg.Pool
) -> None:
    suffix = uuid.uuid4().hex
    inbox, dlq = f"test.{suffix}.inbox", f"test.{suffix}.dlq"
    await ensure_topics(kafka_bootstrap, [inbox, dlq], partitions=1, replication_factor=1)
    sent = [f"m{n}" for n in range(10)]
    producer = KafkaBroker(kafka_bootstrap, logger=None)
    async with producer:
        await producer.connect()
        for message_id in sent:
            body = {"sender": "WMY", "id": message_id, "do": "apply"}
            await producer.publish(json.dumps(body).encode(), inbox, key=b"OFF-1")

    await run_node_until(
        kafka_bootstrap, pool, (inbox, dlq), f"g-{suffix}", (APPLIED_OR_REFUSED, 10),
        failing_batches=2,
    )  # fmt: skip

    applied = [row["message_id"] for row in await pool.fetch("select * from effects")]
    assert sorted(applied) == sorted(sent)


async def test_records_deleted_before_they_were_read_are_recorded_as_lost_and_reading_goes_on(
    kafka_bootstrap: str, pool: asyncpg.Pool
) -> None:
    suffix = uuid.uuid4().hex
    inbox, dlq = f"test.{suffix}.inbox", f"test.{suffix}.dlq"
    await ensure_topics(kafka_bootstrap, [inbox, dlq], partitions=1, replication_factor=1)
    producer = KafkaBroker(kafka_bootstrap, logger=None)
    async with producer:
        await producer.connect()
        for n in range(6):
            body = {"sender": "WMY", "id": f"m{n}", "do": "apply"}
            await producer.publish(json.dumps(body).encode(), inbox, key=b"OFF-1")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:  # as retention would: the first three go before this node ever read them
        await admin.delete_records({TopicPartition(inbox, 0): RecordsToDelete(before_offset=3)})
    finally:
        await admin.close()

    await run_node_until(
        kafka_bootstrap, pool, (inbox, dlq), f"g-{suffix}", (APPLIED_OR_REFUSED, 3)
    )

    applied = sorted(row["message_id"] for row in await pool.fetch("select * from effects"))
    assert applied == ["m3", "m4", "m5"]
    expired = await pool.fetch(
        "select reason, detail from audit_log where action = 'inbox.records-expired'"
    )
    assert [row["reason"] for row in expired] == [
        "3 records deleted from the topic before they were read"
    ]
    assert json.loads(expired[0]["detail"])["to"] == 3
    assert await pool.fetchval("select next_offset from consumed_offsets") == 6
