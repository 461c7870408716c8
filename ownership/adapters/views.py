"""What the node's tools read from its own tables, in one place.

The command line, the dashboard, the deadline scheduler, reconciliation and the health
report all read the node's tables (records, outbox, inbox, dead letters, audit log) through
these functions, so their SQL lives beside the schema's other adapters and nowhere else. Each
takes a pool or a connection (one inside the caller's transaction, when the read must share
it) and returns typed results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from ownership.adapters.db import Connection
from ownership.adapters.record_codec import load_record
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TERMINAL_STATES

if TYPE_CHECKING:
    Reader: TypeAlias = asyncpg.Pool[Any] | Connection
else:  # asyncpg's classes are generic only in its stubs
    Reader: TypeAlias = asyncpg.Pool | Connection

_TERMINAL = ", ".join(f"'{state}'" for state in sorted(TERMINAL_STATES))
MAPPA_CASE = "jsonb_typeof(state->'profile'->'mappa') = 'object'"

_MAY_BE_WAITING = (
    "select state from offender_records"
    " where status in ('transferring_out', 'transferring_in', 'in_conflict')"
    " or state->'temporary_move' <> 'null'::jsonb order by reference"
)


class Selection(StrEnum):
    """Which records a list needs: a condition over the record's JSONB state."""

    PENDING = (
        "exists (select 1 from jsonb_array_elements(state->'transfers') t"  # noqa: S608
        f" where t->>'state' not in ({_TERMINAL}))"
        " or jsonb_typeof(state->'temporary_move') = 'object'"
    )
    EXPIRED = """state->'transfers' @> '[{"state": "expired"}]'"""
    CONFLICTS = "jsonb_array_length(state->'conflicts') > 0"
    TRANSFERRED = "jsonb_array_length(state->'transfers') > 0"
    MAPPA = MAPPA_CASE
    TASKS = (
        f"({PENDING})"  # noqa: S608 - fixed fragments
        " or jsonb_array_length(coalesce(state->'absences', '[]'::jsonb)) > 0"
        " or exists (select 1 from jsonb_array_elements(state->'transfers') t"
        " where t->>'state' = 'expired' or jsonb_typeof(t->'arrival_failure') = 'object')"
    )


async def stored_record(reader: Reader, reference: str) -> OffenderRecord | None:
    """The record of ``reference`` as stored, or None if the force holds none."""
    state = await reader.fetchval(
        "select state from offender_records where reference = $1", reference
    )
    return load_record(state) if state is not None else None


async def all_records(reader: Reader) -> list[OffenderRecord]:
    """Every record the force holds, in no particular order."""
    rows = await reader.fetch("select state from offender_records")
    return [load_record(row["state"]) for row in rows]


async def selected_records(
    reader: Reader, selection: Selection, *, mappa_only: bool
) -> list[OffenderRecord]:
    """The records a list needs, narrowed to MAPPA cases if asked, by reference."""
    where = f"({selection.value})" + (f" and {MAPPA_CASE}" if mappa_only else "")
    rows = await reader.fetch(
        f"select state from offender_records where {where} order by reference"  # noqa: S608 - fixed fragments
    )
    return [load_record(row["state"]) for row in rows]


async def records_that_may_be_waiting(reader: Reader) -> list[OffenderRecord]:
    """The records that can have a deadline running: moving, in conflict or lent, by reference."""
    rows = await reader.fetch(_MAY_BE_WAITING)
    return [load_record(row["state"]) for row in rows]


async def records_in_conflict(reader: Reader) -> list[OffenderRecord]:
    """The records whose status is in conflict, by reference."""
    rows = await reader.fetch(
        "select state from offender_records where status = 'in_conflict' order by reference"
    )
    return [load_record(row["state"]) for row in rows]


async def applied_message_ids(reader: Reader, message_ids: Sequence[str]) -> set[str]:
    """Which of ``message_ids`` the node's inbox holds: the messages it has applied."""
    rows = await reader.fetch(
        "select message_id from inbox where message_id = any($1::text[])", list(message_ids)
    )
    return {row["message_id"] for row in rows}


async def forget_inbox_ids_before(reader: Reader, cutoff: datetime) -> int:
    """Delete the inbox ids received before ``cutoff``; return how many went.

    Not a read, but the inbox's retention belongs with the node's other queries on its
    tables, not in the runtime.
    """
    result = await reader.execute("delete from inbox where received_at < $1", cutoff)
    return int(result.split()[-1])


@dataclass(frozen=True)
class QueueCounts:
    """How many outbox rows wait and have failed, and how many messages were dead-lettered."""

    outbox_waiting: int
    outbox_failed: int
    dead_letters: int


async def queue_counts(reader: Reader) -> QueueCounts:
    """The outbox's waiting and failed rows and the dead letters, counted in one query."""
    row = await reader.fetchrow(
        "select (select count(*) from outbox where sent_at is null and failure is null)"
        " as outbox_waiting, (select count(*) from outbox where failure is not null)"
        " as outbox_failed, (select count(*) from dead_letters) as dead_letters"
    )
    if row is None:  # a select without a from always returns its one row
        raise RuntimeError("the queue counts query returned no row")
    return QueueCounts(**dict(row))


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
    reader: Reader, *, action: str = "", subject: str = "", actor: str = "", limit: int = 200
) -> list[AuditRow]:
    """The latest audit rows, newest first, filtered by exact action, subject and actor."""
    rows = await reader.fetch(
        "select seq, at, actor, action, subject, reason, disclosed_to, detail::text as detail"
        " from audit_log where ($1 = '' or action = $1) and ($2 = '' or subject = $2)"
        " and ($3 = '' or actor = $3) order by seq desc limit $4",
        action,
        subject,
        actor,
        limit,
    )
    return [AuditRow(**dict(row)) for row in rows]


@dataclass(frozen=True)
class FailedMessage:
    """An outbox row that can never be sent (set aside by the relay): failed, not waiting."""

    message_id: str
    offender_reference: str | None
    recipient: str
    message_type: str
    transfer_id: str | None
    failure: str
    created_at: datetime

    def as_dict(self) -> dict[str, str | None]:
        return {
            "message_id": self.message_id,
            "reference": self.offender_reference,
            "recipient": self.recipient,
            "message_type": self.message_type,
            "transfer_id": self.transfer_id,
            "failure": self.failure,
            "since": self.created_at.isoformat(),
        }


async def failed_messages(
    reader: Reader, *, mappa_only: bool = False, limit: int = 1000
) -> list[FailedMessage]:
    """The outbox rows that can never be sent, oldest first (of MAPPA cases only, if asked)."""
    rows = await reader.fetch(
        "select message_id::text as message_id, offender_reference, recipient, message_type,"
        " transfer_id, failure, created_at from outbox o where failure is not null"
        " and (not $2 or exists (select 1 from offender_records r"
        " where r.reference = o.offender_reference"
        " and jsonb_typeof(r.state->'profile'->'mappa') = 'object'))"
        " order by id limit $1",
        limit,
        mappa_only,
    )
    return [FailedMessage(**dict(row)) for row in rows]


def failure_of(
    failed: Sequence[FailedMessage], reference: str, transfer_id: str, party: str
) -> FailedMessage | None:
    """The failed message that leaves a transfer waiting on ``party`` for nothing, if any:
    a message of that transfer to that party that could never be sent."""
    return next(
        (
            m
            for m in reversed(failed)
            if (m.offender_reference, m.transfer_id, m.recipient) == (reference, transfer_id, party)
        ),
        None,
    )
