"""The stall watch: which partitions are stuck, told once, and told again when they move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from consumers.stall_watch import ERROR_CHARACTERS, Recovery, Stall, StallWatch, describe

TOPIC = "interforce.wmp.inbox"
START = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def watch(clock: Clock, failures: int = 3, seconds: float = 60.0) -> StallWatch:
    return StallWatch(failures=failures, seconds=seconds, clock=clock)


def fault(text: str = "permission denied for table inbox") -> Exception:
    return PermissionError(text)


def test_a_batch_that_fails_the_configured_number_of_times_is_stalled() -> None:
    clock = Clock()
    stalls = watch(clock, failures=3)
    stalls.advanced(TOPIC, 0, 7)
    clock.tick(10)
    for n in range(2):
        stalls.failed(TOPIC, 0, 7, fault())
        assert stalls.stalls() == [], f"stalled after {n + 1} failures"
    clock.tick(2)
    stalls.failed(TOPIC, 0, 7, fault())

    (stall,) = stalls.stalls()
    error = "PermissionError: permission denied for table inbox"
    assert stall == Stall(TOPIC, 0, 7, START + timedelta(seconds=10), 3, error, None, START)


def test_a_stall_is_told_once_however_often_the_batch_fails_again() -> None:
    stalls = watch(Clock(), failures=2)
    for _ in range(2):
        stalls.failed(TOPIC, 1, 4, fault())
    first = stalls.changes()
    for _ in range(5):
        stalls.failed(TOPIC, 1, 4, fault())
    assert [type(change) for change in first] == [Stall]
    assert stalls.changes() == []
    assert stalls.stalls()[0].failures == 7


def test_a_stalled_partition_that_advances_recovers_and_is_told_so() -> None:
    clock = Clock()
    stalls = watch(clock, failures=1)
    stalls.failed(TOPIC, 2, 10, fault())
    stalls.changes()
    clock.tick(30)
    stalls.failed(TOPIC, 2, 10, fault())
    stalls.advanced(TOPIC, 2, 12)

    assert stalls.stalls() == []
    assert stalls.failures(TOPIC, 2) == 0
    assert stalls.changes() == [Recovery(TOPIC, 2, 10, 12, START)]
    assert stalls.changes() == []


def test_the_first_failure_and_a_new_kind_of_failure_deserve_a_traceback() -> None:
    stalls = watch(Clock())
    assert stalls.failed(TOPIC, 0, 3, fault()) is True
    assert stalls.failed(TOPIC, 0, 3, fault("another message, same kind")) is False
    assert stalls.failed(TOPIC, 0, 3, LookupError("a new kind")) is True
    stalls.advanced(TOPIC, 0, 5)
    assert stalls.failed(TOPIC, 0, 5, LookupError("a new offset")) is True


def test_failures_count_again_from_one_at_a_new_offset() -> None:
    stalls = watch(Clock(), failures=3)
    stalls.failed(TOPIC, 0, 3, fault())
    stalls.failed(TOPIC, 0, 3, fault())
    stalls.failed(TOPIC, 0, 4, fault())  # the batch read from further on: it advanced
    assert stalls.failures(TOPIC, 0) == 1
    assert stalls.stalls() == []


def test_records_waiting_without_an_advance_for_the_configured_time_is_a_stall() -> None:
    clock = Clock()
    stalls = watch(clock, seconds=60)
    stalls.observed(TOPIC, 0, end=25, stored=20)
    clock.tick(59)
    assert stalls.stalls() == []
    clock.tick(1)

    assert stalls.stalls() == [Stall(TOPIC, 0, 20, START, 0, None, 5, START)]


def test_an_idle_partition_with_nothing_waiting_is_not_stalled() -> None:
    clock = Clock()
    stalls = watch(clock, seconds=60)
    stalls.observed(TOPIC, 0, end=20, stored=20)
    clock.tick(3600)
    assert stalls.stalls() == []


def test_time_counts_from_when_records_began_to_wait_not_from_the_last_advance() -> None:
    clock = Clock()
    stalls = watch(clock, failures=3, seconds=60)
    stalls.advanced(TOPIC, 0, 20)
    clock.tick(3600)  # idle for an hour, then a record arrives and its batch fails once
    stalls.failed(TOPIC, 0, 20, fault())
    assert stalls.stalls() == []
    clock.tick(30)
    stalls.observed(TOPIC, 0, end=21, stored=20)
    assert stalls.stalls() == []
    clock.tick(30)

    (stall,) = stalls.stalls()
    assert stall.since == START + timedelta(seconds=3600)
    assert stall.last_advanced == START


def test_a_partition_that_keeps_advancing_with_records_waiting_is_not_stalled() -> None:
    clock = Clock()
    stalls = watch(clock, seconds=60)
    for offset in range(0, 500, 10):
        stalls.observed(TOPIC, 0, end=1000, stored=offset)
        clock.tick(30)
    assert stalls.stalls() == []


def test_a_failure_proves_records_wait_even_when_the_log_end_is_unknown() -> None:
    clock = Clock()
    stalls = watch(clock, failures=10, seconds=60)
    stalls.failed(TOPIC, 0, 3, fault())
    clock.tick(60)
    assert [stall.offset for stall in stalls.stalls()] == [3]


def test_an_advance_the_probe_reads_from_the_database_counts_as_recovery() -> None:
    clock = Clock()
    stalls = watch(clock, failures=1)
    stalls.failed(TOPIC, 0, 3, fault())
    stalls.changes()
    stalls.observed(TOPIC, 0, end=9, stored=2)  # an older reading moves nothing back
    assert stalls.failures(TOPIC, 0) == 1
    stalls.observed(TOPIC, 0, end=9, stored=9)
    assert stalls.changes() == [Recovery(TOPIC, 0, 3, 9, START)]


def test_the_log_end_of_a_partition_never_read_is_kept_only_once_its_offset_is_known() -> None:
    clock = Clock()
    stalls = watch(clock, seconds=1)
    stalls.observed(TOPIC, 0, end=9, stored=None)  # the database did not answer
    clock.tick(5)
    assert stalls.stalls() == []


def test_partitions_no_longer_assigned_are_forgotten_and_the_stalled_ones_returned() -> None:
    stalls = watch(Clock(), failures=1)
    stalls.failed(TOPIC, 0, 3, fault())
    stalls.advanced(TOPIC, 1, 8)
    stalls.changes()

    released = stalls.keep_only([(TOPIC, 2)])
    assert [(stall.partition, stall.offset) for stall in released] == [(0, 3)]
    assert stalls.stalls() == []
    assert stalls.failures(TOPIC, 0) == 0
    assert stalls.changes() == []


def test_stalls_are_listed_in_topic_and_partition_order() -> None:
    stalls = watch(Clock(), failures=1)
    for partition in (2, 0, 1):
        stalls.failed(TOPIC, partition, 1, fault())
    assert [stall.partition for stall in stalls.stalls()] == [0, 1, 2]


def test_the_report_names_topic_partition_offset_error_since_and_failures() -> None:
    stall = Stall(TOPIC, 1, 42, START, 3, "RaiseError: no", 2, START - timedelta(hours=1))
    assert stall.report() == {
        "topic": TOPIC,
        "partition": 1,
        "offset": 42,
        "error": "RaiseError: no",
        "since": "2026-07-01T09:00:00+00:00",
        "failures": 3,
        "waiting": 2,
        "last_advanced": "2026-07-01T08:00:00+00:00",
    }


def test_an_error_is_described_on_one_bounded_line() -> None:
    assert describe(ValueError("bad\nline\x00")) == "ValueError: bad\\nline\\x00"
    long = describe(ValueError("x" * 10_000))
    assert len(long) == ERROR_CHARACTERS
    assert long.startswith("ValueError: xxx")
    assert long.endswith("... (10012 characters)")
