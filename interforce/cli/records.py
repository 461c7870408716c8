"""`interforce record` and `interforce pending`: open, look at and add to offender records.

Every view of a record asks for a reason and writes who, what, when and why to the audit
log, in the same transaction as the read (Data Protection Act 2018, Part 3, logging duty).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interforce.cli.options import ForceOption, JsonOption, UserOption
from ownership.domain.absence import AbsenceSource
from ownership.domain.places import Address
from ownership.domain.values import (
    LeadAgency,
    MappaCategory,
    MappaLevel,
    MappaManagement,
    OffenderCategory,
    OffenderProfile,
)

if TYPE_CHECKING:
    from interforce.cli.desk import Desk
    from ownership.adapters.audit_log import AuditEntry
    from ownership.adapters.views import FailedMessage
    from ownership.domain.pending import PendingItem
    from ownership.domain.record import OffenderRecord
    from ownership.domain.tasks import Task

Reference = Annotated[str, typer.Argument(help="The offender reference.")]


def build() -> typer.Typer:
    """The `record` sub-app."""
    app = typer.Typer(help="Offender records: open, show (audited), visits, absences.")
    app.info.no_args_is_help = True
    app.command("register")(register_command)
    app.command("visit")(visit_command)
    app.command("absence")(absence_command)
    app.command("show")(show_command)
    return app


def register(app: typer.Typer) -> None:
    """Add the `pending` command to the root app."""
    app.command("pending")(pending_command)


def register_command(
    reference: Reference,
    category: Annotated[OffenderCategory, typer.Option(help="Managed as.")],
    family_name: Annotated[str, typer.Option(help="Family name.")],
    given_names: Annotated[str, typer.Option(help="Given names.")],
    born: Annotated[date, typer.Option(help="Date of birth (YYYY-MM-DD).")],
    pnc: Annotated[
        str | None, typer.Option(help="PNC ID, YY/NNNNNNNL; its check letter is checked.")
    ] = None,
    visor: Annotated[str | None, typer.Option(help="ViSOR nominal reference.")] = None,
    mappa_category: Annotated[int | None, typer.Option(help="MAPPA category 1-4.")] = None,
    mappa_level: Annotated[int | None, typer.Option(help="MAPPA level 1-3.")] = None,
    lead_agency: Annotated[LeadAgency | None, typer.Option(help="MAPPA lead.")] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Begin managing an offender at this force (owner of epoch 1)."""
    from interforce.cli.desk import open_desk, perform
    from interforce.cli.identity_input import identity_of
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    mappa = None
    if mappa_category is not None:
        if mappa_level is None or lead_agency is None:
            raise typer.BadParameter("a MAPPA case needs --mappa-level and --lead-agency")
        mappa = MappaManagement(MappaCategory(mappa_category), MappaLevel(mappa_level), lead_agency)
    identity = identity_of(family_name, given_names, born, pnc, visor)
    command = c.RegisterOffender(
        reference=reference, at=desk.now(), by=desk.user,
        profile=OffenderProfile(category, mappa, identity),
    )  # fmt: skip
    perform(desk, command, as_json=as_json)


