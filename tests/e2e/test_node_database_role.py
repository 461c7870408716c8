"""A node that runs as its own database role (`interforce db role`), not as a superuser."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from interforce.database import force_database_name
from ownership.adapters.node_role import node_role_name
from tests.support.federation import new_federation, plans, running
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e


async def test_a_node_runs_as_its_own_role(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    database = force_database_name("WMP", federation.namespace)
    role = node_role_name(database)
    made = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "interforce", "db", "role", "--force", "WMP"],
        env=federation.env("WMP"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert role in made.stdout
    planned = plans("GMP", "WMP", 2)
    try:
        async with running(federation, []) as run:
            await run.start("GMP")
            await run.start("WMP", INTERFORCE_DATABASE_USER=role)
            pilot = Autopilot(run.desks, planned)
            await pilot.begin()
            await pilot.run_until_converged(within=120)
            users = await run.desks["WMP"].pool.fetch(
                "select distinct usename from pg_stat_activity where datname = current_database()"
            )
            assert role in {row["usename"] for row in users}
            assert await run.count("WMP", "select count(*) from audit_log") > 0
            assert await run.audit_intact("WMP")
    finally:
        admin = await asyncpg.connect(postgres_url)
        try:
            await admin.execute(f'drop role if exists "{role}"')
        finally:
            await admin.close()
