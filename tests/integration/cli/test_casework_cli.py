"""The casework CLI against real force databases: each step, `pending` and `record show`.

Two forces' databases; what one force's outbox holds is carried to the other through the
real wire (signed, validated, translated) and applied as its node would, so the receiving
force's commands act on a real notification.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

from interforce.cli import build_app
from interforce.database import ensure_database, force_database_name
from interforce.node.casework import execute
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.outbox import OutboxMessage
from ownership.adapters.unit_of_work import PostgresUnitOfWork
from ownership.domain.review import ReviewItem, mandatory_items
from ownership.domain.values import OffenderCategory, OffenderProfile
from ownership.domain.visits import Visit
from ownership.service_layer.messagebus import message_bus
from producers.translation import outgoing_message
from tests.support.databases import migrated_namespace
from tests.unit.ownership.builders import visit
from tests.unit.translation.wire import registry, sign
from tooling import playbook

pytestmark = pytest.mark.integration

MOVE = (date.today() + timedelta(days=14)).isoformat()
OWNER_CONTACT = "DC Priya Shah, MOSOVO officer, 0161 555 0100"
VISITED = {ReviewItem.REVIEW_MEETING, ReviewItem.TWO_PERSON_VISIT}


@pytest.fixture
def namespace(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A namespace of its own with the two forces' databases migrated."""
    return migrated_namespace(postgres_url, monkeypatch)


