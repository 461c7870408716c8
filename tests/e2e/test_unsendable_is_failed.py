"""A message that can never be sent is failed, never waiting: a real node sets it aside, and
`interforce pending --json` and `interforce node health` report it as failed.

GMP's node runs over the real broker and database with a directory in which WMP reads no
version of `transfer.notified`: GMP's notification to WMP can never be sent.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from interforce.node.casework import execute
from producers.translation import outgoing_message
from schemas.directory import default_directory_path
from tests.support.federation import Running, new_federation, running
from tests.support.waiting import eventually
from tooling import playbook

pytestmark = pytest.mark.e2e

REFERENCE = "GMP-2026-000901"


def directory_where_wmp_reads_no_notification(folder: Path) -> Path:
    document = json.loads(default_directory_path().read_text(encoding="utf-8"))
    wmp = next(force for force in document["forces"] if force["code"] == "WMP")
    del wmp["supports"]["transfer.notified"]
    path = folder / "directory.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


async def notify_wmp(run: Running, transfer_id: str) -> None:
    at = datetime.now(UTC)
    steps = playbook.register(REFERENCE, at, n=1) + playbook.review_and_notify(
        REFERENCE, transfer_id, "WMP", playbook.move("GMP", at.date()), playbook.profile(1), at
    )
    for command in steps:
        await execute(run.desks["GMP"].pool, command, force="GMP", actor="dc.shah",
                      reason=None, translate=outgoing_message, signer=None)  # fmt: skip


def interforce(run: Running, directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = run.federation.env("GMP", INTERFORCE_DIRECTORY=str(directory), INTERFORCE_USER="dc.shah")
    return subprocess.run(
        [sys.executable, "-m", "interforce", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


async def test_an_unsendable_notification_is_failed_in_pending_and_health(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    directory = directory_where_wmp_reads_no_notification(tmp_path)
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    async with running(federation, []) as run:
        node = await run.start("GMP", INTERFORCE_DIRECTORY=str(directory))
        transfer_id = str(uuid.uuid4())
        await notify_wmp(run, transfer_id)

        async def set_aside() -> bool:
            failed = "select count(*) from outbox where failure is not null"
            return await run.count("GMP", failed) == 1

        await eventually(set_aside, within=60, every=0.3)
        assert await run.count("GMP", "select count(*) from outbox where sent_at is null") == 1

        listed = interforce(run, directory, "pending", "--force", "GMP", "--json")
        assert listed.returncode == 0, listed.stderr
        rows = json.loads(listed.stdout)
        assert [(r["reference"], r["party"], r["status"]) for r in rows] == [
            (REFERENCE, "WMP", "failed")
        ]
        assert rows[0]["failure"]["message_type"] == "transfer.notified"
        assert "transfer.notified" in rows[0]["failure"]["failure"]
        assert rows[0]["transfer_id"] == transfer_id

        text = interforce(run, directory, "pending", "--force", "GMP")
        assert text.stdout.startswith(f"FAILED  {REFERENCE} transfer.notified to WMP"), text.stdout
        assert "acknowledgement by WMP due" not in text.stdout

        health = interforce(run, directory, "node", "health", "--url",
                            f"http://127.0.0.1:{node.port}/health")  # fmt: skip
        report = json.loads(health.stdout)
        assert (report["outbox"], report["outbox_failed"], report["outbox_waiting"]) == (
            "failed",
            1,
            0,
        )
        assert [(m["reference"], m["recipient"]) for m in report["failed_messages"]] == [
            (REFERENCE, "WMP")
        ]
        assert f"failed: transfer.notified to WMP about {REFERENCE}" in health.stderr
