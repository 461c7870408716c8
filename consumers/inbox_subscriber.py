"""The FastStream subscriber on a force's inbox topic.

FastStream's defaults are at-most-once for this use: its default ack policy commits before
the handler runs, `nack()` seeks straight back (a tight loop on a poison message) and `ack()`
commits every consumed position. So the subscriber takes batches with `AckPolicy.MANUAL`
(auto-commit off), the processor commits the offsets to PostgreSQL with the effects, and the
rebalance listener seeks to those stored offsets on every assignment. Kafka's own committed
offsets are set afterwards, per partition and explicitly, only so lag can be monitored.

If applying a batch ever fails with an exception the processor did not absorb (it retries
transient faults and dead-letters refusals itself, so this is a fault of ours, or a database
error that will not pass), the consumer has already moved past the batch in memory: the
handler seeks the failing partition back to the batch's first offset on it, so the batch is
read again rather than skipped, and pauses it for a while, longer after each failure. A batch
over several partitions that fails is applied again partition by partition, and a partition
that is failing is applied apart from the others until it advances, so one stuck partition
never holds up the rest. The stall watch counts the failures; the alarm says when one stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
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
from consumers.stall_alarm import StallAlarm
from consumers.stall_watch import StallWatch, describe

log = logging.getLogger(__name__)

REWIND_PAUSE_SECONDS = 1.0
MAX_REWIND_PAUSE_SECONDS = 10.0

Partition = tuple[str, int]


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
    stalls: StallAlarm | None = None,
) -> Any:
    """Register the inbox subscriber on `broker`; return it. `stalls` hears of every batch
    applied or failed; without it failures are only logged."""
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
    batches = InboxBatches(
        lambda: subscriber.consumer,
        processor,
        stalls.watch if stalls is not None else StallWatch(),
        stalls,
        assigning=lambda: listener.assigning,
    )

    @subscriber
    async def apply_inbox_batch(body: list[bytes], message: KafkaMessage) -> None:
        await batches.apply([from_consumer_record(raw) for raw in message.raw_message])

    return subscriber


class InboxBatches:
    """Applies each batch the subscriber takes, keeping a failing partition apart."""

    def __init__(
        self,
        consumer: Callable[[], Any],
        processor: BatchProcessor,
        watch: StallWatch,
        alarm: StallAlarm | None = None,
        *,
        assigning: Callable[[], bool] = lambda: False,
    ) -> None:
        self._consumer = consumer
        self._processor = processor
        self._assigning = assigning
        self._watch = watch
        self._alarm = alarm
        self._monitoring = MonitoringCommits()

    async def apply(self, records: Sequence[InboxRecord]) -> None:
        """Apply the batch: the partitions doing well together, each failing one alone."""
        groups = _by_partition(records)
        failing = [key for key in groups if self._watch.failures(*key)]
        well = [record for key, group in groups.items() if key not in failing for record in group]
        try:
            if well:
                await self._apply_part(well)
            for key in failing:
                await self._apply_part(groups[key])
        except asyncio.CancelledError:
            _rewind(self._consumer(), records)  # what did commit is skipped when read again
            raise
        if self._alarm is not None:
            await self._alarm.check()

    async def _apply_part(self, records: Sequence[InboxRecord]) -> None:
        """Apply records; if that fails, find out which of their partitions fails."""
        try:
            outcomes = await self._processor.process(records)
        except Exception as error:
            groups = _by_partition(records)
            if len(groups) == 1:
                self._failed(records, error)
                return
            for group in groups.values():
                await self._apply_part(group)
            return
        for o in outcomes:
            log.info(
                "%s[%d] up to offset %d: %d applied, %d duplicates, %d dead-lettered%s",
                o.topic, o.partition, o.next_offset, o.applied, o.duplicates, o.dead_lettered,
                f" ({', '.join(o.reasons)})" if o.reasons else "",
            )  # fmt: skip
        consumer = self._consumer()
        await _rewind_where_asked(consumer, self._processor, outcomes)
        advanced = [o for o in outcomes if o.rewind_to is None]
        for o in advanced:
            self._watch.advanced(o.topic, o.partition, o.next_offset)
        self._monitoring.commit(consumer, advanced)

    def _failed(self, records: Sequence[InboxRecord], error: Exception) -> None:
        """One partition's batch failed: log it (a traceback only the first time it fails
        this way), count it, read it again from its first offset after a pause."""
        topic, partition, offset = records[0].topic, records[0].partition, records[0].offset
        first = self._watch.failed(topic, partition, offset, error)
        failures = self._watch.failures(topic, partition)
        if first:
            log.error(
                "%s[%d] from offset %d: applying the batch failed; reading it again",
                topic, partition, offset, exc_info=error,
            )  # fmt: skip
        else:
            log.warning(
                "%s[%d] from offset %d failed again (%d in a row): %s",
                topic, partition, offset, failures, describe(error),
            )  # fmt: skip
        consumer = self._consumer()
        _rewind(consumer, records)
        pause = min(REWIND_PAUSE_SECONDS * 2 ** (failures - 1), MAX_REWIND_PAUSE_SECONDS)
        self._hold(consumer, TopicPartition(topic, partition), pause)

    def _hold(self, consumer: Any, tp: TopicPartition, seconds: float) -> None:
        """Stop fetching the partition for `seconds`: no hot loop on a fault that persists,
        and the other partitions go on meanwhile."""
        if consumer is None:
            return
        with contextlib.suppress(Exception):  # revoked meanwhile: its next owner seeks it
            consumer.pause(tp)
            asyncio.get_running_loop().call_later(seconds, self._release, consumer, tp)

    def _release(self, consumer: Any, tp: TopicPartition) -> None:
        if self._assigning():  # the listener pauses what it seeks: a resume now would skip that
            asyncio.get_running_loop().call_later(REWIND_PAUSE_SECONDS, self._release, consumer, tp)
            return
        with contextlib.suppress(Exception):  # revoked, or the consumer stopped, meanwhile
            consumer.resume(tp)


def _by_partition(records: Sequence[InboxRecord]) -> dict[Partition, list[InboxRecord]]:
    groups: dict[Partition, list[InboxRecord]] = {}
    for record in records:
        groups.setdefault((record.topic, record.partition), []).append(record)
    return groups


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
