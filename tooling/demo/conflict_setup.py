"""How the demo gets a two-owner conflict: a force's view restored wrongly, then reconciled.

A node never makes two owners itself, so the demo rewrites one force's view of a handed-over
record to say that it still owns it (as a restore from a backup taken before the handover
might), then runs `interforce reconcile` at both forces, which raises the conflict over Kafka.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import asyncpg

from ownership.adapters.record_codec import dump_record, load_record
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.record_core import RecordStatus
from tooling.demo.stage import Stage


async def restore_stale_view(pool: asyncpg.Pool, force: str, reference: str) -> None:
    """Rewrite ``force``'s view of ``reference`` in its database ``pool``: it owns the record
    at the epoch it has (as a restore from a backup taken before the handover might)."""
    async with pool.acquire() as connection:
        state = await connection.fetchval(
            "select state from offender_records where reference = $1", reference
        )
        record = load_record(state)
        record.history.append(
            OwnershipChange(record.epoch, force, record.owner, record.history[-1].changed_at,
                            ChangeKind.OBSERVED)
        )  # fmt: skip
        record.owner, record.status = force, RecordStatus.OWNED
        await connection.execute(
            "update offender_records set owner = $2, status = $3, state = $4::jsonb"
            " where reference = $1",
            reference, record.owner, str(record.status), dump_record(record),
        )  # fmt: skip


async def reconcile(stage: Stage, force: str, counterpart: str) -> str:
    """`interforce reconcile --with counterpart` at `force`; what it raised, in words."""
    env = {**os.environ, **stage.nodes[force].env, "INTERFORCE_USER": "coordinator"}
    command = [sys.executable, "-m", "interforce", "reconcile", "--force", force,
               "--with", counterpart, "--wait", "60", "--settle", "0", "--json"]  # fmt: skip
    done = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"reconcile at {force} failed: {done.stderr.strip()}")
    conflicts = json.loads(done.stdout)["conflicts"]
    return ", ".join(f"{c['kind'].replace('_', ' ')} ({c['reference']})" for c in conflicts) or (
        "no conflict"
    )
