"""The FastStream subscriber on a force's inbox topic.

FastStream's defaults are at-most-once for this use: its default ack policy commits before
the handler runs, `nack()` seeks straight back (a tight loop on a poison message) and `ack()`
commits every consumed position. So the subscriber takes batches with `AckPolicy.MANUAL`
(auto-commit off), the processor commits the offsets to PostgreSQL with the effects, and the
rebalance listener seeks to those stored offsets on every assignment. Kafka's own committed
offsets are set afterwards, per partition and explicitly, only so lag can be monitored.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import asyncpg
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from consumers.inbox_processor import InboxProcessor, PartitionOutcome
from consumers.rebalance import SeekToStoredOffsets
from consumers.records import from_consumer_record

log = logging.getLogger(__name__)


async def keep_bytes(message: StreamMessage[Any]) -> Any:
    """Hand the handler the bytes as they arrived: validation is the registry's job."""
    return message.body


def subscribe_inbox(
    broker: KafkaBroker,
    *,
    topic: str,
    group_id: str,
    pool: asyncpg.Pool,
    processor: InboxProcessor[Any],
    max_records: int = 500,
    idle_poll_ms: int = 10,
) -> Any:
    """Register the inbox subscriber on `broker`; return it."""
    listener = SeekToStoredOffsets(pool)
    subscriber = broker.subscriber(
        topic,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        # FastStream waits this long for records and, when none came, sleeps as long again
        # before the next poll: its 200 ms default put up to 400 ms on an idle node's latency.
        batch_timeout_ms=idle_poll_ms,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        listener=listener,
        decoder=keep_bytes,
        title=f"{topic}:apply",
        description="Validates, authenticates and applies messages addressed to this force.",
    )
    listener.attach(lambda: subscriber.consumer)

    @subscriber
    async def apply_inbox_batch(body: list[bytes], message: KafkaMessage) -> None:
        records = [from_consumer_record(raw) for raw in message.raw_message]
        outcomes = await processor.process(records)
        for o in outcomes:
            log.info(
                "%s[%d] up to offset %d: %d applied, %d duplicates, %d dead-lettered%s",
                o.topic, o.partition, o.next_offset, o.applied, o.duplicates, o.dead_lettered,
                f" ({', '.join(o.reasons)})" if o.reasons else "",
            )  # fmt: skip
        await _commit_for_monitoring(subscriber.consumer, outcomes)

    return subscriber


async def _commit_for_monitoring(consumer: Any, outcomes: list[PartitionOutcome]) -> None:
    """Explicit per-partition commit after the database commit; lag metrics read it."""
    if consumer is None or not outcomes:
        return
    offsets = {TopicPartition(o.topic, o.partition): o.next_offset for o in outcomes}
    with contextlib.suppress(KafkaError):  # after a rebalance the database still decides
        await consumer.commit(offsets)
