"""Faults while transfers flow: every transfer converges, nothing lost, nothing applied twice.

Each test plays transfers from GMP to WMP through real node processes on the fault tests' own
broker and database, breaks something in the middle, and checks convergence and the counts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.faults.conftest import OwnServices
from tests.support.convergence import assert_converged
from tests.support.federation import Running, new_federation, plans, running
from tests.support.waiting import eventually
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e

OFFENDERS = 20


@contextlib.asynccontextmanager
async def gmp_to_wmp(services: OwnServices, logs: Path) -> AsyncIterator[tuple[Running, Autopilot]]:
    """GMP's and WMP's nodes on the fault tests' services, and an autopilot for OFFENDERS."""
    federation = new_federation(services.kafka_bootstrap, services.postgres_url, logs)
    async with running(federation, ["GMP", "WMP"]) as run:
        yield run, Autopilot(run.desks, plans("GMP", "WMP", OFFENDERS))


async def inbox_rows(run: Running, force: str) -> int:
    return await run.count(force, "select count(*) from inbox")


async def test_a_node_killed_mid_batch_and_restarted(
    own_services: OwnServices, tmp_path: Path
) -> None:
    async with gmp_to_wmp(own_services, tmp_path) as (run, pilot):
        begin = asyncio.create_task(pilot.begin())

        async def some_applied() -> bool:
            return await inbox_rows(run, "WMP") > 0

        await eventually(some_applied, within=60, every=0.02)
        run.nodes["WMP"][0].kill()
        await begin
        await run.start_instance("WMP", 2)
        await pilot.run_until_converged(within=180)
        await assert_converged(run, pilot.plans, "GMP", "WMP")


async def test_the_broker_restarted_while_messages_flow(
    own_services: OwnServices, tmp_path: Path
) -> None:
    async with gmp_to_wmp(own_services, tmp_path) as (run, pilot):
        await pilot.begin()
        await pilot.step()  # acknowledgements are on their way
        await own_services.restart_kafka(down_for=3)
        await pilot.run_until_converged(within=240)
        await assert_converged(run, pilot.plans, "GMP", "WMP")


async def test_postgres_restarted_while_messages_flow(
    own_services: OwnServices, tmp_path: Path
) -> None:
    async with gmp_to_wmp(own_services, tmp_path) as (run, pilot):
        await pilot.begin()
        await pilot.step()
        await own_services.restart_postgres(down_for=3)
        await pilot.run_until_converged(within=240)
        await assert_converged(run, pilot.plans, "GMP", "WMP")


async def test_the_whole_inbox_replayed_from_offset_zero(
    own_services: OwnServices, tmp_path: Path
) -> None:
    async with gmp_to_wmp(own_services, tmp_path) as (run, pilot):
        await pilot.begin()
        await pilot.run_until_converged(within=180)
        before = await assert_converged(run, pilot.plans, "GMP", "WMP")

        assert run.nodes["WMP"][0].terminate() == 0
        await run.desks["WMP"].pool.execute("delete from consumed_offsets")
        await run.start_instance("WMP", 2)

        async def replayed() -> bool:
            consumed = await run.count(
                "WMP", "select coalesce(sum(next_offset), 0) from consumed_offsets"
            )
            return consumed >= 2 * OFFENDERS

        await eventually(replayed, within=60)
        after = await assert_converged(run, pilot.plans, "GMP", "WMP")
        assert after[1].duplicates - before[1].duplicates == 2 * OFFENDERS
        assert after[1].inbox == before[1].inbox


async def test_two_instances_of_a_node_with_one_killed(
    own_services: OwnServices, tmp_path: Path
) -> None:
    async with gmp_to_wmp(own_services, tmp_path) as (run, pilot):
        await run.start_instance("WMP", 2)
        await pilot.begin()
        await pilot.step()

        async def some_applied() -> bool:
            return await inbox_rows(run, "GMP") > 0

        await eventually(some_applied, within=60, every=0.05)
        run.nodes["WMP"][0].kill()
        await pilot.run_until_converged(within=240)
        await assert_converged(run, pilot.plans, "GMP", "WMP")
