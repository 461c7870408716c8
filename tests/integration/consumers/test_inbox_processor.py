"""The inbox processor applies each message exactly once over a real PostgreSQL database.

The decoder and the effect are stand-ins here (the node's own are tested end to end); what
is under test is the machinery: inbox dedupe, savepoints, stored offsets, dead letters,
retries and the audit chain.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest

from consumers.inbox_processor import InboxProcessor
from consumers.records import InboxRecord
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.migrator import migrate
from schemas.safe_text import DETAIL_LIMIT
from tests.support.standins import TOPIC, Effects, RecordingSink, record

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=4) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
            await connection.execute("create table effects (message_id text)")
        yield pool


def processor(
    pool: asyncpg.Pool, effects: Effects, sink: RecordingSink
) -> InboxProcessor[dict[str, str]]:
    return InboxProcessor(
        pool,
        actor="node:WMP",
        decode=effects.decode,
        apply=effects,
        dead_letters=sink,
        max_backoff_seconds=0.05,
    )


async def effect_ids(pool: asyncpg.Pool) -> list[str]:
    return [row["message_id"] for row in await pool.fetch("select * from effects order by 1")]


async def test_each_message_applies_once_and_duplicates_are_no_ops(pool: asyncpg.Pool) -> None:
    sink = RecordingSink()
    (outcome,) = await processor(pool, Effects(), sink).process(
        [record(0, "m1"), record(1, "m2"), record(2, "m1"), record(3, "m3")]
    )
    assert (outcome.applied, outcome.duplicates, outcome.next_offset) == (3, 1, 4)
    assert await effect_ids(pool) == ["m1", "m2", "m3"]
    assert sink.letters == []


async def test_two_copies_of_a_message_in_one_batch_apply_once(pool: asyncpg.Pool) -> None:
    (outcome,) = await processor(pool, Effects(), RecordingSink()).process(
        [record(0, "m1"), record(1, "m1")]
    )
    assert (outcome.applied, outcome.duplicates, outcome.next_offset) == (1, 1, 2)
    assert await effect_ids(pool) == ["m1"]
    inbox = await pool.fetch("select sender, message_id from inbox")
    assert [tuple(row) for row in inbox] == [("WMY", "m1")]
    actions = [
        row["action"] for row in await pool.fetch("select action from audit_log order by seq")
    ]
    assert actions == ["message.received", "message.duplicate"]


async def test_the_same_id_from_two_senders_is_two_messages(pool: asyncpg.Pool) -> None:
    def sent_by(offset: int, sender: str) -> InboxRecord:
        body = json.dumps({"sender": sender, "id": "m1", "do": "apply"}).encode()
        return InboxRecord(TOPIC, 0, offset, b"OFF-1", body)

    (outcome,) = await processor(pool, Effects(), RecordingSink()).process(
        [sent_by(0, "WMY"), sent_by(1, "GMP")]
    )
    assert (outcome.applied, outcome.duplicates) == (2, 0)
    assert await effect_ids(pool) == ["m1", "m1"]


async def test_a_clean_batch_is_applied_together_and_written_once(pool: asyncpg.Pool) -> None:
    effects = Effects()
    (outcome,) = await processor(pool, effects, RecordingSink()).process(
        [record(offset, f"m{offset}") for offset in range(5)]
    )
    assert (outcome.applied, outcome.one_by_one, effects.writes) == (5, False, 1)
    assert await effect_ids(pool) == ["m0", "m1", "m2", "m3", "m4"]


async def test_refusals_go_to_dead_letters_and_neighbours_still_apply(pool: asyncpg.Pool) -> None:
    sink = RecordingSink()
    batch = [
        record(0, "m1"),
        InboxRecord(TOPIC, 0, 1, None, b"{truncated"),
        record(2, "m2", do="refuse"),
        record(3, "m3", do="crash"),
        record(4, "m4"),
        record(5, "m5", do="refuse-and-keep"),
    ]
    (outcome,) = await processor(pool, Effects(), sink).process(batch)

    # the refused ones' savepoints rolled back, except the refusal the domain recorded
    assert await effect_ids(pool) == ["m1", "m4", "m5"]
    expected = [(1, "not-json"), (2, "role-violation"), (3, "internal-error"), (5, "stale-epoch")]
    assert [(letter.record.offset, letter.reason) for letter in sink.letters] == expected
    rows = await pool.fetch('select "offset", reason from dead_letters order by 1')
    assert [(row["offset"], row["reason"]) for row in rows] == expected
    assert (outcome.applied, outcome.dead_lettered, outcome.next_offset) == (2, 4, 6)
    # applied together, m2 was refused: everything went again one by one, each written alone
    assert outcome.one_by_one


async def test_a_record_the_decoder_fails_on_is_its_dead_letter_and_never_the_batchs(
    pool: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    sink = RecordingSink()
    batch = [
        record(0, "m1"),
        record(1, "m2", do="crash-decoder"),
        record(2, "m3", do="refuse"),  # applied together fails: the batch is decoded again
        record(3, "m4"),
    ]
    with caplog.at_level(logging.INFO, logger="consumers.inbox_processor"):
        (outcome,) = await processor(pool, Effects(), sink).process(batch)

    assert await effect_ids(pool) == ["m1", "m4"]
    assert (outcome.applied, outcome.dead_lettered, outcome.next_offset) == (2, 2, 4)
    (crashed, _refused) = sink.letters
    assert (crashed.record.offset, crashed.reason) == (1, "internal-error")
    assert crashed.detail.startswith("OverflowError while decoding: a bug of ours")
    row = await pool.fetchrow('select detail, key, value from dead_letters where "offset" = 1')
    assert row is not None
    assert (row["detail"], row["key"], row["value"]) == (crashed.detail, b"OFF-1", batch[1].value)
    tracebacks = [r for r in caplog.records if r.exc_info and "@1" in r.getMessage()]
    assert len(tracebacks) == 1
    assert tracebacks[0].levelno == logging.ERROR


async def test_a_transient_fault_in_the_decoder_retries_the_batch(pool: asyncpg.Pool) -> None:
    sink = RecordingSink()
    effects = Effects(decoder_away_left=2)
    (outcome,) = await processor(pool, effects, sink).process(
        [record(0, "m1"), record(1, "m2", do="decoder-away")]
    )
    assert (outcome.attempts, outcome.applied, sink.letters) == (3, 2, [])
    assert await effect_ids(pool) == ["m1", "m2"]


async def test_a_dead_letter_keeps_the_bytes_and_a_bounded_escaped_detail(
    pool: asyncpg.Pool,
) -> None:
    sink = RecordingSink()
    batch = [record(0, "m1", do="refuse-at-length")]
    await processor(pool, Effects(), sink).process(batch)
    row = await pool.fetchrow("select reason, detail, value from dead_letters")
    assert row is not None
    assert row["reason"] == "body-invalid"
    assert row["detail"].startswith("member\\nnot allowed: kkk")
    assert len(row["detail"]) <= DETAIL_LIMIT
    assert row["value"] == batch[0].value
    (letter,) = sink.letters
    assert letter.headers()["interforce-detail"] == row["detail"]


async def test_a_replayed_batch_changes_nothing(pool: asyncpg.Pool) -> None:
    sink = RecordingSink()
    batch = [record(0, "m1"), record(1, "m2", do="refuse"), record(2, "m3")]
    await processor(pool, Effects(), sink).process(batch)
    (replayed,) = await processor(pool, Effects(), sink).process(batch)
    assert (replayed.skipped, replayed.applied, replayed.dead_lettered) == (3, 0, 0)
    assert await effect_ids(pool) == ["m1", "m3"]
    assert len(sink.letters) == 1


async def test_a_transient_fault_retries_the_partition_without_double_effects(
    pool: asyncpg.Pool,
) -> None:
    effects = Effects(conflicts_left=2)
    (outcome,) = await processor(pool, effects, RecordingSink()).process(
        [record(0, "m1"), record(1, "m2", do="conflict"), record(2, "m3")]
    )
    assert (outcome.attempts, outcome.applied) == (3, 3)
    assert await effect_ids(pool) == ["m1", "m2", "m3"]


async def test_partitions_apply_independently(pool: asyncpg.Pool) -> None:
    outcomes = await processor(pool, Effects(), RecordingSink()).process(
        [record(0, "a1", partition=0), record(0, "b1", partition=1), record(1, "a2", partition=0)]
    )
    assert sorted((o.partition, o.applied, o.next_offset) for o in outcomes) == [
        (0, 2, 2),
        (1, 1, 1),
    ]
    offsets = await pool.fetch("select partition, next_offset from consumed_offsets order by 1")
    assert [tuple(row) for row in offsets] == [(0, 2), (1, 1)]


async def test_every_step_is_audited_in_an_intact_chain(pool: asyncpg.Pool) -> None:
    await processor(pool, Effects(), RecordingSink()).process(
        [record(0, "m1"), record(1, "m1"), record(2, "m2", do="refuse")]
    )
    actions = [
        row["action"] for row in await pool.fetch("select action from audit_log order by seq")
    ]
    assert actions == ["message.received", "message.duplicate", "message.dead-lettered"]
    async with pool.acquire() as connection:
        report = await verify_chain(connection)
    assert (report.intact, report.rows_checked) == (True, 3)


async def test_records_read_past_unread_ones_are_not_applied_but_read_again(
    pool: asyncpg.Pool,
) -> None:
    effects = Effects()
    await processor(pool, effects, RecordingSink()).process([record(0, "m0"), record(1, "m1")])
    # the consumer was put at offset 4 (Kafka's committed offset, say): 2 and 3 never came
    (outcome,) = await processor(pool, effects, RecordingSink()).process(
        [record(4, "m4"), record(5, "m5")]
    )
    assert (outcome.rewind_to, outcome.applied, outcome.skipped) == (2, 0, 2)
    assert await effect_ids(pool) == ["m0", "m1"]
    assert await pool.fetchval("select next_offset from consumed_offsets") == 2