def cli(*args: str, force: str = "GMP", code: int = 0) -> Any:
    """Run `interforce ARGS --force FORCE --json`; check the exit code; return the JSON."""
    result = CliRunner().invoke(build_app(), [*args, "--force", force, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result.output


def query(namespace: str, postgres_url: str, force: str, sql: str) -> list[asyncpg.Record]:
    async def fetch() -> list[asyncpg.Record]:
        url = await ensure_database(postgres_url, force_database_name(force, namespace))
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetch(sql)
        finally:
            await connection.close()

    return asyncio.run(fetch())


def carry(namespace: str, postgres_url: str, sender: str, recipient: str) -> list[str]:
    """Apply every message in ``sender``'s outbox to ``recipient`` as its node would."""
    rows = query(namespace, postgres_url, sender, "select * from outbox order by id")
    done = query(namespace, postgres_url, recipient, "select message_id from inbox")
    seen = {row["message_id"] for row in done}
    carried = []

    async def apply(message: OutboxMessage) -> None:
        received = registry(recipient).receive(sign(message, sender, datetime.now(UTC)))
        url = await ensure_database(postgres_url, force_database_name(recipient, namespace))
        connection = await asyncpg.connect(url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "insert into inbox (sender, message_id) values ($1, $2)",
                    sender,
                    message.message_id,
                )
                uow = PostgresUnitOfWork(
                    connection, force=recipient, actor=f"node:{recipient}",
                    translate=outgoing_message,
                )  # fmt: skip
                from consumers.translation import incoming_command

                await message_bus(uow).handle(incoming_command(received))
        finally:
            await connection.close()

    for row in rows:
        if row["recipient"] != recipient or str(row["message_id"]) in seen:
            continue
        message = OutboxMessage(
            message_id=str(row["message_id"]), offender_reference=row["offender_reference"],
            recipient=row["recipient"], message_type=row["message_type"],
            body=json.loads(row["body"]), transfer_id=row["transfer_id"], epoch=row["epoch"],
            causation_id=row["causation_id"],
        )  # fmt: skip
        asyncio.run(apply(message))
        carried.append(row["message_type"])
    return carried


def notified_offender(reference: str, transfer_id: str, tmp_path: Path) -> None:
    """GMP registers, starts, visits, reviews and notifies, all through the CLI."""
    cli("record", "register", reference, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14")  # fmt: skip
    cli("transfer", "start", reference, "--to", "WMP", "--id", transfer_id, "--expected", MOVE,
        "--address", "Flat 2", "--address", "14 Sample Street", "--town", "Birmingham",
        "--postcode", "B4 6NQ", "--contact", OWNER_CONTACT)  # fmt: skip
    visit_file = tmp_path / f"{reference}-visit.json"
    started = datetime.now(UTC) - timedelta(hours=3)
    visit_file.write_bytes(TypeAdapter(Visit).dump_json(visit("V-1", start=started)))
    cli("record", "visit", reference, "--file", str(visit_file))
    items = mandatory_items(OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER))
    for item in sorted(items | {ReviewItem.ADDRESS_VERIFIED}):
        extra = ["--visit-id", "V-1"] if item in VISITED else []
        cli("transfer", "review", reference, transfer_id, item.value, "--note", "done", *extra)
    done = cli("transfer", "notify", reference, transfer_id, "--outcome", "no_concerns")
    assert done["messages"] == [{"to": "WMP", "event": "TransferNotified"}]


def test_a_transfer_from_start_to_commit_through_the_cli(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000101", str(uuid.uuid4())
    notified_offender(ref, tid, tmp_path)
    amended = cli("transfer", "amend", ref, tid, "--reason", "risk reassessed", "--risk", "high")
    assert amended["messages"] == [{"to": "WMP", "event": "TransferAmended"}]
    assert carry(namespace, postgres_url, "GMP", "WMP") == ["transfer.notified", "transfer.amended"]

    contact = "DC Lee Morgan, MOSOVO officer, 0121 555 0177"
    cli("transfer", "acknowledge", ref, tid, "--contact", contact, force="WMP")
    cli("transfer", "consult", ref, tid, "--party", "Neighbourhood team", "--kind",
        "local_policing_team", "--outcome", "no threat to life", force="WMP")  # fmt: skip
    cli("transfer", "consulted", ref, tid, "--summary", "all parties consulted", force="WMP")
    accepted = cli("transfer", "accept", ref, tid, "--registered-on", MOVE, "--station",
                   "Steelhouse Lane", "--contact", contact, force="WMP")  # fmt: skip
    assert accepted["messages"] == [{"to": "GMP", "event": "OwnershipAccepted"}]
    assert carry(namespace, postgres_url, "WMP", "GMP") == [
        "transfer.acknowledged",
        "ownership.accepted",
    ]

    pending = cli("pending")
    assert [(p["reference"], p["waiting_for"], p["party"]) for p in pending] == [
        (ref, "commit", "GMP")
    ]
    committed = cli("transfer", "commit", ref, tid, "--records-reference", "VISOR-0101")
    assert committed["messages"] == [{"to": "WMP", "event": "OwnershipTransferred"}]
    assert carry(namespace, postgres_url, "GMP", "WMP") == ["ownership.transferred"]
    shown = cli("record", "show", ref, "--reason", "handover check", force="WMP")
    assert (shown["owner"], shown["epoch"]) == ("WMP", 2)


def accepted_offender(
    namespace: str, postgres_url: str, ref: str, tid: str, tmp_path: Path
) -> None:
    """GMP notifies WMP, which acknowledges, consults and accepts; both hold the acceptance."""
    notified_offender(ref, tid, tmp_path)
    carry(namespace, postgres_url, "GMP", "WMP")
    contact = "DC Lee Morgan, MOSOVO officer, 0121 555 0177"
    cli("transfer", "acknowledge", ref, tid, "--contact", contact, force="WMP")
    cli("transfer", "consult", ref, tid, "--party", "Neighbourhood team", "--kind",
        "local_policing_team", "--outcome", "no threat to life", force="WMP")  # fmt: skip
    cli("transfer", "consulted", ref, tid, "--summary", "all parties consulted", force="WMP")
    cli("transfer", "accept", ref, tid, "--registered-on", MOVE, "--station",
        "Steelhouse Lane", "--contact", contact, force="WMP")  # fmt: skip
    carry(namespace, postgres_url, "WMP", "GMP")


def test_the_receiver_chases_the_commit_then_withdraws_its_acceptance(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    ref, tid = "GMP-2026-000301", str(uuid.uuid4())
    accepted_offender(namespace, postgres_url, ref, tid, tmp_path)
    (waiting,) = cli("pending", force="WMP")
    assert (waiting["waiting_for"], waiting["party"]) == ("commit", "GMP")
    assert waiting["due"] is not None

    reminded = cli("transfer", "remind", ref, tid, force="WMP")
    assert reminded["messages"] == [{"to": "GMP", "event": "ReminderSent"}]
    withdrawn = cli("transfer", "withdraw", ref, tid, "--reason", "did not report", force="WMP")
    assert withdrawn["messages"] == [{"to": "GMP", "event": "AcceptanceWithdrawn"}]
    assert carry(namespace, postgres_url, "WMP", "GMP") == [
        "transfer.reminder",
        "ownership.withdrawn",
    ]
    refused = cli("transfer", "commit", ref, tid, code=1)
    (line,) = [line for line in refused.splitlines() if line.startswith("refused:")]
    assert "illegal_transition" in line
    assert "when withdrawn" in line
    again = cli("transfer", "withdraw", ref, tid, "--reason", "twice", force="WMP", code=1)
    assert "illegal_transition" in again
    shown = cli("record", "show", ref, "--reason", "withdrawal check")
    assert (shown["owner"], shown["epoch"]) == ("GMP", 1)
    assert cli("pending", force="WMP") == []


def test_decline_cancel_absence_and_overdue_first_in_pending(
    namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    first, second = ("GMP-2026-000201", str(uuid.uuid4())), ("GMP-2026-000202", str(uuid.uuid4()))
    notified_offender(*first, tmp_path)
    notified_offender(*second, tmp_path)
    carry(namespace, postgres_url, "GMP", "WMP")
    declined = cli("transfer", "decline", *first, "--code", "insufficient_information",
                   "--text", "no address verified", "--missing", "tenancy",
                   force="WMP")  # fmt: skip
    assert declined["messages"] == [{"to": "GMP", "event": "TransferDeclined"}]
    cancelled = cli("transfer", "cancel", *second, "--reason", "offender remanded",
                    "--code", "offender_in_custody")  # fmt: skip
    assert cancelled["messages"] == [{"to": "WMP", "event": "TransferCancelled"}]
    absent = cli("record", "absence", first[0], "--date-left", date.today().isoformat(),
                 "--evidence", "landlord says he left", "--source", "landlord",
                 "--forwarding-force", "WMP")  # fmt: skip
    assert absent["messages"] == [{"to": "WMP", "event": "OffenderAbsent"}]
    refused = cli("transfer", "commit", *second, code=1)
    assert "illegal_transition" in refused

    # a transfer notified a month ago waits on WMP's overdue acknowledgement: it comes first
    old = "GMP-2026-000203"
    asyncio.run(notified_long_ago(namespace, postgres_url, old))
    # the evidence of absence is GMP's own task, to act on immediately: it heads the list
    pending = cli("pending")
    assert [(p["reference"], p["waiting_for"], p["party"], p["overdue"]) for p in pending] == [
        (first[0], "evidence_of_absence", "GMP", True),
        (old, "acknowledgement", "WMP", True),
        (first[0], "acknowledgement", "WMP", False),
    ]
    assert pending[0]["task"]["immediate"] is True
    assert [p["waiting_for"] for p in cli("pending", "--waiting-on", "GMP")] == [
        "evidence_of_absence"
    ]
    assert cli("pending", "--waiting-on", "WMP")[0]["reference"] == old


async def notified_long_ago(namespace: str, postgres_url: str, reference: str) -> None:
    at = datetime.now(UTC) - timedelta(days=30)
    steps = playbook.register(reference, at, n=1) + playbook.review_and_notify(
        reference,
        str(uuid.uuid4()),
        "WMP",
        playbook.move("GMP", at.date()),
        playbook.profile(1),
        at,
    )
    url = await ensure_database(postgres_url, force_database_name("GMP", namespace))
    async with asyncpg.create_pool(url, min_size=1, max_size=2) as pool:
        for command in steps:
            await execute(pool, command, force="GMP", actor="dc.shah", reason=None,
                          translate=outgoing_message, clock=lambda: at, signer=None)  # fmt: skip


def test_record_show_asks_for_a_reason_and_audits_the_view(
    namespace: str, postgres_url: str
) -> None:
    ref = "GMP-2026-000301"
    cli("record", "register", ref, "--category", "violent_offender", "--family-name", "Dummy",
        "--given-names", "Sean", "--born", "1990-05-05")  # fmt: skip
    missing = CliRunner().invoke(build_app(), ["record", "show", ref, "--force", "GMP"])
    assert missing.exit_code == 2
    assert "--reason" in missing.output
    shown = CliRunner().invoke(
        build_app(),
        ["record", "show", ref, "--force", "GMP", "--as", "ds.khan",
         "--reason", "MAPPA meeting preparation"],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert f"{ref} held by GMP: owner GMP, epoch 1, owned" in shown.stdout
    rows = query(namespace, postgres_url, "GMP",
                 "select * from audit_log where action = 'record.viewed'")  # fmt: skip
    assert [(r["actor"], r["subject"], r["reason"], r["disclosed_to"]) for r in rows] == [
        ("ds.khan", ref, "MAPPA meeting preparation", "ds.khan")
    ]

    async def intact() -> bool:
        url = await ensure_database(postgres_url, force_database_name("GMP", namespace))
        connection = await asyncpg.connect(url)
        try:
            return (await verify_chain(connection)).intact
        finally:
            await connection.close()

    assert asyncio.run(intact())


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for group, commands in {
        "transfer": ["start", "review", "notify", "amend", "cancel", "acknowledge", "consult",
                     "consulted", "decline", "accept", "commit", "remind", "failed-to-arrive",
                     "withdraw"],
        "record": ["register", "visit", "absence", "show"],
        "task": ["list", "close"],
    }.items():  # fmt: skip
        for command in commands:
            result = runner.invoke(build_app(), [group, command, "--help"])
            assert result.exit_code == 0, (group, command)
            assert "Usage" in result.output
    for command in ("pending", "reconcile"):
        assert runner.invoke(build_app(), [command, "--help"]).exit_code == 0


def test_a_contact_without_a_telephone_is_refused_when_it_is_given(namespace: str) -> None:
    ref = "GMP-2026-000951"
    cli("record", "register", ref, "--category", "rso", "--family-name", "Example",
        "--given-names", "Alan James", "--born", "1979-03-14")  # fmt: skip
    for contact in ("DC Priya Shah, MOSOVO officer", "DC Priya Shah, MOSOVO officer, ask"):
        refused = cli("transfer", "start", ref, "--to", "WMP", "--expected", MOVE,
                      "--address", "14 Sample Street", "--town", "Birmingham",
                      "--postcode", "B4 6NQ", "--contact", contact, code=2)  # fmt: skip
        assert "telephone" in refused
        assert "Traceback" not in refused
    assert cli("record", "show", ref, "--reason", "check")["transfers"] == []
