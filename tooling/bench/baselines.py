"""The raw baselines, measured on the same messages as the node.

- Kafka: an idempotent `acks=all` aiokafka producer sends every message and waits once, then a
  consumer reads them all back in batches.
- PostgreSQL: for each message, the node's database work as plain statements on one asyncpg
  connection (inbox insert `on conflict do nothing`, the record's state upserted, an outbox
  row), committed every `batch` messages, on a migrated node database (its triggers included).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from tooling.bench.context import BenchContext
from tooling.bench.messages import WireMessage

BATCH_SIZES = (1, 10, 100)


async def raw_kafka(context: BenchContext, messages: Sequence[WireMessage]) -> float:
    """Messages per second through produce-then-consume on a topic of the bench's own."""
    topic = f"{context.namespace('rawkafka')}.raw"
    await context.topics_for([topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=context.bootstrap,
        acks="all",
        enable_idempotence=True,
        **context.kafka_options(),
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=context.bootstrap,
        enable_auto_commit=False,
        **context.kafka_options(),
    )
    await producer.start()
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in await _partitions(producer, topic)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        started = time.perf_counter()
        sent = [await producer.send(topic, m.raw, key=m.key) for m in messages]
        await asyncio.gather(*sent)
        received = 0
        while received < len(messages):
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            received += sum(len(records) for records in batches.values())
        return len(messages) / (time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()


async def _partitions(producer: AIOKafkaProducer, topic: str) -> list[int]:
    found = await producer.partitions_for(topic)
    return sorted(found)


async def raw_asyncpg(context: BenchContext, messages: Sequence[WireMessage], batch: int) -> float:
    """Messages per second of the node's per-message database work, committed every `batch`."""
    url = await context.database(context.namespace(f"rawpg{batch}_"))
    rows = [_row(m) for m in messages]
    connection = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        for first in range(0, len(rows), batch):
            async with connection.transaction():
                for row in rows[first : first + batch]:
                    await _one(connection, *row)
        return len(rows) / (time.perf_counter() - started)
    finally:
        await connection.close()


def _row(message: WireMessage) -> tuple[str, str, str]:
    data = json.loads(message.raw)["data"]
    return message.message_id, message.key.decode(), json.dumps(data)


async def _one(connection: asyncpg.Connection, message_id: str, reference: str, state: str) -> None:
    fresh = await connection.fetchval(
        "insert into inbox (sender, message_id) values ('GMP', $1)"
        " on conflict do nothing returning true",
        message_id,
    )
    if not fresh:
        return
    await connection.execute(
        "insert into offender_records (reference, owner, epoch, status, state, version)"
        " values ($1, 'GMP', 1, 'active', $2::jsonb, 1) on conflict (reference) do update"
        " set state = excluded.state, version = offender_records.version + 1,"
        " updated_at = now()",
        reference,
        state,
    )
    await connection.execute(
        "insert into outbox (message_id, offender_reference, recipient, message_type, body)"
        " values ($1, $2, 'GMP', 'transfer.acknowledged', $3::jsonb)",
        str(uuid.uuid4()),
        reference,
        state,
    )
