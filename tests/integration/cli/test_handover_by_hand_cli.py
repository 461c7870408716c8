"""A hand-over by hand to Police Scotland through the CLI, against a real force database.

Police Scotland runs no node: GMP reviews the move, records how and when Police Scotland was
told, its acknowledgement and its acceptance, and commits. The record is then managed by
Police Scotland, nothing was ever written to the outbox, and no further move can start.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from interforce.cli import build_app
from ownership.domain.review import mandatory_items
from ownership.domain.values import OffenderCategory, OffenderProfile
from ownership.domain.visits import Visit
from tests.integration.cli.test_casework_cli import MOVE, VISITED, cli, namespace, query
from tests.unit.ownership.builders import visit

pytestmark = pytest.mark.integration
__all__ = ["namespace"]  # the fixture, used by name


def _reviewed_move_to_scotland(reference: str, transfer_id: str, tmp_path: Path) -> None:
    cli("record", "register", reference, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14")  # fmt: skip
    started = cli("transfer", "start", reference, "--to", "psos", "--id", transfer_id,
                  "--expected", MOVE, "--address", "3 Sample Wynd", "--town", "Glasgow",
                  "--postcode", "G1 1AA")  # fmt: skip
    assert started["messages"] == []
    visit_file = tmp_path / "visit.json"
    begun = datetime.now(UTC) - timedelta(hours=3)
    visit_file.write_bytes(TypeAdapter(Visit).dump_json(visit("V-1", start=begun)))
    cli("record", "visit", reference, "--file", str(visit_file))
    items = mandatory_items(OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER))
    for item in sorted(items):
        extra = ["--visit-id", "V-1"] if item in VISITED else []
        cli("transfer", "review", reference, transfer_id, item.value, "--note", "done", *extra)


def test_a_hand_over_by_hand_to_police_scotland(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000701", str(uuid.uuid4())
    _reviewed_move_to_scotland(ref, tid, tmp_path)
    refused = cli("transfer", "notify", ref, tid, "--outcome", "no_concerns", code=1)
    assert "authority_runs_no_node" in refused
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    steps = [
        cli("transfer", "handover-told", ref, tid, "--who", "DS Jane Roe, OMU Glasgow",
            "--how", "telephone", "--when", f"{yesterday} 09:05"),
        cli("transfer", "handover-acknowledged", ref, tid, "--who", "DS Jane Roe",
            "--reference", "PS-2026-0042", "--how", "secure email"),
        cli("transfer", "handover-accepted", ref, tid, "--who", "DI Ann Bell",
            "--reference", "PS-2026-0042"),
    ]  # fmt: skip
    assert all(step["messages"] == [] for step in steps)
    pending = cli("pending")
    assert [(p["waiting_for"], p["party"], p["status"]) for p in pending] == [
        ("commit", "GMP", "waiting")
    ]
    committed = cli("transfer", "commit", ref, tid)
    assert committed["messages"] == []
    assert "HandedToAuthority" in committed["events"]

    shown = CliRunner().invoke(
        build_app(), ["record", "show", ref, "--reason", "hand-over check", "--force", "GMP"]
    )
    assert shown.exit_code == 0, shown.output
    assert "managed by Police Scotland (PSOS)" in shown.stdout
    record = cli("record", "show", ref, "--reason", "hand-over check")
    assert (record["owner"], record["epoch"], record["status"]) == ("PSOS", 2, "managed_externally")
    assert record["managed_by"] == "Police Scotland"
    manual = record["transfers"][0]["manual"]
    assert manual["acknowledgement"]["reference"] == "PS-2026-0042"
    assert manual["told"]["how"] == "telephone"

    assert query(namespace, postgres_url, "GMP", "select * from outbox") == []
    again = cli("transfer", "start", ref, "--to", "WMP", "--expected", MOVE, "--address",
                "Flat 2", "--town", "Birmingham", "--postcode", "B4 6NQ", code=1)  # fmt: skip
    assert "not_the_owner" in again
    assert "Police Scotland manages it" in again
    assert cli("pending") == []

    back = cli("transfer", "handover-returned", ref, "--who", "DI Ann Bell", "--how", "letter")
    assert back["messages"] == []
    record = cli("record", "show", ref, "--reason", "returned from Scotland")
    assert (record["owner"], record["epoch"], record["managed_by"]) == ("GMP", 3, None)
    moved = cli("transfer", "start", ref, "--to", "WMP", "--expected", MOVE, "--address",
                "Flat 2", "--town", "Birmingham", "--postcode", "B4 6NQ")  # fmt: skip
    assert moved["ok"]


def test_a_mistyped_code_writes_nothing(namespace: str, postgres_url: str) -> None:
    ref = "GMP-2026-000702"
    cli("record", "register", ref, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan", "--born", "1979-03-14")  # fmt: skip
    refused = cli("transfer", "start", ref, "--to", "WMPP", "--expected", MOVE, "--address",
                  "Flat 2", "--town", "Birmingham", "--postcode", "B4 6NQ", code=1)  # fmt: skip
    assert "did you mean WMP" in refused
    record = cli("record", "show", ref, "--reason", "check")
    assert record["transfers"] == []


def test_calling_off_a_hand_over_after_telling_the_authority_says_to_tell_it_by_hand(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000703", str(uuid.uuid4())
    _reviewed_move_to_scotland(ref, tid, tmp_path)
    cli("transfer", "handover-told", ref, tid, "--who", "DS Jane Roe", "--how", "telephone")
    cancelled = cli("transfer", "cancel", ref, tid, "--reason", "stays in England")
    assert cancelled["events"] == ["HandOverCancelled"]
    assert cancelled["messages"] == []
    assert cancelled["tell_by_hand"] == "PSOS: it was told of the hand-over"
    record = cli("record", "show", ref, "--reason", "check")
    assert record["transfers"][0]["state"] == "cancelled"
    outbox = query(namespace, postgres_url, "GMP", "select count(*) as n from outbox")
    assert outbox[0]["n"] == 0
