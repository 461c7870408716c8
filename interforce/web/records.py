"""One record's view for the dashboard, audited with its read.

The lists' reads (only the records they need, chosen in SQL over the JSONB state, narrowed
to MAPPA cases in the same query for a MAPPA lead) are in `ownership.adapters.views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg

from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.views import stored_record
from ownership.domain.record import OffenderRecord


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
        record = await stored_record(connection, reference)
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
