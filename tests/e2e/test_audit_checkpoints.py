"""A running node checkpoints its audit log at start, on its interval and at clean shutdown, on
its own topic as well as in its database; `audit verify` then finds a tail cut from both."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from interforce.audit.topic import read_checkpoints
from interforce.settings import Settings
from schemas.topics import audit_topic
from tests.support.federation import Running, new_federation
from tests.support.waiting import eventually
from tooling import playbook

pytestmark = pytest.mark.e2e


async def test_a_nodes_checkpoints_reach_the_topic_and_find_a_cut_tail(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    run = Running(new_federation(kafka_bootstrap, postgres_url, tmp_path))
    try:
        node = await run.start("GMP", INTERFORCE_AUDIT_CHECKPOINT_SECONDS="1")
        desk = run.desks["GMP"]
        for n in range(3):
            await desk.run(playbook.register(f"GMP-2026-{n:06d}", datetime.now(UTC), n))
        rows = await run.count("GMP", "select count(*) from audit_log")

        async def checkpointed_on_interval() -> bool:
            longest = "select coalesce(max(length), 0) from audit_checkpoints"
            return await run.count("GMP", longest) == rows

        await eventually(checkpointed_on_interval, within=20)
        assert node.terminate() == 0
        topic = audit_topic("GMP", run.federation.namespace)
        on_topic = await read_checkpoints(Settings(kafka_bootstrap=kafka_bootstrap), topic)
        assert on_topic.error is None
        assert on_topic.checkpoints[0].length == 0  # signed as the node started
        assert max(c.length for c in on_topic.checkpoints) == rows

        verified = run.audit_verify_cli("GMP")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert verified.stdout.startswith(f"ok: {rows} rows, chain intact\n")

        await _cut_tail_and_its_checkpoints(run.url("GMP"), keep=rows - 2)
        verified = run.audit_verify_cli("GMP")
        assert verified.returncode == 1, verified.stdout + verified.stderr
        assert verified.stdout.startswith(
            f"BROKEN at row {rows - 1}: rows {rows - 1}–{rows} missing: checkpoint at"
        )
        assert f"signed length {rows}, the log has {rows - 2}" in verified.stdout
    finally:
        await run.close()


async def _cut_tail_and_its_checkpoints(url: str, keep: int) -> None:
    """A superuser's cut: the last rows and every checkpoint in the database, triggers off."""
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            await connection.execute("set local session_replication_role = replica")
            await connection.execute("delete from audit_log where seq > $1", keep)
            await connection.execute("delete from audit_checkpoints")
    finally:
        await connection.close()
