"""Reconciliation on a schedule, as a node service on real PostgreSQL with an injected clock."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import cast

import asyncpg
import pytest

from interforce.bootstrap import node_services
from interforce.node.reconciliation import ScheduledReconciliation
from interforce.node.runtime import Node
from interforce.settings import Settings
from ownership.domain.reconciliation import query_id
from tests.support.waiting import eventually

from .test_deadline_scheduler import REF, Clock, StandInNode, notified, pool

__all__ = ["pool"]

pytestmark = pytest.mark.integration


async def test_each_pass_asks_the_counterparts_about_the_offenders_they_share(
    pool: asyncpg.Pool,
) -> None:
    clock = Clock()
    await notified(pool, clock)
    service = ScheduledReconciliation(interval=0.05, settle=timedelta(minutes=10))
    await service.start(cast(Node, StandInNode(pool, clock)))
    try:
        await asyncio.sleep(0.3)  # the record moved just now: left for a later pass
        assert await pool.fetchval("select count(*) from outbox where recipient = 'WMP'") == 1
        clock.now += timedelta(minutes=11)

        async def asked() -> bool:
            count = await pool.fetchval(
                "select count(*) from outbox where message_type = 'ownership.query'"
            )
            return bool(count)

        await eventually(asked, within=10, every=0.05)
    finally:
        await service.stop()
    row = await pool.fetchrow("select * from outbox where message_type = 'ownership.query' limit 1")
    assert row is not None
    assert (row["recipient"], row["offender_reference"], row["epoch"]) == ("WMP", None, None)
    assert json.loads(row["body"]) == {"offenders": [REF]}
    assert str(row["message_id"]) == query_id("GMP", "WMP", service.last[0].at, 0)


def test_the_node_runs_both_services_unless_turned_off() -> None:
    names = [type(s).__name__ for s in node_services(Settings())]
    assert "DeadlineScheduler" in names
    assert "ScheduledReconciliation" in names
    off = Settings(scheduler_interval_seconds=0, reconcile_interval_seconds=0)
    assert not {"DeadlineScheduler", "ScheduledReconciliation"} & {
        type(s).__name__ for s in node_services(off)
    }
