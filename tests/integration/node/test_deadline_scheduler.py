"""The deadline scheduler as a node service, on real PostgreSQL, with an injected clock."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import cast

import asyncpg
import pytest
import pytest_asyncio

from interforce.node.casework import execute
from interforce.node.deadlines import DeadlineScheduler
from interforce.node.runtime import Node
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.migrator import migrate
from ownership.adapters.record_codec import load_record
from ownership.domain.deadlines import EscalationLevel, ServiceLevels
from ownership.domain.states import TransferState
from producers.translation import outgoing_message
from schemas.directory import ForceDirectory, load_directory
from tests.support.waiting import eventually
from tooling import playbook

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REF = "GMP-2026-000777"
LEVELS = ServiceLevels(acknowledge_days=5, escalate_every_days=3, expire_days_after_due=14)
ACK_DUE = T0.date() + timedelta(days=5)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def set_day(self, day: int) -> None:
        """09:00 on the ``day``th day after the acknowledgement was due."""
        self.now = datetime.combine(ACK_DUE + timedelta(days=day), time(9), UTC)


@dataclass
class Identity:
    force: str = "GMP"
    actor: str = "node:GMP"

    def current_directory(self) -> ForceDirectory:
        """The packaged directory, as a node in development mode reads it."""
        return load_directory()


@dataclass
class StandInNode:
    """What a node service sees of its node: the pool, who it is, the clock, stopping, and
    its audit signer (none here: the log stays an unsigned one, as before signing began)."""

    pool: asyncpg.Pool
    clock: Clock
    identity: Identity = field(default_factory=Identity)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    audit_signer: None = None


@pytest_asyncio.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=4) as pool:
        async with pool.acquire() as connection:
            await migrate(connection)
        yield pool


async def notified(pool: asyncpg.Pool, clock: Clock) -> None:
    steps = playbook.register(REF, T0) + playbook.review_and_notify(
        REF, str(uuid.uuid4()), "WMP", playbook.move("GMP", T0.date()), playbook.profile(0), T0
    )
    for command in steps:
        await execute(pool, command, force="GMP", actor="dc.shah", reason=None,
                      translate=outgoing_message, clock=clock, signer=None)  # fmt: skip


async def outbox(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("select message_type from outbox order by id")
    return [row["message_type"] for row in rows]


async def escalations(pool: asyncpg.Pool) -> list[EscalationLevel]:
    state = await pool.fetchval("select state from offender_records where reference = $1", REF)
    return [e.level for e in load_record(state).escalations]


async def test_the_scheduler_climbs_the_ladder_then_lets_the_transfer_lapse(
    pool: asyncpg.Pool,
) -> None:
    clock = Clock()
    await notified(pool, clock)
    scheduler = DeadlineScheduler(LEVELS, interval=0.05)
    node = StandInNode(pool, clock)
    await scheduler.start(cast(Node, node))
    try:
        clock.set_day(0)
        await asyncio.sleep(0.3)
        assert await escalations(pool) == []
        expected: list[EscalationLevel] = []
        for day, level in zip((1, 4, 7), EscalationLevel, strict=True):
            clock.set_day(day)
            expected.append(level)

            async def climbed(want: list[EscalationLevel] | None = None) -> bool:
                if want is None:
                    want = list(expected)
                return await escalations(pool) == want

            await eventually(climbed, within=10, every=0.05)
        assert await outbox(pool) == ["transfer.notified"] + ["transfer.reminder"] * 3
        clock.set_day(15)

        async def lapsed() -> bool:
            state = await pool.fetchval("select state from offender_records")
            return load_record(state).transfers[0].state is TransferState.EXPIRED

        await eventually(lapsed, within=10, every=0.05)
        await asyncio.sleep(0.2)  # later passes find nothing more to do
        assert (await outbox(pool))[-1:] == ["transfer.cancelled"]
        assert len(await outbox(pool)) == 5
    finally:
        await scheduler.stop()
    assert scheduler.last is not None
    async with pool.acquire() as connection:
        assert (await verify_chain(connection)).intact
    actors = await pool.fetch("select distinct actor from audit_log order by actor")
    assert [row["actor"] for row in actors] == ["dc.shah", "node:GMP"]


class CountingScheduler(DeadlineScheduler):
    """The node's scheduler, noting after each pass how many rungs the record has climbed."""

    def __init__(self, levels: ServiceLevels, interval: float, pool: asyncpg.Pool) -> None:
        super().__init__(levels, interval)
        self._pool = pool
        self.after_each_pass: list[int] = []

    async def _pass(self, node: Node) -> None:
        await super()._pass(node)
        self.after_each_pass.append(len(await escalations(self._pool)))


async def test_a_step_a_month_overdue_climbs_one_rung_per_pass_and_per_interval(
    pool: asyncpg.Pool,
) -> None:
    clock = Clock()
    await notified(pool, clock)
    scheduler = CountingScheduler(LEVELS, interval=0.05, pool=pool)
    await scheduler.start(cast(Node, StandInNode(pool, clock)))
    try:
        for day, rungs in ((30, 1), (32, 1), (33, 2), (35, 2), (36, 3)):
            clock.set_day(day)
            seen = len(scheduler.after_each_pass)

            async def five_more_passes(seen: int = seen) -> bool:
                return len(scheduler.after_each_pass) >= seen + 5

            await eventually(five_more_passes, within=20, every=0.05)
            assert await escalations(pool) == list(EscalationLevel)[:rungs], day
    finally:
        await scheduler.stop()
    counts = scheduler.after_each_pass
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(counts))
    assert await outbox(pool) == ["transfer.notified"] + ["transfer.reminder"] * 3
    state = await pool.fetchval("select state from offender_records where reference = $1", REF)
    assert load_record(state).transfers[0].state is TransferState.NOTIFIED
