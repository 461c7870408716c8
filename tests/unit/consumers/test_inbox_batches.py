"""The subscriber's batches: a partition that fails is kept apart, the others go on."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from consumers.inbox_processor import PartitionOutcome
from consumers.inbox_subscriber import InboxBatches
from consumers.records import InboxRecord
from consumers.stall_watch import StallWatch

TOPIC = "interforce.wmp.inbox"


class RefusesPartition:
    """A processor whose transactions fail whenever they hold a record of one partition."""

    def __init__(self, broken: int | None) -> None:
        self.broken = broken
        self.calls: list[list[int]] = []
        self.applied: list[tuple[int, int]] = []

    async def process(self, records: Sequence[InboxRecord]) -> list[PartitionOutcome]:
        self.calls.append(sorted({record.partition for record in records}))
        if any(record.partition == self.broken for record in records):
            raise PermissionError("permission denied for table inbox")
        self.applied.extend((record.partition, record.offset) for record in records)
        last: dict[int, int] = {}
        for record in records:
            last[record.partition] = max(last.get(record.partition, 0), record.offset + 1)
        return [PartitionOutcome(TOPIC, p, next_offset) for p, next_offset in last.items()]

    async def expire(self, topic: str, partition: int, first_kept: int) -> int:
        raise AssertionError("nothing expires here")


def batch(offset: int, partitions: Sequence[int] = (0, 1, 2)) -> list[InboxRecord]:
    return [InboxRecord(TOPIC, p, offset, None, b"{}") for p in partitions]


async def test_a_failing_partition_is_found_and_the_others_in_its_batch_apply() -> None:
    processor = RefusesPartition(broken=1)
    watch = StallWatch(failures=3)
    batches = InboxBatches(lambda: None, processor, watch)

    await batches.apply(batch(5))

    assert processor.applied == [(0, 5), (2, 5)]
    assert watch.failures(TOPIC, 1) == 1
    assert watch.failures(TOPIC, 0) == watch.failures(TOPIC, 2) == 0


async def test_a_failing_partition_is_then_applied_apart_until_it_advances() -> None:
    processor = RefusesPartition(broken=1)
    watch = StallWatch(failures=3)
    batches = InboxBatches(lambda: None, processor, watch)
    await batches.apply(batch(5))
    processor.calls.clear()

    await batches.apply(batch(5, [1]) + batch(6, [0, 2]))
    assert processor.calls == [[0, 2], [1]]  # no doomed transaction with the others first
    assert [stall.partition for stall in watch.stalls()] == []
    await batches.apply(batch(5, [1]))
    assert [(stall.partition, stall.offset) for stall in watch.stalls()] == [(1, 5)]

    processor.broken = None
    await batches.apply(batch(5, [1]))
    assert watch.stalls() == []
    assert watch.failures(TOPIC, 1) == 0
    assert (1, 5) in processor.applied


async def test_the_traceback_is_logged_once_and_each_retry_is_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    batches = InboxBatches(lambda: None, RefusesPartition(broken=0), StallWatch())
    with caplog.at_level(logging.INFO, logger="consumers.inbox_subscriber"):
        for _ in range(5):
            await batches.apply(batch(3, [0]))

    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(failures) == 5
    assert [r.exc_info is not None for r in failures] == [True, False, False, False, False]
    assert all("\n" not in r.getMessage() for r in failures)
    assert "failed again (5 in a row): PermissionError" in failures[-1].getMessage()
