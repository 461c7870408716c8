"""Reading the force's records for the dashboard; one record's view is audited with its read.

Lists load only the records they need, chosen in SQL over the JSONB state; a MAPPA lead's
lists are narrowed to MAPPA cases in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg

from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.record_codec import load_record
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TERMINAL_STATES

_TERMINAL = ", ".join(f"'{state}'" for state in sorted(TERMINAL_STATES))
MAPPA_CASE = "jsonb_typeof(state->'profile'->'mappa') = 'object'"


class Selection(StrEnum):
    """Which records a list needs."""

    PENDING = (
        "exists (select 1 from jsonb_array_elements(state->'transfers') t"  # noqa: S608
        f" where t->>'state' not in ({_TERMINAL}))"
        " or jsonb_typeof(state->'temporary_move') = 'object'"
    )
    EXPIRED = """state->'transfers' @> '[{"state": "expired"}]'"""
    CONFLICTS = "jsonb_array_length(state->'conflicts') > 0"
    TRANSFERRED = "jsonb_array_length(state->'transfers') > 0"
    MAPPA = MAPPA_CASE


async def select_records(
    pool: asyncpg.Pool, selection: Selection, *, mappa_only: bool
) -> list[OffenderRecord]:
    """The records a list needs, narrowed to MAPPA cases if asked."""
    where = f"({selection.value})" + (f" and {MAPPA_CASE}" if mappa_only else "")
    rows = await pool.fetch(
        f"select state from offender_records where {where} order by reference"  # noqa: S608 - fixed fragments
    )
    return [load_record(row["state"]) for row in rows]


class ViewOutcome(StrEnum):
    """What came of asking to see a record."""

    SHOWN = "shown"
    NOT_FOUND = "not_found"
    NOT_MAPPA = "not_mappa"


@dataclass(frozen=True)
class Viewer:
    """Who asks to see a record, and whether they may see only MAPPA cases."""

    actor: str
    username: str
    role: str
    mappa_only: bool


@dataclass(frozen=True)
class RecordView:
    """The outcome of a request to see a record, and the record if it is shown."""

    outcome: ViewOutcome
    record: OffenderRecord | None = None


async def view_record(
    pool: asyncpg.Pool,
    reference: str,
    reason: str,
    viewer: Viewer,
    at: datetime,
    *,
    signer: AuditSigner | None,
) -> RecordView:
    """Read one record for ``viewer``, writing the view (or its refusal) to the audit log.

    The read and its audit entry share one transaction: if the entry cannot be written, the
    record is not shown.
    """
    async with pool.acquire() as connection, connection.transaction():
        state = await connection.fetchval(
            "select state from offender_records where reference = $1", reference
        )
        record = load_record(state) if state is not None else None
        outcome = _outcome(record, viewer)
        entry = _entry(reference, reason, viewer, at, outcome, record)
        await append_entries(connection, [entry], signer=signer)
    return RecordView(outcome, record if outcome is ViewOutcome.SHOWN else None)


def _outcome(record: OffenderRecord | None, viewer: Viewer) -> ViewOutcome:
    if record is None:
        return ViewOutcome.NOT_FOUND
    if viewer.mappa_only and not record.profile.is_mappa_case:
        return ViewOutcome.NOT_MAPPA
    return ViewOutcome.SHOWN


def _entry(
    reference: str,
    reason: str,
    viewer: Viewer,
    at: datetime,
    outcome: ViewOutcome,
    record: OffenderRecord | None,
) -> AuditEntry:
    detail: dict[str, Any] = {"role": viewer.role, "via": "dashboard", "outcome": str(outcome)}
    if outcome is ViewOutcome.SHOWN and record is not None:
        detail.update(owner=record.owner, epoch=record.epoch, version=record.version)
    return AuditEntry(
        actor=viewer.actor,
        action="record.viewed" if outcome is ViewOutcome.SHOWN else "record.view_refused",
        at=at,
        subject=reference,
        reason=reason,
        disclosed_to=viewer.username if outcome is ViewOutcome.SHOWN else None,
        detail=detail,
    )


@dataclass(frozen=True)
class AuditRow:
    """One audit log row as the auditor's page shows it."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    reason: str | None
    disclosed_to: str | None
    detail: str


async def audit_rows(
    pool: asyncpg.Pool, *, action: str = "", subject: str = "", actor: str = "", limit: int = 200
) -> list[AuditRow]:
    """The latest audit rows, newest first, filtered by exact action, subject and actor."""
    rows = await pool.fetch(
        "select seq, at, actor, action, subject, reason, disclosed_to, detail::text as detail"
        " from audit_log where ($1 = '' or action = $1) and ($2 = '' or subject = $2)"
        " and ($3 = '' or actor = $3) order by seq desc limit $4",
        action,
        subject,
        actor,
        limit,
    )
    return [AuditRow(**dict(row)) for row in rows]
