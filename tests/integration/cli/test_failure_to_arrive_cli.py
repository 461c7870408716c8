"""`transfer failed-to-arrive`, `task list` and `task close` against real force databases.

WMP says the offender GMP notified never arrived; GMP's record keeps its owner and epoch,
is whereabouts unknown, and heads GMP's task list and `pending` until someone closes the
task with what was done.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interforce.cli import build_app
from tests.integration.cli.test_casework_cli import (
    carry,
    cli,
    namespace,
    notified_offender,
    query,
)

pytestmark = pytest.mark.integration
__all__ = ["namespace"]  # the fixture, used by name

TRIED = [
    "--tried", "address_visited,2026-07-16T10:30,no answer; the landlord has not seen him",
    "--tried", "records_checked,2026-07-16T14:00Z,not registered at any station",
]  # fmt: skip


def test_failure_to_arrive_marks_the_owners_record_until_a_task_is_closed(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000501", str(uuid.uuid4())
    notified_offender(ref, tid, tmp_path)
    carry(namespace, postgres_url, "GMP", "WMP")
    sent = cli("transfer", "failed-to-arrive", ref, tid, *TRIED, "--summary",
               "not registered nine days after the move", force="WMP")  # fmt: skip
    assert sent["messages"] == [{"to": "GMP", "event": "TransferFailedToArrive"}]
    assert carry(namespace, postgres_url, "WMP", "GMP") == ["transfer.failedtoarrive"]

    shown = cli("record", "show", ref, "--reason", "failure to arrive")
    assert (shown["owner"], shown["epoch"]) == ("GMP", 1)
    assert shown["transfers"][0]["state"] == "not_arrived"
    (task,) = cli("task", "list")
    assert (task["reference"], task["kind"], task["immediate"]) == (
        ref,
        "whereabouts_unknown",
        True,
    )
    assert task["task_id"] == f"whereabouts_unknown:{tid}"
    assert task["closes_with"][0].startswith(f"interforce task close {ref} {task['task_id']}")
    assert cli("pending")[0]["task"]["task_id"] == task["task_id"]
    text = CliRunner().invoke(build_app(), ["record", "show", ref, "--reason", "check",
                                            "--force", "GMP"])  # fmt: skip
    assert "WHEREABOUTS UNKNOWN" in text.stdout

    closed = cli("task", "close", ref, task["task_id"], "--outcome", "circulated_missing",
                 "--done", "circulated on PNC as missing", "--why", "PNC entry made")  # fmt: skip
    assert closed["events"] == ["TaskClosed"]
    assert cli("task", "list") == []
    again = cli("task", "close", ref, task["task_id"], "--outcome", "circulated_missing",
                "--done", "again", "--why", "again", code=1)  # fmt: skip
    assert "refused: task_not_open" in again
    rows = query(namespace, postgres_url, "GMP",
                 "select actor, reason, detail from audit_log where action = 'record.changed'"
                 " order by seq desc limit 1")  # fmt: skip
    assert (rows[0]["actor"], rows[0]["reason"]) == ("dc.shah", "PNC entry made")
    assert "TaskClosed" in rows[0]["detail"]


def test_the_commands_refuse_bad_input_in_one_line(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000502", str(uuid.uuid4())
    notified_offender(ref, tid, tmp_path)
    carry(namespace, postgres_url, "GMP", "WMP")
    args = ["transfer", "failed-to-arrive", ref, tid, "--tried", "knocked,2026-07-16,x",
            "--summary", "s", "--force", "WMP"]  # fmt: skip
    bad = CliRunner().invoke(build_app(), args)
    assert bad.exit_code == 2
    assert "the check is one of" in bad.output
    assert "Traceback" not in bad.output
    owner = cli("transfer", "failed-to-arrive", ref, tid, *TRIED, "--summary", "s", code=1)
    assert "refused: not_the_receiver" in owner
    wrong = cli("task", "close", ref, "whereabouts_unknown:nothing", "--outcome", "located",
                "--done", "d", "--why", "w", code=1)  # fmt: skip
    assert "refused: task_not_open" in wrong
    assert cli("task", "list", "--kind", "expired_transfer") == []
