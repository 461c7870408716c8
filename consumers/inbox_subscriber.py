"""The FastStream subscriber on a force's inbox topic.

FastStream's defaults are at-most-once for this use: its default ack policy commits before
the handler runs, `nack()` seeks straight back (a tight loop on a poison message) and `ack()`
commits every consumed position. So the subscriber takes batches with `AckPolicy.MANUAL`
(auto-commit off), the processor commits the offsets to PostgreSQL with the effects, and the
rebalance listener seeks to those stored offsets on every assignment. Kafka's own committed
offsets are set afterwards, per partition and explicitly, only so lag can be monitored.

If applying a batch ever fails with an exception the processor did not absorb (it retries
transient faults and dead-letters refusals itself, so this is a fault of ours), the consumer
has already moved past the batch in memory: the handler seeks each of its partitions back to
the batch's first offset, so the batch is read again rather than skipped; what did commit
is skipped on the second reading by the stored offsets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from consumers.inbox_processor import PartitionOutcome
from consumers.rebalance import SeekToStoredOffsets
from consumers.records import InboxRecord, from_consumer_record

log = logging.getLogger(__name__)

REWIND_PAUSE_SECONDS = 1.0


class BatchProcessor(Protocol):
    """What the subscriber hands each batch to (an `InboxProcessor`)."""

    async def process(self, records: Sequence[InboxRecord]) -> list[PartitionOutcome]: ...

    async def expire(self, topic: str, partition: int, first_kept: int) -> int: ...


async def keep_bytes(message: StreamMessage[Any]) -> Any:
    """Hand the handler the bytes as they arrived: validation is the registry's job."""
    return message.body


def subscribe_inbox(
    broker: KafkaBroker,
    *,
    topic: str,
    group_id: str,
    pool: asyncpg.Pool,
    processor: BatchProcessor,
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
    monitoring = MonitoringCommits()

    @subscriber
    async def apply_inbox_batch(body: list[bytes], message: KafkaMessage) -> None:
        records = [from_consumer_record(raw) for raw in message.raw_message]
        try:
            outcomes = await processor.process(records)
        except asyncio.CancelledError:
            _rewind(subscriber.consumer, records)
            raise
        except Exception:
            log.exception("applying a batch failed; reading it again from its first offsets")
            _rewind(subscriber.consumer, records)
            await asyncio.sleep(REWIND_PAUSE_SECONDS)  # no hot loop on a fault that persists
            return
        for o in outcomes:
            log.info(
                "%s[%d] up to offset %d: %d applied, %d duplicates, %d dead-lettered%s",
                o.topic, o.partition, o.next_offset, o.applied, o.duplicates, o.dead_lettered,
                f" ({', '.join(o.reasons)})" if o.reasons else "",
            )  # fmt: skip
        await _rewind_where_asked(subscriber.consumer, processor, outcomes)
        monitoring.commit(subscriber.consumer, [o for o in outcomes if o.rewind_to is None])

    return subscriber


async def _rewind_where_asked(
    consumer: Any, processor: BatchProcessor, outcomes: Sequence[PartitionOutcome]
) -> None:
    """Seek back each partition read past unread records. If those records are gone from the
    topic (its retention ran out first), the processor records the loss and reading goes on
    from the oldest record kept: nothing else can be done, and it must be seen."""
    for outcome in outcomes:
        if outcome.rewind_to is None or consumer is None:
            continue
        tp = TopicPartition(outcome.topic, outcome.partition)
        first_kept = (await consumer.beginning_offsets([tp]))[tp]
        if first_kept > outcome.rewind_to:
            lost = await processor.expire(outcome.topic, outcome.partition, first_kept)
            log.error(
                "%s[%d]: %d records were deleted from the topic before this node read them",
                outcome.topic, outcome.partition, lost,
            )  # fmt: skip
        consumer.seek(tp, max(first_kept, outcome.rewind_to))


def _rewind(consumer: Any, records: Sequence[InboxRecord]) -> None:
    """Seek each partition of the batch back to the batch's first offset on it."""
    if consumer is None:
        return
    first: dict[tuple[str, int], int] = {}
    for record in records:
        key = (record.topic, record.partition)
        first[key] = min(first.get(key, record.offset), record.offset)
    for (topic, partition), offset in first.items():
        with contextlib.suppress(Exception):  # a partition revoked meanwhile is re-sought
            consumer.seek(TopicPartition(topic, partition), offset)


class MonitoringCommits:
    """Kafka offset commits that only feed lag monitoring, made beside the next batch.

    The database decides where reading resumes, so the handler never waits for these: one
    commit is in flight at a time, and a batch that finds one still running leaves its
    offsets to the next batch's commit, which covers them.
    """

    def __init__(self) -> None:
        self._in_flight: asyncio.Task[None] | None = None

    def commit(self, consumer: Any, outcomes: list[PartitionOutcome]) -> None:
        if consumer is None or not outcomes:
            return
        if self._in_flight is not None and not self._in_flight.done():
            return
        offsets = {TopicPartition(o.topic, o.partition): o.next_offset for o in outcomes}
        self._in_flight = asyncio.create_task(_commit(consumer, offsets))


async def _commit(consumer: Any, offsets: dict[TopicPartition, int]) -> None:
    with contextlib.suppress(KafkaError):  # after a rebalance the database still decides
        await consumer.commit(offsets)
