"""A message produced with FastStream crosses a real Kafka topic to a real subscriber."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from interforce.topics import ensure_topics

pytestmark = pytest.mark.integration


async def test_faststream_message_crosses_a_real_topic(kafka_bootstrap: str) -> None:
    topic = f"smoke.{uuid.uuid4().hex}"
    assert await ensure_topics(kafka_bootstrap, [topic], partitions=1, replication_factor=1) == [
        topic
    ]
    broker = KafkaBroker(kafka_bootstrap)
    received: asyncio.Future[tuple[dict[str, str], bytes | None]] = (
        asyncio.get_running_loop().create_future()
    )

    @broker.subscriber(topic, group_id=f"smoke-{uuid.uuid4().hex}", auto_offset_reset="earliest")
    async def on_message(body: dict[str, str], message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple)  # one record, not a batch
        received.set_result((body, record.key))

    async with broker:
        await broker.start()
        await broker.publish({"hello": "from WMP"}, topic, key=b"OFF-0001")
        body, key = await asyncio.wait_for(received, timeout=60)

    assert (body, key) == ({"hello": "from WMP"}, b"OFF-0001")


async def test_ensure_topics_is_idempotent(kafka_bootstrap: str) -> None:
    topic = f"smoke.{uuid.uuid4().hex}"
    first = await ensure_topics(kafka_bootstrap, [topic], partitions=2, replication_factor=1)
    second = await ensure_topics(kafka_bootstrap, [topic], partitions=2, replication_factor=1)
    assert (first, second) == ([topic], [])


async def test_created_topics_are_listed_when_ensure_topics_returns(kafka_bootstrap: str) -> None:
    topics = [f"smoke.{uuid.uuid4().hex}" for _ in range(30)]
    assert sorted(
        await ensure_topics(kafka_bootstrap, topics, partitions=1, replication_factor=1)
    ) == sorted(topics)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        assert set(topics) <= set(await admin.list_topics())
    finally:
        await admin.close()
