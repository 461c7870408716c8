"""Which inbox partitions are not advancing, where they are stuck, and since when.

Fed by the subscriber (each batch applied or failed) and by the lag probe (each assigned
partition's stored offset and the end of its log); read by the alarm and the health report.
A partition is stalled when the batch at its offset has failed `failures` times in a row, or
when records have waited on it for `seconds` without it advancing (an idle partition, with
nothing waiting, is not stuck however long ago it last moved). No I/O: the clock is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.safe_text import safe_text

Partition = tuple[str, int]
"""(topic, partition)"""

ERROR_CHARACTERS = 300


@dataclass(frozen=True)
class Stall:
    """A partition stuck at `offset`, with records waiting there since `since`."""

    topic: str
    partition: int
    offset: int
    since: datetime
    failures: int
    error: str | None
    waiting: int | None
    """Records known to wait on it (from the end of its log), if known."""
    last_advanced: datetime
    """When it last advanced (or this node first saw it)."""

    def report(self) -> dict[str, Any]:
        """The stall as the health report and the audit log show it."""
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "error": self.error,
            "since": self.since.isoformat(),
            "failures": self.failures,
            "waiting": self.waiting,
            "last_advanced": self.last_advanced.isoformat(),
        }


@dataclass(frozen=True)
class Recovery:
    """A stalled partition that advanced again, from `offset` to `next_offset`."""

    topic: str
    partition: int
    offset: int
    next_offset: int
    stalled_since: datetime


@dataclass
class _Progress:
    offset: int
    advanced_at: datetime
    waiting_since: datetime | None = None
    failures: int = 0
    error_type: str | None = None
    error: str | None = None
    end: int | None = None
    reported: bool = False


class StallWatch:
    """Tracks each partition's progress; says which are stalled and what changed."""

    def __init__(
        self,
        *,
        failures: int = 3,
        seconds: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._failures = failures
        self._seconds = seconds
        self._clock = clock
        self._progress: dict[Partition, _Progress] = {}
        self._recovered: list[Recovery] = []

    def advanced(self, topic: str, partition: int, next_offset: int) -> None:
        """A batch on the partition committed; `next_offset` is the next to apply."""
        self._at((topic, partition), next_offset)

    def failed(self, topic: str, partition: int, offset: int, error: BaseException) -> bool:
        """The batch from `offset` failed with `error`; True if this is the first time it
        failed this way (a new offset or another kind of error), so it deserves a traceback."""
        progress = self._at((topic, partition), offset)
        progress.waiting_since = progress.waiting_since or self._clock()
        first = progress.failures == 0 or progress.error_type != type(error).__name__
        progress.failures += 1
        progress.error_type = type(error).__name__
        progress.error = describe(error)
        return first

    def failures(self, topic: str, partition: int) -> int:
        """Consecutive failures of the batch at the partition's offset."""
        progress = self._progress.get((topic, partition))
        return progress.failures if progress is not None else 0

    def observed(self, topic: str, partition: int, *, end: int, stored: int | None) -> None:
        """The probe's reading: the end of the partition's log and, when the database
        answered, its stored offset (which may show an advance the subscriber did not)."""
        key = (topic, partition)
        if stored is not None:
            self._at(key, stored)
        progress = self._progress.get(key)
        if progress is not None:
            progress.end = end
            if end > progress.offset:
                progress.waiting_since = progress.waiting_since or self._clock()

    def keep_only(self, assigned: Iterable[Partition]) -> list[Stall]:
        """Forget partitions no longer assigned here; return those that were stalled."""
        keep = set(assigned)
        gone = [key for key in self._progress if key not in keep]
        released = [self._stall(key) for key in gone if self._progress[key].reported]
        for key in gone:
            del self._progress[key]
        return released

    def stalls(self) -> list[Stall]:
        """Every partition stalled now, in (topic, partition) order."""
        return [self._stall(key) for key in sorted(self._progress) if self._stalled(key)]

    def changes(self) -> list[Stall | Recovery]:
        """What changed since the last call: partitions newly stalled, stalled ones that
        advanced. Each stall is told once, however many times its batch fails again."""
        changes: list[Stall | Recovery] = list(self._recovered)
        self._recovered.clear()
        for key in sorted(self._progress):
            progress = self._progress[key]
            if not progress.reported and self._stalled(key):
                progress.reported = True
                changes.append(self._stall(key))
        return changes

    def _at(self, key: Partition, offset: int) -> _Progress:
        """The partition's progress, moved on to `offset` if that is an advance."""
        now = self._clock()
        progress = self._progress.get(key)
        if progress is None:
            progress = self._progress[key] = _Progress(offset, now)
        elif offset > progress.offset:
            if progress.reported:
                since = progress.waiting_since or progress.advanced_at
                self._recovered.append(Recovery(*key, progress.offset, offset, since))
            progress.offset, progress.advanced_at, progress.waiting_since = offset, now, None
            progress.failures, progress.error_type, progress.error = 0, None, None
            progress.reported = False
        return progress

    def _stalled(self, key: Partition) -> bool:
        progress = self._progress[key]
        if progress.failures >= self._failures:
            return True
        if progress.waiting_since is None:
            return False
        return (self._clock() - progress.waiting_since).total_seconds() >= self._seconds

    def _stall(self, key: Partition) -> Stall:
        progress = self._progress[key]
        waiting = None if progress.end is None else max(0, progress.end - progress.offset)
        since = progress.waiting_since or progress.advanced_at
        return Stall(
            *key,
            progress.offset,
            since,
            progress.failures,
            progress.error,
            waiting,
            progress.advanced_at,
        )


def describe(error: BaseException) -> str:
    """The error's type and message on one line, escaped and bounded for logs and reports."""
    return safe_text(f"{type(error).__name__}: {error}", ERROR_CHARACTERS)
