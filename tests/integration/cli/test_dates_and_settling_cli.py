"""Dates that make sense and a reconcile that says what it left out, through the CLI.

A past expected move date is refused (exit 1, one line, `past_move_date`) unless
`--past-date-reason` says why, and the reason is what the audit row records;
`interforce reconcile` counts the offenders it left out because they moved inside the
settle window, naming the setting, rather than saying that nothing is shared.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from interforce.cli import build_app
from ownership.adapters.record_codec import load_record
from ownership.domain.visits import EntryOutcome, Visit
from tests.integration.cli.test_casework_cli import cli, notified_offender, query
from tests.support.databases import migrated_namespace
from tests.unit.ownership.builders import visit

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()  # the CLI's today: the command's UTC date
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
WHERE = ["--address", "14 Sample Street", "--town", "Birmingham", "--postcode", "B4 6NQ"]


@pytest.fixture
def forces(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A namespace of its own with GMP's and WMP's databases migrated."""
    return migrated_namespace(postgres_url, monkeypatch)


def registered(reference: str) -> None:
    cli("record", "register", reference, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14")  # fmt: skip


def stored(namespace: str, postgres_url: str, reference: str) -> str:
    rows = query(namespace, postgres_url, "GMP", "select reference, state from offender_records")
    [state] = [row["state"] for row in rows if row["reference"] == reference]
    return str(state)


def test_start_with_a_past_date_is_refused_in_one_line_with_exit_1(forces: str) -> None:
    registered("GMP-2026-000401")
    result = CliRunner().invoke(
        build_app(),
        ["transfer", "start", "GMP-2026-000401", "--to", "WMP", "--expected", YESTERDAY,
         *WHERE, "--force", "GMP"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"refused: past_move_date: the expected move date {YESTERDAY} is 1 day before today"
        f" ({TODAY.isoformat()}): give a reason for a past date, or correct it"
    )
    assert "Traceback" not in result.output


def test_start_with_a_past_date_and_a_reason_keeps_the_reason_and_audits_it(
    forces: str, postgres_url: str
) -> None:
    ref, tid = "GMP-2026-000402", str(uuid.uuid4())
    registered(ref)
    cli("transfer", "start", ref, "--to", "WMP", "--id", tid, "--expected", YESTERDAY, *WHERE,
        "--past-date-reason", "moved before we were told")  # fmt: skip
    record = load_record(stored(forces, postgres_url, ref))
    assert record.transfer(tid).past_date_reason == "moved before we were told"
    rows = query(forces, postgres_url, "GMP",
                 "select reason, detail from audit_log where action = 'record.changed'"
                 " order by seq")  # fmt: skip
    assert rows[-1]["reason"] == "moved before we were told"
    assert json.loads(rows[-1]["detail"])["events"] == ["TransferStarted"]
    shown = CliRunner().invoke(
        build_app(), ["record", "show", ref, "--force", "GMP", "--reason", "date check"]
    )
    assert shown.exit_code == 0, shown.output
    assert f"    expected {YESTERDAY}, a past date: moved before we were told\n" in shown.stdout


def test_amending_the_date_into_the_past_needs_the_reason_too(
    forces: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000403", str(uuid.uuid4())
    notified_offender(ref, tid, tmp_path)
    refused = cli("transfer", "amend", ref, tid, "--reason", "date corrected",
                  "--expected", YESTERDAY, code=1)  # fmt: skip
    assert f"refused: past_move_date: the expected move date {YESTERDAY}" in refused
    amended = cli("transfer", "amend", ref, tid, "--reason", "date corrected", "--expected",
                  YESTERDAY, "--past-date-reason", "moved a day early")  # fmt: skip
    assert amended["messages"] == [{"to": "WMP", "event": "TransferAmended"}]
    transfer = load_record(stored(forces, postgres_url, ref)).transfer(tid)
    assert (transfer.revision, transfer.past_date_reason) == (2, "moved a day early")
    rows = query(forces, postgres_url, "GMP",
                 "select reason from audit_log where action = 'record.changed'"
                 " order by seq desc limit 1")  # fmt: skip
    assert rows[0]["reason"] == "date corrected; past date: moved a day early"


def test_help_of_start_and_amend_shows_the_past_date_option() -> None:
    for command in ("start", "amend"):
        result = CliRunner().invoke(build_app(), ["transfer", command, "--help"])
        assert result.exit_code == 0
        assert "--past-date-reason" in result.output, command


def test_reconcile_counts_the_offenders_left_to_settle_and_names_the_setting(
    forces: str, tmp_path: Path
) -> None:
    notified_offender("GMP-2026-000404", str(uuid.uuid4()), tmp_path)
    waiting = cli("reconcile")
    assert (waiting["asked"], waiting["unsettled"], waiting["unsettled_offenders"]) == (
        {},
        {"WMP": 1},
        1,
    )
    assert waiting["settle_setting"] == "INTERFORCE_RECONCILE_SETTLE_SECONDS"
    text = CliRunner().invoke(build_app(), ["reconcile", "--force", "GMP"])
    assert text.exit_code == 0, text.output
    assert text.stdout == (
        "left out 1 shared offender (WMP: 1): moved within the settle window of 600 s"
        " (INTERFORCE_RECONCILE_SETTLE_SECONDS); compared at the next run\n"
    )
    asked = cli("reconcile", "--settle", "0")
    assert (asked["asked"], asked["unsettled"], asked["unsettled_offenders"]) == (
        {"WMP": 1},
        {},
        0,
    )


def test_reconcile_with_nothing_shared_still_says_so(forces: str) -> None:
    registered("GMP-2026-000405")
    text = CliRunner().invoke(build_app(), ["reconcile", "--force", "GMP"])
    assert text.exit_code == 0, text.output
    assert text.stdout == "no offenders shared with any counterpart\n"


def test_record_show_notes_s96b_only_for_two_failed_entries_at_one_premises(
    forces: str, tmp_path: Path
) -> None:
    ref = "GMP-2026-000406"
    registered(ref)
    started = datetime.now(UTC) - timedelta(hours=3)
    for visit_id, where in [("V-1", "9 Old Road, York"), ("V-2", "Riverside Hostel, Leeds"),
                            ("V-3", "9 old road york")]:  # fmt: skip
        failed = visit(visit_id, EntryOutcome.NO_ANSWER, start=started, at_address=where)
        visit_file = tmp_path / f"{visit_id}.json"
        visit_file.write_bytes(TypeAdapter(Visit).dump_json(failed))
        done = cli("record", "visit", ref, "--file", str(visit_file))
        expected = ["VisitRecorded", "WarrantMayBeConsidered"] if visit_id == "V-3" else []
        assert done["events"] == (expected or ["VisitRecorded"]), visit_id
    shown = CliRunner().invoke(
        build_app(), ["record", "show", ref, "--force", "GMP", "--reason", "warrant review"]
    )
    assert shown.exit_code == 0, shown.output
    notes = [line for line in shown.stdout.splitlines() if "s.96B" in line]
    assert notes == [
        "  s.96B warrant may be considered: entry to 9 Old Road, York failed on visits V-1, V-3"
    ]
