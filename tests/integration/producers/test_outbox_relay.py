"""The outbox relay over a real PostgreSQL database, with a recording publisher."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from ownership.adapters.audit_log import verify_chain
from ownership.adapters.migrator import migrate
from ownership.adapters.outbox import OutboxMessage, write_outbox
from producers.disclosure import Disclosure
from producers.outbox_rows import OutboxRow
from producers.relay import OutboxRelay, Published, PublisherAnswerError, Sent, Unsendable
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


class RecordingPublisher:
    """Keeps what it was asked to send; refuses rows addressed to `XX`."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    async def __call__(self, rows: Sequence[OutboxRow]) -> list[Published]:
        self.batches.append([row.message_id for row in rows if row.recipient != "XX"])
        return [self.outcome(row) for row in rows]

    def outcome(self, row: OutboxRow) -> Published:
        if row.recipient == "XX":
            return Unsendable(row, "no such force")
        return Sent(row)


class DisclosingPublisher(RecordingPublisher):
    """Answers each row sent with a disclosure naming its recipient."""

    def outcome(self, row: OutboxRow) -> Published:
        disclosure = Disclosure(
            row.recipient, "receiving_force", "a lawful basis", ("offender",), ("notes",)
        )
        return Sent(row, disclosure)


class ForgetfulPublisher(RecordingPublisher):
    """Answers for every row of a batch but its last."""

    async def __call__(self, rows: Sequence[OutboxRow]) -> list[Published]:
        return (await super().__call__(rows))[:-1]


def message(reference: str, recipient: str = "WMY") -> OutboxMessage:
    return OutboxMessage(
        message_id=str(uuid.uuid4()),
        offender_reference=reference,
        recipient=recipient,
        message_type="transfer.notified",
        body={},
    )


@pytest.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(fresh_database, min_size=2, max_size=4) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
        yield pool


async def write(pool: asyncpg.Pool, messages: list[OutboxMessage]) -> None:
    async with pool.acquire() as connection, connection.transaction():
        await write_outbox(connection, messages)


async def test_rows_leave_in_order_in_batches_and_are_marked_sent(pool: asyncpg.Pool) -> None:
    written = [message(f"OFF-{n % 3}") for n in range(7)]
    await write(pool, written)
    publisher = RecordingPublisher()
    relay = OutboxRelay(pool, publisher, actor="node:WMP", batch_size=3)
    assert await relay.drain() == 7
    assert publisher.batches == [
        [m.message_id for m in written[0:3]],
        [m.message_id for m in written[3:6]],
        [m.message_id for m in written[6:7]],
    ]
    assert await pool.fetchval("select count(*) from outbox where sent_at is null") == 0
    sent = await pool.fetch("select disclosed_to from audit_log where action = 'message.sent'")
    assert [row["disclosed_to"] for row in sent] == ["WMY"] * 7
    async with pool.acquire() as connection:
        assert (await verify_chain(connection)).intact


async def test_an_unsendable_row_is_set_aside_and_never_blocks_the_rest(pool: asyncpg.Pool) -> None:
    bad, good = message("OFF-1", recipient="XX"), message("OFF-2")
    await write(pool, [bad, good])
    publisher = RecordingPublisher()
    relay = OutboxRelay(pool, publisher, actor="node:WMP")
    assert await relay.drain() == 2
    assert await relay.drain() == 0  # set aside: never claimed again
    failure = await pool.fetchval(
        "select failure from outbox where message_id = $1", bad.message_id
    )
    assert failure == "no such force"
    assert publisher.batches == [[good.message_id]]
    actions = await pool.fetch("select action from audit_log order by seq")
    assert sorted(row["action"] for row in actions) == ["message.sent", "message.unsendable"]


async def test_the_audit_records_what_the_publisher_answers_was_disclosed(
    pool: asyncpg.Pool,
) -> None:
    written = [message("OFF-1"), message("OFF-2", recipient="BTP")]
    await write(pool, written)
    relay = OutboxRelay(pool, DisclosingPublisher(), actor="node:WMP")
    assert await relay.drain() == 2
    sent = await pool.fetch(
        "select disclosed_to, detail from audit_log where action = 'message.sent' order by seq"
    )
    assert [(row["disclosed_to"], json.loads(row["detail"])) for row in sent] == [
        (
            m.recipient,
            {
                "message_id": m.message_id,
                "transfer_id": None,
                "disclosure_profile": "receiving_force",
                "lawful_basis": "a lawful basis",
                "fields_disclosed": ["offender"],
                "fields_withheld": ["notes"],
            },
        )
        for m in written
    ]


async def test_a_batch_the_publisher_does_not_answer_for_in_full_is_not_marked(
    pool: asyncpg.Pool,
) -> None:
    await write(pool, [message("OFF-1"), message("OFF-2")])
    relay = OutboxRelay(pool, ForgetfulPublisher(), actor="node:WMP")
    with pytest.raises(PublisherAnswerError):
        await relay.relay_once()
    assert await pool.fetchval("select count(*) from outbox where sent_at is null") == 2
    assert await pool.fetchval("select count(*) from audit_log") == 0


async def test_the_relay_wakes_on_notify_and_prunes_old_sent_rows(pool: asyncpg.Pool) -> None:
    publisher = RecordingPublisher()
    relay = OutboxRelay(pool, publisher, actor="node:WMP", poll_seconds=30)
    stopping = asyncio.Event()
    running = asyncio.create_task(relay.run(stopping))
    try:
        await asyncio.sleep(0.3)  # the relay is listening; its next poll is 30 s away
        await write(pool, [message("OFF-1")])

        async def relayed() -> bool:
            return relay.sent_total == 1

        await eventually(relayed, within=10)  # woken by the outbox trigger's NOTIFY
    finally:
        stopping.set()
        await running
    await pool.execute("update outbox set sent_at = $1", datetime.now(UTC) - timedelta(days=31))
    await write(pool, [message("OFF-2")])
    assert await relay.prune(timedelta(days=30)) == 1
    assert await pool.fetchval("select count(*) from outbox") == 1


async def test_only_one_relay_is_active_at_a_time(pool: asyncpg.Pool) -> None:
    first, second = RecordingPublisher(), RecordingPublisher()
    relays = [OutboxRelay(pool, p, actor="node:WMP", poll_seconds=0.1) for p in (first, second)]
    stopping = asyncio.Event()
    tasks = [asyncio.create_task(relay.run(stopping)) for relay in relays]
    try:
        await asyncio.sleep(0.5)
        await write(pool, [message(f"OFF-{n}") for n in range(20)])

        async def all_sent() -> bool:
            return sum(relay.sent_total for relay in relays) == 20

        await eventually(all_sent, within=10)
    finally:
        stopping.set()
        await asyncio.gather(*tasks)
    assert sorted(relay.sent_total for relay in relays) == [0, 20]
