"""Trust is configured, not defaulted: outside development mode, `interforce node run` refuses
the packaged directory and any directory listing a key whose private half is in `tests/keys`,
and runs a hand-over with a directory of the forces' own keys."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.support.federation import new_federation, plans, running
from tests.support.nodes import Federation
from tests.support.own_keys import add_published_key, directory_of_own_keys
from tooling.autopilot import Autopilot

pytestmark = pytest.mark.e2e


def node_run(federation: Federation, **settings: str) -> subprocess.CompletedProcess[str]:
    """`interforce node run --force WMP` in `federation`, with only these trust settings."""
    env = federation.env("WMP")
    for name in ("INTERFORCE_DIRECTORY", "INTERFORCE_ENVIRONMENT"):
        env.pop(name, None)
    env.update(settings)
    return subprocess.run(
        [sys.executable, "-m", "interforce", "node", "run", "--force", "WMP"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def force_databases(federation: Federation) -> list[str]:
    connection = await asyncpg.connect(federation.postgres_url)
    try:
        rows = await connection.fetch(
            "select datname from pg_database where datname like $1",
            f"{federation.namespace}\\_%",
        )
    finally:
        await connection.close()
    return [row["datname"] for row in rows]


def the_refusal(done: subprocess.CompletedProcess[str]) -> str:
    """The node's only line of output, after checking it exited with 2 before doing anything."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize("environment", [None, "production"])
async def test_a_node_without_a_directory_exits_naming_the_setting(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path, environment: str | None
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    settings = {"INTERFORCE_ENVIRONMENT": environment} if environment else {}
    line = the_refusal(await asyncio.to_thread(node_run, federation, **settings))
    assert line.startswith("error: INTERFORCE_DIRECTORY is not set: set it to")
    assert "INTERFORCE_ENVIRONMENT=development" in line
    assert await force_databases(federation) == []


async def test_a_node_whose_directory_lists_a_repository_test_key_exits(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    directory, keys = directory_of_own_keys(tmp_path, ("GMP", "WMP"))
    add_published_key(directory, "GMP", "GMP")
    done = await asyncio.to_thread(
        node_run,
        federation,
        INTERFORCE_DIRECTORY=str(directory),
        INTERFORCE_SIGNING_KEY=str(keys["WMP"]),
    )
    line = the_refusal(done)
    assert line.startswith(f"error: the directory {directory} lists keys whose private halves")
    assert "gmp-2024" in line
    assert "INTERFORCE_ENVIRONMENT=development" in line
    assert await force_databases(federation) == []


async def test_production_nodes_with_their_own_keys_hand_over(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    directory, keys = directory_of_own_keys(tmp_path, ("GMP", "WMP"))
    async with running(federation, []) as run:
        for force in ("GMP", "WMP"):
            await run.start(
                force,
                INTERFORCE_ENVIRONMENT="production",
                INTERFORCE_DIRECTORY=str(directory),
                INTERFORCE_SIGNING_KEY=str(keys[force]),
            )
        pilot = Autopilot(run.desks, plans("GMP", "WMP", 2))
        await pilot.begin()
        await pilot.run_until_converged(within=120)
        assert await run.count("WMP", "select count(*) from dead_letters") == 0
        assert await run.count("GMP", "select count(*) from dead_letters") == 0
