"""The append-only, hash-chained audit log: append in the caller's transaction, verify.

Row n's hash is SHA-256 over row n-1's hash and the RFC 8785 canonical JSON of row n's
content, so editing, removing or reordering any row breaks the chain from that row on.
The canonical JSON is the wire contract's own (`schemas.canonical`): the same bytes as the
RFC 8785 library, written fast for the plain documents audit rows nearly always are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson

from canonical.json import canonical_json
from ownership.adapters.db import Connection

GENESIS_HASH = bytes(32)
AUDIT_LOCK_KEY = 0x1F0C_E000_0002


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, why, and to whom it was disclosed."""

    actor: str
    action: str
    at: datetime
    subject: str | None = None
    reason: str | None = None
    disclosed_to: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`: how far it got, and the first broken row if any."""

    rows_checked: int
    broken_at: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def entry_hash(previous: bytes, seq: int, entry: AuditEntry) -> bytes:
    """The chain hash of one row."""
    content: dict[str, Any] = {
        "seq": seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "reason": entry.reason,
        "disclosed_to": entry.disclosed_to,
        "detail": dict(entry.detail),
    }
    return hashlib.sha256(previous + canonical_json(content)).digest()


async def append_entries(connection: Connection, entries: Sequence[AuditEntry]) -> None:
    """Append entries to the chain; call inside the transaction whose effects they record."""
    if not entries:
        return
    await connection.execute("select pg_advisory_xact_lock($1)", AUDIT_LOCK_KEY)
    last = await connection.fetchrow("select seq, hash from audit_log order by seq desc limit 1")
    seq, previous = (last["seq"], bytes(last["hash"])) if last else (0, GENESIS_HASH)
    rows = []
    for entry in entries:
        seq += 1
        digest = entry_hash(previous, seq, entry)
        rows.append(
            (seq, entry.at, entry.actor, entry.action, entry.subject, entry.reason,
             entry.disclosed_to, orjson.dumps(dict(entry.detail)).decode(), previous, digest)
        )  # fmt: skip
        previous = digest
    await connection.executemany(
        "insert into audit_log (seq, at, actor, action, subject, reason, disclosed_to, detail,"
        " prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)",
        rows,
    )


async def verify_chain(connection: Connection) -> ChainReport:
    """Recompute every hash in order and report the first row that does not fit."""
    previous, expected_seq, checked = GENESIS_HASH, 1, 0
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        async for row in connection.cursor("select * from audit_log order by seq"):
            seq = row["seq"]
            problem = _row_problem(row, previous, expected_seq)
            if problem:
                return ChainReport(rows_checked=checked, broken_at=seq, problem=problem)
            previous, expected_seq, checked = bytes(row["hash"]), seq + 1, checked + 1
    return ChainReport(rows_checked=checked)


def _row_problem(row: asyncpg.Record, previous: bytes, expected_seq: int) -> str | None:
    seq = row["seq"]
    if seq != expected_seq:
        return f"row {expected_seq} is missing (found {seq} after {expected_seq - 1})"
    if bytes(row["prev_hash"]) != previous:
        return f"row {seq} does not point at row {seq - 1}'s hash"
    entry = AuditEntry(
        actor=row["actor"],
        action=row["action"],
        at=row["at"],
        subject=row["subject"],
        reason=row["reason"],
        disclosed_to=row["disclosed_to"],
        detail=json.loads(row["detail"]),
    )
    if entry_hash(previous, seq, entry) != bytes(row["hash"]):
        return f"row {seq}'s content does not match its hash: it was changed after it was written"
    return None
