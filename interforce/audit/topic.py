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
from aiokafka.admin import AIOKafkaAdminClient
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
    options = client_options(settings)
    timeout_ms = int(within * 1000)
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, request_timeout_ms=timeout_ms, **options
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        request_timeout_ms=timeout_ms,
        **options,
    )
    try:
        async with asyncio.timeout(within):
            await admin.start()
            partitions = await _partitions(admin, topic)
            if not partitions:
                found.error = f"the topic {topic} does not exist"
                return found
            await consumer.start()
            await _read_all(consumer, partitions, found)
    except (KafkaError, TimeoutError, OSError) as error:
        reason = "no answer in time" if isinstance(error, TimeoutError) else repr(error)
        found.error = f"the broker {settings.kafka_bootstrap_servers} was not reachable: {reason}"
    finally:
        await consumer.stop()
        await admin.close()
    return found


async def _partitions(admin: AIOKafkaAdminClient, topic: str) -> list[TopicPartition]:
    """The topic's partitions; none when it does not exist."""
    (described,) = await admin.describe_topics([topic])
    if described.get("error_code"):
        return []
    numbers = sorted(partition["partition"] for partition in described.get("partitions", ()))
    return [TopicPartition(topic, number) for number in numbers]


async def _read_all(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], found: TopicCheckpoints
) -> None:
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
