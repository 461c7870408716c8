"""Says so when an inbox partition stalls or recovers: one error in the log, an audit entry.

The watch decides; the alarm tells. It also probes, every few seconds, how far the end of
each assigned partition's log is ahead of its stored offset, so a partition whose consumer
stopped polling (nothing fails, nothing advances) is seen too. Audit entries are written in
a transaction of their own; when the database is what is failing they wait, bounded, for the
next check rather than stopping anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiokafka import TopicPartition

from consumers.offsets import stored_offsets
from consumers.stall_watch import Recovery, Stall, StallWatch
from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner

log = logging.getLogger(__name__)

MAX_WAITING_ENTRIES = 1000
PROBE_TIMEOUT_SECONDS = 10.0


class StallAlarm:
    """Logs and audits the watch's changes; probes the consumer's lag for it."""

    def __init__(
        self,
        watch: StallWatch,
        pool: asyncpg.Pool,
        *,
        actor: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        signer: AuditSigner | None = None,
    ) -> None:
        self.watch = watch
        self._pool = pool
        self._signer = signer  # seals its audit entries with the force's key
        self._actor = actor
        self._clock = clock
        self._unwritten: list[AuditEntry] = []
        self._audit_failing = False

    async def check(self) -> None:
        """Tell every change since the last check, and write what could not be written."""
        for change in self.watch.changes():
            self._unwritten.append(self._tell(change))
        await self._write()

    async def probe(self, consumer: Any) -> None:
        """Give the watch each assigned partition's log end and position."""
        if consumer is None:
            return
        assigned = set(consumer.assignment())
        for stall in self.watch.keep_only((tp.topic, tp.partition) for tp in assigned):
            log.warning(
                "%s[%d] stalled at offset %d is no longer assigned to this node",
                stall.topic, stall.partition, stall.offset,
            )  # fmt: skip
        if not assigned:
            return
        ends = await consumer.end_offsets(list(assigned))
        positions = await self._positions(consumer, assigned)
        for tp, end in ends.items():
            key = (tp.topic, tp.partition)
            self.watch.observed(*key, end=end, stored=positions.get(key) if positions else None)

    async def _positions(
        self, consumer: Any, assigned: set[TopicPartition]
    ) -> dict[tuple[str, int], int] | None:
        """Where reading each partition resumes: its stored offset, or for one never read
        here the beginning of its log (as the rebalance listener seeks). None when the
        database does not answer."""
        stored = await self._stored(assigned)
        if stored is None:
            return None
        never_read = [tp for tp in assigned if (tp.topic, tp.partition) not in stored]
        if never_read:
            beginnings = await consumer.beginning_offsets(never_read)
            stored.update({(tp.topic, tp.partition): o for tp, o in beginnings.items()})
        return stored

    async def run(self, consumer: Callable[[], Any], stopping: asyncio.Event, every: float) -> None:
        """Probe and check every `every` seconds until `stopping` is set."""
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), every)
                return
            try:
                async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                    await self.probe(consumer())
            except Exception as error:  # the broker away: the watch keeps what it knew
                log.debug("probing the inbox's lag failed: %r", error)
            await self.check()

    async def _stored(self, assigned: set[TopicPartition]) -> dict[tuple[str, int], int] | None:
        """Stored offsets of the assigned partitions that have one; None when the database
        does not answer."""
        by_topic: dict[str, list[int]] = defaultdict(list)
        for tp in assigned:
            by_topic[tp.topic].append(tp.partition)
        found: dict[tuple[str, int], int] = {}
        try:
            for topic, partitions in by_topic.items():
                offsets = await stored_offsets(self._pool, topic, partitions)
                found.update({(topic, p): offset for p, offset in offsets.items()})
        except Exception as error:
            log.debug("reading stored offsets for the lag probe failed: %r", error)
            return None
        return found

    def _tell(self, change: Stall | Recovery) -> AuditEntry:
        """Log the change once and return its audit entry."""
        if isinstance(change, Stall):
            log.error(
                "%s[%d] stalled at offset %d since %s: %s",
                change.topic, change.partition, change.offset, change.since.isoformat(),
                _why(change),
            )  # fmt: skip
            return self._entry("inbox.partition-stalled", _why(change), change.report())
        log.warning(
            "%s[%d] recovered: advanced from offset %d to %d (stalled since %s)",
            change.topic, change.partition, change.offset, change.next_offset,
            change.stalled_since.isoformat(),
        )  # fmt: skip
        detail = {
            "topic": change.topic,
            "partition": change.partition,
            "offset": change.offset,
            "next_offset": change.next_offset,
            "since": change.stalled_since.isoformat(),
        }
        return self._entry("inbox.partition-recovered", "advancing again", detail)

    def _entry(self, action: str, reason: str, detail: dict[str, Any]) -> AuditEntry:
        return AuditEntry(
            actor=self._actor, action=action, at=self._clock(), reason=reason, detail=detail
        )

    async def _write(self) -> None:
        """Append the unwritten entries in a transaction of their own; keep them on failure."""
        if not self._unwritten:
            return
        del self._unwritten[:-MAX_WAITING_ENTRIES]
        try:
            async with self._pool.acquire() as connection, connection.transaction():
                await append_entries(connection, self._unwritten, signer=self._signer)
        except Exception as error:
            if not self._audit_failing:  # once, not on every check while the database is away
                log.error("cannot audit the inbox's stalls yet, will retry: %r", error)
            self._audit_failing = True
            return
        self._unwritten.clear()
        self._audit_failing = False


def _why(stall: Stall) -> str:
    if stall.failures:
        times = "once" if stall.failures == 1 else f"{stall.failures} times in a row"
        return f"failed {times}: {stall.error}"
    if stall.waiting == 1:
        return "not advancing with a record waiting"
    return f"not advancing with {stall.waiting or 'some'} records waiting"