def visit_command(
    reference: Reference,
    file: Annotated[Path, typer.Option("--file", help="The visit as JSON (see `--help`).")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a visit, successful or not, from a JSON file.

    The file holds visit_id, address, risk_assessment, risk_assessed_at, visitors (each
    officer_id, name, accredited_offender_manager), started_at, ended_at,
    control_room_start_reported_at, control_room_end_reported_at, entry (obtained,
    refused, no_answer, ...), outcome and officer_safety_issues (a list); times are ISO
    8601 with an offset. examples/visit.json in the repository is one.
    """
    from pydantic import TypeAdapter, ValidationError

    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c
    from ownership.domain.visits import Visit

    desk = open_desk(force, user)
    try:
        visit = TypeAdapter(Visit).validate_json(file.read_bytes())
    except ValidationError as error:
        raise typer.BadParameter(f"{file} is not a visit: {error}") from error
    command = c.RecordVisit(reference=reference, at=desk.now(), by=desk.user, visit=visit)
    perform(desk, command, as_json=as_json)


def absence_command(
    reference: Reference,
    date_left: Annotated[date, typer.Option(help="When the offender left.")],
    evidence: Annotated[str, typer.Option(help="The evidence that they left.")],
    source: Annotated[AbsenceSource, typer.Option(help="Where it came from.")] = (
        AbsenceSource.OTHER
    ),
    forwarding_force: Annotated[
        str | None, typer.Option(help="The force of the forwarding address (told at once).")
    ] = None,
    address: Annotated[list[str] | None, typer.Option(help="Forwarding address line.")] = None,
    town: Annotated[str | None, typer.Option(help="Forwarding post town.")] = None,
    postcode: Annotated[str | None, typer.Option(help="Forwarding postcode.")] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record evidence that the offender no longer lives at the registered address."""
    from interforce.cli.desk import open_desk, perform
    from ownership.domain import commands as c

    desk = open_desk(force, user)
    forwarding = Address(tuple(address), town or "", postcode or "") if address else None
    command = c.RecordAbsence(
        reference=reference, at=desk.now(), by=desk.user, date_left=date_left,
        forwarding_address=forwarding,
        forwarding_force=forwarding_force.upper() if forwarding_force else None,
        evidence=evidence, source=source,
    )  # fmt: skip
    perform(desk, command, as_json=as_json, reason=evidence)


def show_command(
    reference: Reference,
    reason: Annotated[str, typer.Option(help="Why you are looking (written to the audit log).")],
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one offender's record; the view is audited with who, when and why."""
    from interforce.cli.desk import open_desk, run_async
    from ownership.adapters.record_codec import dump_record

    if not reason.strip():
        raise typer.BadParameter("give the reason for looking at the record")
    desk = open_desk(force, user)
    record = run_async(lambda: _viewed(desk, reference, reason))
    if record is None:
        typer.echo(f"{desk.force} holds no record of {reference}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(dump_record(record))
    else:
        typer.echo(_describe(record, desk))


async def _viewed(desk: Desk, reference: str, reason: str) -> OffenderRecord | None:
    from ownership.adapters.audit_log import AuditEntry, append_entries
    from ownership.adapters.views import stored_record

    async with desk.pool() as pool, pool.acquire() as connection, connection.transaction():
        record = await stored_record(connection, reference)
        entry = AuditEntry(
            actor=desk.user,
            action="record.viewed",
            at=desk.now(),
            subject=reference,
            reason=reason,
            disclosed_to=desk.user,
            detail={"via": "cli", "force": desk.force, "found": record is not None},
        )
        await append_entries(connection, [entry], signer=desk.signer)
    return record


def _describe(record: OffenderRecord, desk: Desk) -> str:
    from interforce.node.deadlines import service_levels

    now, levels = desk.now(), service_levels(desk.settings)
    today = now.date()
    lost = ", WHEREABOUTS UNKNOWN" if record.whereabouts_unknown(now, levels) else ""
    lines = [
        f"{record.reference} held by {record.held_by}: owner {record.owner}, epoch "
        f"{record.epoch}, {record.status}{lost}",
        f"  category {record.profile.category}"
        + (f", MAPPA {record.profile.mappa.category}/{record.profile.mappa.level}"
           if record.profile.mappa else ""),
    ]  # fmt: skip
    if record.managed_by is not None:
        lines.insert(1, f"  managed by {record.managed_by} ({record.owner}), which runs no node")
    for change in record.history:
        lines.append(f"  epoch {change.epoch}: {change.owner} ({change.kind}, {change.changed_at})")
    for transfer in record.transfers:
        lines.append(
            f"  transfer {transfer.transfer_id} {transfer.owner}->{transfer.receiver}: "
            f"{transfer.state} (revision {transfer.revision}, {len(transfer.reminders)} reminders)"
        )
        if transfer.past_date_reason:
            lines.append(
                f"    expected {transfer.details.expected_date}, a past date: "
                f"{transfer.past_date_reason}"
            )
    for item in record.pending(today):
        lines.append(f"  waiting for {item.waiting_for} by {item.party}, due {item.due or '-'}")
    for escalation in record.escalations:
        lines.append(
            f"  escalated to {escalation.level}: {escalation.waiting_for} by {escalation.party}"
            f" due {escalation.due} ({escalation.at:%Y-%m-%d})"
        )
    for note in record.warrants:
        lines.append(
            f"  s.96B warrant may be considered: entry to {note.address} failed on visits "
            + ", ".join(note.visit_ids)
        )
    for task in record.tasks(now, levels):
        act = "ACT NOW: " if task.immediate else ""
        lines.append(f"  task {task.task_id} due {task.due:%Y-%m-%d %H:%M}: {act}{task.summary}")
    for conflict in record.conflicts:
        lines.append(
            f"  CONFLICT {conflict.kind} at epoch {conflict.epoch}: we hold {conflict.held_owner},"
            f" {conflict.claimed_by} holds {conflict.claimed_owner or 'no record'}"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Row:
    """One line of the pending list."""

    item: PendingItem
    due: date | None
    overdue: bool
    escalated_to: str | None
    failed: FailedMessage | None = None
    """The message this step waits on that could never be sent: the row is failed."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "failed" if self.failed is not None else "waiting",
            "failure": self.failed.as_dict() if self.failed is not None else None,
            "reference": self.item.reference,
            "transfer_id": self.item.transfer_id,
            "waiting_for": str(self.item.waiting_for),
            "party": self.item.party,
            "state": str(self.item.state) if self.item.state else None,
            "since": self.item.since.isoformat() if self.item.since else None,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "escalated_to": self.escalated_to,
        }


def _rows(record: OffenderRecord, desk: Desk, today: date) -> list[Row]:
    from interforce.node.deadlines import service_levels
    from ownership.domain.deadlines import step_due

    levels = service_levels(desk.settings)
    rows = []
    for item in record.pending(today):
        transfer = record.find_transfer(item.transfer_id)
        service = step_due(transfer, levels) if transfer is not None else None
        due = service[1] if service is not None else item.due
        reached = [e.level for e in record.escalations if e.transfer_id == item.transfer_id]
        overdue = due is not None and today > due
        rows.append(Row(item, due, overdue, str(reached[-1]) if reached else None))
    return rows


def pending_command(
    party: Annotated[
        str | None, typer.Option("--waiting-on", help="Only what this force must do.")
    ] = None,
    force: ForceOption = None,
    user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """What every transfer and temporary move waits for, from whom: overdue first.

    A step whose message could never be sent (its recipient unknown, or reading no version
    that can carry it) is listed as FAILED (`"status": "failed"` with the reason in
    `"failure"`), never as waiting; so is a failed message that no step waits on. This
    force's tasks come first (`interforce task list`): immediate action at the top.
    """
    from interforce.cli.desk import open_desk, run_async
    from interforce.cli.failed import failed_lines, unmatched_rows
    from interforce.cli.task_rows import task_line, task_row

    desk = open_desk(force, user)
    now = desk.now()
    today = now.date()
    found, failed, tasks = run_async(lambda: _pending(desk, today, party))
    rows = sorted(found, key=lambda r: (not r.overdue, r.due or date.max, r.item.reference))
    unmatched = unmatched_rows(rows, failed, party)
    if as_json:
        listed = [task_row(task, now, desk.force) for task in tasks]
        typer.echo(json.dumps(listed + [row.as_dict() for row in rows] + unmatched))
        return
    if not rows and not unmatched and not tasks:
        typer.echo("nothing pending")
    for task in tasks:
        typer.echo(task_line(task, now))
    for line in failed_lines(rows, unmatched):
        typer.echo(line)
    for row in (row for row in rows if row.failed is None):
        flag = "OVERDUE" if row.overdue else "       "
        escalated = f" escalated to {row.escalated_to}" if row.escalated_to else ""
        typer.echo(
            f"{flag} {row.item.reference} {row.item.waiting_for} by {row.item.party}"
            f" due {row.due or '-'} [{row.item.transfer_id}]{escalated}"
        )


async def _pending(
    desk: Desk, today: date, party: str | None
) -> tuple[list[Row], list[FailedMessage], list[Task]]:
    """Every record's pending rows (of `party` only, if given), each marked failed if its
    message could never be sent, every failed message, and this force's open tasks (unless
    `party` is another force); the listing is audited."""
    from dataclasses import replace

    from interforce.node.deadlines import service_levels
    from ownership.adapters.audit_log import append_entries
    from ownership.adapters.views import all_records, failed_messages, failure_of
    from ownership.domain.tasks import task_order

    async with desk.pool() as pool, pool.acquire() as connection, connection.transaction():
        records = await all_records(connection)
        failed = await failed_messages(connection)
        await append_entries(connection, [_listed_entry(desk, len(records))], signer=desk.signer)
    rows = [row for record in records for row in _rows(record, desk, today)]
    rows = [
        replace(
            row, failed=failure_of(failed, row.item.reference, row.item.transfer_id, row.item.party)
        )
        for row in rows
    ]
    rows = [row for row in rows if party is None or row.item.party == party.upper()]
    if party is not None and party.upper() != desk.force:
        return rows, failed, []
    levels, now = service_levels(desk.settings), desk.now()
    return rows, failed, sorted((t for r in records for t in r.tasks(now, levels)), key=task_order)


def _listed_entry(desk: Desk, records: int) -> AuditEntry:
    from ownership.adapters.audit_log import AuditEntry

    return AuditEntry(
        actor=desk.user,
        action="pending.listed",
        at=desk.now(),
        reason="work list",
        disclosed_to=desk.user,
        detail={"via": "cli", "force": desk.force, "records": records},
    )
