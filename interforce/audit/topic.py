"""The force's audit checkpoint topic: the copy of each checkpoint outside its database.

One partition, kept for ever, written only by the force's node (the ACL plan lets the
force's principal write and read it, and nobody delete from it). `read_checkpoints` reads it
whole for `audit verify`; a record that is not a checkpoint is counted, never fatal.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from interforce.kafka_clients import client_options
from interforce.settings import Settings
from ownership.adapters.audit_signing import Checkpoint, CheckpointError, checkpoint_from_document

MAX_RECORD_BYTES = 4096
READ_TIMEOUT_SECONDS = 20.0


async def publish_checkpoint(
    producer: AIOKafkaProducer, topic: str, checkpoint: Checkpoint
) -> None:
    """Put a checkpoint on the topic and wait for the broker's acknowledgement."""
    value = orjson.dumps(checkpoint.document())
    await producer.send_and_wait(topic, value, key=checkpoint.database.encode())


@dataclass
class TopicCheckpoints:
    """What the topic held: its checkpoints, how many records were not, or why it was not read."""

    topic: str
    checkpoints: list[Checkpoint] = field(default_factory=list)
    not_checkpoints: int = 0
    error: str | None = None

    @property
    def read(self) -> bool:
        return self.error is None


async def read_checkpoints(
    settings: Settings, topic: str, within: float = READ_TIMEOUT_SECONDS
) -> TopicCheckpoints:
    """Every checkpoint on `topic`, from its first record to its end when asked."""
    found = TopicCheckpoints(topic)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        request_timeout_ms=int(within * 1000),
        **client_options(settings),
    )
    try:
        async with asyncio.timeout(within):
            await consumer.start()
            await _read_all(consumer, found)
    except (KafkaError, TimeoutError, OSError) as error:
        reason = "no answer in time" if isinstance(error, TimeoutError) else repr(error)
        found.error = f"the broker {settings.kafka_bootstrap_servers} was not reachable: {reason}"
    finally:
        await consumer.stop()
    return found


async def _read_all(consumer: AIOKafkaConsumer, found: TopicCheckpoints) -> None:
    if found.topic not in await consumer.topics():
        found.error = f"the topic {found.topic} does not exist"
        return
    partitions = [
        TopicPartition(found.topic, number)
        for number in sorted(consumer.partitions_for_topic(found.topic) or ())
    ]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    ends = await consumer.end_offsets(partitions)
    while [p for p in partitions if await consumer.position(p) < ends[p]]:
        batches = await consumer.getmany(timeout_ms=1000)
        for records in batches.values():
            for record in records:
                _take(record.value, found)


def _take(value: bytes | None, found: TopicCheckpoints) -> None:
    try:
        if value is None or len(value) > MAX_RECORD_BYTES:
            raise CheckpointError("empty or too large")
        found.checkpoints.append(checkpoint_from_document(orjson.loads(value)))
    except (CheckpointError, orjson.JSONDecodeError):
        found.not_checkpoints += 1
