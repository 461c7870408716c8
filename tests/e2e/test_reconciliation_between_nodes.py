"""Reconciliation between two real node processes over the real broker and database.

One offender is handed over from GMP to WMP; then GMP's view is corrupted so that it, too,
holds that it owns the record. `interforce reconcile` at each force asks the other; the
answers travel signed over Kafka, and each side raises the two-owner conflict.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from ownership.domain.record_core import RecordStatus
from tests.support.federation import Running, new_federation, plans, running
from tooling.autopilot import Autopilot
from tooling.demo.conflict_setup import restore_stale_view
from tooling.services.process import free_port

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.e2e


async def corrupt_to_owner(run: Running, force: str, reference: str) -> None:
    """Rewrite ``force``'s view: it owns the record at the epoch it has."""
    await restore_stale_view(run.desks[force].pool, force, reference)


async def reconcile(run: Running, force: str) -> tuple[int, dict[str, Any]]:
    env = run.federation.env(force, INTERFORCE_USER="coordinator")
    command = [sys.executable, "-m", "interforce", "reconcile", "--force", force,
               "--wait", "60", "--settle", "0", "--json"]  # fmt: skip
    done = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


async def dashboard_conflicts(run: Running, base: str) -> str:
    """GMP's conflicts page, as its coordinator sees it after signing in."""
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "interforce", "users", "add", "casey", "--role", "coordinator",
         "--name", "Casey Coordinator", "--password-stdin", "--force", "GMP"],
        input=f"{PASSWORD}\n", text=True, env=run.federation.env("GMP"), check=True,
        capture_output=True, timeout=60,
    )  # fmt: skip
    async with httpx.AsyncClient(base_url=base, follow_redirects=True) as client:
        form = (await client.get("/login")).text
        marker = 'name="csrf_token" value="'
        start = form.index(marker) + len(marker)
        token = form[start : form.index('"', start)]
        signed_in = await client.post(
            "/login", data={"username": "casey", "password": PASSWORD, "csrf_token": token}
        )
        assert signed_in.status_code == 200
        page = await client.get("/conflicts")
        assert page.status_code == 200
        return page.text


async def test_two_owners_are_raised_on_both_sides_and_on_the_dashboard(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    planned = plans("GMP", "WMP", 2)
    port = free_port()
    web = {"INTERFORCE_WEB_PORT": str(port), "INTERFORCE_WEB_SESSION_SECRET": "s" * 48}
    async with running(federation, []) as run:
        await run.start("GMP", **web)
        await run.start("WMP")
        pilot = Autopilot(run.desks, planned)
        await pilot.begin()
        await pilot.run_until_converged(within=120)

        assert await reconcile(run, "GMP") == (
            0,
            {"force": "GMP", "asked": {"WMP": 2}, "answered": ["WMP"], "waiting_for": [],
             "conflicts": [], "unsettled": {}, "unsettled_offenders": 0, "settle_seconds": 0,
             "settle_setting": "--settle"},
        )  # fmt: skip
        corrupted = planned[0].reference
        await corrupt_to_owner(run, "GMP", corrupted)

        for force, other in (("GMP", "WMP"), ("WMP", "GMP")):
            code, result = await reconcile(run, force)
            assert code == 1, result
            assert result["answered"] == [other]
            assert result["conflicts"] == [
                {"reference": corrupted, "kind": "two_owners", "epoch": 2, "held_owner": force,
                 "claimed_owner": other, "counterpart": other},
            ]  # fmt: skip
            record = await run.desks[force].record(corrupted)
            assert record is not None
            assert record.status is RecordStatus.IN_CONFLICT
            untouched = await run.desks[force].record(planned[1].reference)
            assert untouched is not None
            assert untouched.conflicts == []
        for force in ("GMP", "WMP"):
            assert await run.count(force, "select count(*) from dead_letters") == 0
            assert await run.audit_intact(force)

        page = await dashboard_conflicts(run, f"http://127.0.0.1:{port}")
    assert "Open conflicts (1)" in page
    assert corrupted in page
