"""The inbox processor's rules over an in-memory stand-in for its statements.

The same machinery runs over the real PostgreSQL in
tests/integration/consumers/test_inbox_processor.py; here it is fast enough to run for
every mutant (`make mutation`), and each rule is pinned down: dedupe within a batch and
across batches, keyed by sender and id; skipped, rewound and expired records; refusals to
dead letters with their neighbours applied; retries; and what each audit entry says.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from consumers.dead_letters import DeadLetter
from consumers.inbox_processor import Accepted, InboxProcessor
from consumers.records import InboxRecord
from tests.support.standins import TOPIC, Effects, RecordingSink, record

from .memory_database import MemoryPool

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def processor(
    pool: MemoryPool, effects: Effects | None = None, sink: RecordingSink | None = None
) -> InboxProcessor[dict[str, str]]:
    effects = effects or Effects()
    return InboxProcessor(
        pool.as_pool(),
        actor="node:WMP",
        decode=effects.decode,
        apply=effects,
        dead_letters=sink or RecordingSink(),
        clock=lambda: NOW,
        max_backoff_seconds=0.0,
    )


def from_sender(offset: int, sender: str, message_id: str, partition: int = 0) -> InboxRecord:
    body = json.dumps({"sender": sender, "id": message_id, "do": "apply"}).encode()
    return InboxRecord(TOPIC, partition, offset, b"OFF-1", body)


def actions(pool: MemoryPool) -> list[str]:
    return [row[3] for row in pool.tables.audit]


async def test_two_copies_of_a_message_in_one_batch_apply_once_and_one_is_a_duplicate() -> None:
    pool = MemoryPool()
    (outcome,) = await processor(pool).process([record(0, "m1"), record(1, "m1")])
    assert (outcome.applied, outcome.duplicates, outcome.dead_lettered) == (1, 1, 0)
    assert pool.tables.effects == ["m1"]
    assert pool.tables.inbox == [("WMY", "m1")]
    assert actions(pool) == ["message.received", "message.duplicate"]


async def test_the_first_copy_in_a_batch_is_the_one_applied() -> None:
    pool = MemoryPool()
    (outcome,) = await processor(pool).process([record(0, "m1"), record(1, "m2"), record(2, "m1")])
    assert (outcome.applied, outcome.duplicates, outcome.next_offset) == (2, 1, 3)
    positions = [row[7] for row in pool.tables.audit]
    assert [json.loads(p)["position"] for p in positions] == [
        f"{TOPIC}[0]@0",
        f"{TOPIC}[0]@1",
        f"{TOPIC}[0]@2",
    ]
    assert actions(pool) == ["message.received", "message.received", "message.duplicate"]


async def test_the_same_id_from_two_senders_is_two_messages() -> None:
    pool = MemoryPool()
    (outcome,) = await processor(pool).process(
        [from_sender(0, "WMY", "m1"), from_sender(1, "GMP", "m1")]
    )
    assert (outcome.applied, outcome.duplicates) == (2, 0)
    assert pool.tables.effects == ["m1", "m1"]


async def test_a_message_applied_in_an_earlier_batch_is_a_duplicate_no_op() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m1")])
    (outcome,) = await processor(pool).process([record(1, "m1"), record(2, "m2")])
    assert (outcome.applied, outcome.duplicates, outcome.skipped) == (1, 1, 0)
    assert pool.tables.effects == ["m1", "m2"]


async def test_a_duplicate_is_audited_with_who_sent_it_and_where_it_was_read() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m1"), record(1, "m1")])
    seq, at, actor, action, subject, reason, disclosed, detail = pool.tables.audit[1][:8]
    assert (seq, at, actor, action, subject, reason, disclosed) == (
        2,
        NOW,
        "node:WMP",
        "message.duplicate",
        "m1",
        "already applied; no-op",
        None,
    )
    assert json.loads(detail) == {
        "sender": "WMY",
        "message_id": "m1",
        "type": "test.message",
        "position": f"{TOPIC}[0]@1",
    }


async def test_an_applied_message_is_audited_with_its_type() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m1")])
    (row,) = pool.tables.audit
    assert row[2:7] == ("node:WMP", "message.received", "m1", "test.message", None)
    assert pool.tables.audit[0][8] == bytes(32)  # the first row of a chain follows genesis


async def test_an_empty_batch_does_nothing() -> None:
    pool = MemoryPool()
    assert await processor(pool).process([]) == []
    assert pool.connection.statements == []


async def test_refusals_go_to_dead_letters_and_their_neighbours_apply() -> None:
    pool, sink = MemoryPool(), RecordingSink()
    batch = [
        record(0, "m1"),
        InboxRecord(TOPIC, 0, 1, None, b"{truncated"),
        record(2, "m2", do="refuse"),
        record(3, "m3", do="crash"),
        record(4, "m4"),
        record(5, "m5", do="refuse-and-keep"),
    ]
    (outcome,) = await processor(pool, sink=sink).process(batch)
    assert pool.tables.effects == ["m1", "m4", "m5"]
    expected = [(1, "not-json"), (2, "role-violation"), (3, "internal-error"), (5, "stale-epoch")]
    assert [(letter.record.offset, letter.reason) for letter in sink.letters] == expected
    assert [(key[2], row[3]) for key, row in pool.tables.dead_letters.items()] == expected
    assert (outcome.applied, outcome.dead_lettered, outcome.next_offset) == (2, 4, 6)
    assert outcome.reasons == [reason for _, reason in expected]
    assert outcome.one_by_one
    assert pool.tables.offsets == {(TOPIC, 0): 6}


async def test_a_dead_letter_names_the_sender_and_message_it_came_from() -> None:
    pool, sink = MemoryPool(), RecordingSink()
    await processor(pool, sink=sink).process([record(0, "m2", do="refuse")])
    (letter,) = sink.letters
    assert letter == DeadLetter(
        record(0, "m2", do="refuse"),
        "role-violation",
        "only the named receiver acknowledges",
        "WMY",
        "m2",
    )
    assert pool.tables.dead_letters[(TOPIC, 0, 0)] == (
        TOPIC,
        0,
        0,
        "role-violation",
        "only the named receiver acknowledges",
        "WMY",
        "m2",
        b"OFF-1",
        record(0, "m2", do="refuse").value,
    )
    (row,) = pool.tables.audit
    assert row[2:7] == ("node:WMP", "message.dead-lettered", None, "role-violation", None)
    assert json.loads(row[7]) == {
        "position": f"{TOPIC}[0]@0",
        "detail": "only the named receiver acknowledges",
        "sender": "WMY",
        "message_id": "m2",
    }
    # the refused message's key is kept: a replay of it is a duplicate, not a second try
    assert pool.tables.inbox == [("WMY", "m2")]


async def test_a_message_the_domain_refuses_but_keeps_is_applied_audited_and_dead_lettered() -> (
    None
):
    pool, sink = MemoryPool(), RecordingSink()
    (outcome,) = await processor(pool, sink=sink).process([record(0, "m5", do="refuse-and-keep")])
    assert (outcome.applied, outcome.dead_lettered, outcome.one_by_one) == (0, 1, False)
    assert pool.tables.effects == ["m5"]
    assert actions(pool) == ["message.received", "message.dead-lettered"]
    assert [(letter.reason, letter.sender, letter.message_id) for letter in sink.letters] == [
        ("stale-epoch", "WMY", "m5")
    ]


async def test_a_clean_batch_is_applied_together_and_written_once() -> None:
    pool, effects = MemoryPool(), Effects()
    (outcome,) = await processor(pool, effects).process([record(o, f"m{o}") for o in range(5)])
    assert (outcome.applied, outcome.one_by_one, effects.writes, outcome.attempts) == (
        5,
        False,
        1,
        1,
    )
    assert pool.tables.effects == ["m0", "m1", "m2", "m3", "m4"]


async def test_a_replayed_batch_is_skipped_and_changes_nothing() -> None:
    pool, sink = MemoryPool(), RecordingSink()
    batch = [record(0, "m1"), record(1, "m2", do="refuse"), record(2, "m3")]
    await processor(pool, sink=sink).process(batch)
    (replayed,) = await processor(pool, sink=sink).process(batch)
    assert (replayed.skipped, replayed.applied, replayed.dead_lettered) == (3, 0, 0)
    assert (replayed.duplicates, replayed.next_offset, replayed.rewind_to) == (0, 3, None)
    assert pool.tables.effects == ["m1", "m3"]
    assert len(sink.letters) == 1


async def test_a_batch_overlapping_the_stored_offset_applies_only_the_new_records() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m0"), record(1, "m1")])
    (outcome,) = await processor(pool).process([record(1, "m1"), record(2, "m2")])
    assert (outcome.skipped, outcome.applied, outcome.duplicates) == (1, 1, 0)
    assert (outcome.next_offset, pool.tables.offsets) == (3, {(TOPIC, 0): 3})


async def test_records_arrive_out_of_order_and_apply_in_offset_order() -> None:
    pool = MemoryPool()
    (outcome,) = await processor(pool).process([record(2, "m2"), record(0, "m0"), record(1, "m1")])
    assert pool.tables.effects == ["m0", "m1", "m2"]
    assert outcome.next_offset == 3


async def test_a_transient_fault_retries_the_batch_without_double_effects() -> None:
    pool, effects = MemoryPool(), Effects(conflicts_left=2)
    (outcome,) = await processor(pool, effects).process(
        [record(0, "m1"), record(1, "m2", do="conflict"), record(2, "m3")]
    )
    assert (outcome.attempts, outcome.applied, outcome.duplicates) == (3, 3, 0)
    assert pool.tables.effects == ["m1", "m2", "m3"]
    assert pool.tables.inbox == [("WMY", "m1"), ("WMY", "m2"), ("WMY", "m3")]


async def test_partitions_apply_and_advance_independently() -> None:
    pool = MemoryPool()
    outcomes = await processor(pool).process(
        [record(0, "a1", partition=0), record(0, "b1", partition=1), record(1, "a2", partition=0)]
    )
    assert [(o.topic, o.partition, o.applied, o.next_offset) for o in outcomes] == [
        (TOPIC, 0, 2, 2),
        (TOPIC, 1, 1, 1),
    ]
    assert pool.tables.offsets == {(TOPIC, 0): 2, (TOPIC, 1): 1}


async def test_records_read_past_unread_ones_are_not_applied_but_read_again() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m0"), record(1, "m1")])
    (outcome,) = await processor(pool).process([record(4, "m4"), record(5, "m5")])
    assert (outcome.rewind_to, outcome.next_offset, outcome.applied, outcome.skipped) == (
        2,
        2,
        0,
        2,
    )
    assert pool.tables.effects == ["m0", "m1"]
    assert pool.tables.inbox == [("WMY", "m0"), ("WMY", "m1")]
    assert pool.tables.offsets == {(TOPIC, 0): 2}


async def test_a_rewound_partition_does_not_hold_back_another() -> None:
    pool = MemoryPool()
    outcomes = await processor(pool).process(
        [record(3, "a3", partition=0), record(0, "b0", partition=1)]
    )
    assert [(o.partition, o.rewind_to, o.applied) for o in outcomes] == [(0, 0, 0), (1, None, 1)]
    assert pool.tables.effects == ["b0"]


async def test_records_expired_from_the_topic_are_counted_stored_and_audited() -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m0"), record(1, "m1")])
    lost = await processor(pool).expire(TOPIC, 0, 7)
    assert lost == 5
    assert pool.tables.offsets == {(TOPIC, 0): 7}
    row = pool.tables.audit[-1]
    assert row[1:7] == (
        NOW,
        "node:WMP",
        "inbox.records-expired",
        None,
        "5 records deleted from the topic before they were read",
        None,
    )
    assert json.loads(row[7]) == {"topic": TOPIC, "partition": 0, "from": 2, "to": 7}


@pytest.mark.parametrize("first_kept", [0, 2])
async def test_nothing_is_lost_when_the_topic_kept_every_unread_record(first_kept: int) -> None:
    pool = MemoryPool()
    await processor(pool).process([record(0, "m0"), record(1, "m1")])
    audited = len(pool.tables.audit)
    assert await processor(pool).expire(TOPIC, 0, first_kept) == 0
    assert pool.tables.offsets == {(TOPIC, 0): 2}
    assert len(pool.tables.audit) == audited


async def test_every_duplicate_in_a_batch_is_counted() -> None:
    pool = MemoryPool()
    (outcome,) = await processor(pool).process([record(0, "m1"), record(1, "m1"), record(2, "m1")])
    assert (outcome.applied, outcome.duplicates) == (1, 2)


async def test_a_fault_of_ours_is_dead_lettered_with_what_was_raised() -> None:
    pool, sink = MemoryPool(), RecordingSink()
    await processor(pool, sink=sink).process([record(0, "m3", do="crash")])
    (letter,) = sink.letters
    assert (letter.reason, letter.detail) == (
        "internal-error",
        "ZeroDivisionError while applying: a bug of ours",
    )


async def test_a_transient_fault_applying_one_by_one_retries_the_batch() -> None:
    pool, effects = MemoryPool(), Effects(conflicts_left=1)
    batch = [record(0, "m1", do="refuse"), record(1, "m2", do="conflict"), record(2, "m3")]
    (outcome,) = await processor(pool, effects).process(batch)
    # together: m1 refused -> one by one: m2 conflicts (transient) -> the whole batch again
    assert (outcome.attempts, outcome.applied, outcome.dead_lettered) == (2, 2, 1)
    assert pool.tables.effects == ["m2", "m3"]


async def test_what_happened_is_logged_for_the_operator(caplog: pytest.LogCaptureFixture) -> None:
    pool = MemoryPool()
    caplog.set_level(logging.INFO, logger="consumers.inbox_processor")
    await processor(pool, Effects(conflicts_left=1)).process(
        [record(0, "m1", do="conflict"), record(1, "m2", do="crash")]
    )
    await processor(pool).process([record(9, "m9")])
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    position = f"{TOPIC}[0]@"
    assert messages == [
        (
            "WARNING",
            f"transient fault applying 2 records from {position}0 (attempt 1), retrying:"
            " ConcurrentUpdateError('record changed underneath')",
        ),
        (
            "INFO",
            f"2 messages from {position}0 fail together"
            " (ZeroDivisionError('a bug of ours')): applying them one by one",
        ),
        (
            "ERROR",
            f"dead-lettered {position}1: internal-error: ZeroDivisionError while applying:"
            " a bug of ours",
        ),
        (
            "ERROR",
            f"{position}9: read from offset 9, but offset 2 is the next not yet applied:"
            " reading again from 2",
        ),
    ]


class BrokenSink:
    """A dead-letter sink with a bug: every send fails the same way."""

    def __init__(self) -> None:
        self.sends = 0

    async def send(self, letters: Sequence[DeadLetter]) -> None:
        self.sends += 1
        raise RuntimeError("a bug in the sink")


async def test_a_fault_that_will_not_go_away_is_raised_at_once_and_nothing_is_kept() -> None:
    pool, sink = MemoryPool(), BrokenSink()
    inbox = InboxProcessor(
        pool.as_pool(),
        actor="node:WMP",
        decode=Effects().decode,
        apply=Effects(),
        dead_letters=sink,
        max_backoff_seconds=0.0,
    )
    with pytest.raises(RuntimeError, match="a bug in the sink"):
        await inbox.process([record(0, "m1"), record(1, "m2", do="refuse")])
    assert sink.sends == 1
    assert (pool.tables.effects, pool.tables.inbox, pool.tables.offsets) == ([], [], {})


class Signer:
    """Seals with a made-up key, and keeps what it signed."""

    force = "WMP"

    def __init__(self) -> None:
        self.signed: list[bytes] = []

    def sign(self, message: bytes) -> tuple[str, bytes]:
        self.signed.append(message)
        return "wmp-audit-1", b"signature"


async def test_each_batch_and_each_expiry_is_sealed_on_its_last_audit_row() -> None:
    pool, signer = MemoryPool(), Signer()
    effects = Effects()
    inbox = InboxProcessor(
        pool.as_pool(),
        actor="node:WMP",
        decode=effects.decode,
        apply=effects,
        dead_letters=RecordingSink(),
        clock=lambda: NOW,
        signer=signer,
    )
    await inbox.process([record(0, "m1"), record(1, "m1")])
    await inbox.expire(TOPIC, 0, 5)
    assert [row[10:] for row in pool.tables.audit] == [
        (None, None, None),
        (1, "wmp-audit-1", b"signature"),
        (3, "wmp-audit-1", b"signature"),
    ]
    assert len(signer.signed) == 2


async def test_a_record_the_decoder_fails_on_is_dead_lettered_and_its_batch_applies(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool, sink, effects = MemoryPool(), RecordingSink(), Effects()

    def decode(item: InboxRecord) -> Accepted[dict[str, str]]:
        if item.offset == 1:
            raise KeyError("sender")
        return effects.decode(item)

    inbox = InboxProcessor(
        pool.as_pool(),
        actor="node:WMP",
        decode=decode,
        apply=effects,
        dead_letters=sink,
        clock=lambda: NOW,
    )
    caplog.set_level(logging.WARNING, logger="consumers.inbox_processor")
    (outcome,) = await inbox.process([record(0, "m0"), record(1, "m1"), record(2, "m2")])
    assert (outcome.applied, outcome.dead_lettered, outcome.next_offset) == (2, 1, 3)
    (letter,) = sink.letters
    assert (letter.record.offset, letter.reason, letter.detail) == (
        1,
        "internal-error",
        "KeyError while decoding: 'sender'",
    )
    assert isinstance(letter.fault, KeyError)
    (logged,) = caplog.records
    assert (logged.levelname, logged.exc_info is not None) == ("ERROR", True)
    assert pool.tables.effects == ["m0", "m2"]


async def test_a_refusal_is_logged_as_a_warning_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="consumers.inbox_processor")
    await processor(MemoryPool()).process([record(0, "m2", do="refuse")])
    (logged,) = caplog.records
    assert (logged.levelname, logged.exc_info) == ("WARNING", None)


async def test_a_fault_of_ours_applying_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="consumers.inbox_processor")
    sink = RecordingSink()
    await processor(MemoryPool(), sink=sink).process([record(0, "m3", do="crash")])
    assert isinstance(sink.letters[0].fault, ZeroDivisionError)
    (logged,) = [r for r in caplog.records if r.getMessage().startswith("dead-lettered")]
    assert logged.exc_info is not None
