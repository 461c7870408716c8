"""The append-only, hash-chained, signed audit log: append in the caller's transaction, verify.

Row n's hash is SHA-256 over row n-1's hash and the RFC 8785 canonical JSON of row n's
content, so editing, removing or reordering any row breaks the chain from that row on.
The canonical JSON is the signatures' own (`canonical.json`): the same bytes as the
RFC 8785 library, written fast for the plain documents audit rows nearly always are.

A chain alone proves nothing against whoever can write the table: anyone with the node
role's insert rights can extend it, and a superuser can cut its tail off and leave a valid
shorter chain. So each append is sealed with the force's key (see `audit_signing`), and the
node signs checkpoints of the head, kept in `audit_checkpoints` and on its own Kafka topic.
`verify_chain` checks all three: the chain; that every row since signing began lies in a
sealed range whose signature verifies; and that the log still reaches every checkpoint.
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
from ownership.adapters.audit_signing import (
    AuditSigner,
    Checkpoint,
    KeyLookup,
    seal_message,
    signature_verifies,
)
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


async def append_entries(
    connection: Connection, entries: Sequence[AuditEntry], *, signer: AuditSigner | None
) -> None:
    """Append entries to the chain; call inside the transaction whose effects they record.

    `signer` seals the append (one signature, on its last row). Without one the rows are
    unsigned, and once signing has begun `verify_chain` cannot tell them from rows appended
    by someone without the force's key: only logs from before signing began may have them.
    """
    if not entries:
        return
    await connection.execute("select pg_advisory_xact_lock($1)", AUDIT_LOCK_KEY)
    last = await connection.fetchrow("select seq, hash from audit_log order by seq desc limit 1")
    seq, previous = (last["seq"], bytes(last["hash"])) if last else (0, GENESIS_HASH)
    first = seq + 1
    rows: list[tuple[Any, ...]] = []
    for entry in entries:
        seq += 1
        digest = entry_hash(previous, seq, entry)
        rows.append(
            (seq, entry.at, entry.actor, entry.action, entry.subject, entry.reason,
             entry.disclosed_to, orjson.dumps(dict(entry.detail)).decode(), previous, digest,
             None, None, None)
        )  # fmt: skip
        previous = digest
    if signer is not None:
        kid, signature = signer.sign(seal_message(signer.force, first, seq, previous))
        rows[-1] = (*rows[-1][:10], first, kid, signature)
    await connection.executemany(
        "insert into audit_log (seq, at, actor, action, subject, reason, disclosed_to, detail,"
        " prev_hash, hash, sealed_from, kid, signature)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)",
        rows,
    )


async def audit_head(connection: Connection) -> tuple[int, bytes]:
    """The log's length (its last row's seq) and head hash; (0, genesis) when it is empty."""
    last = await connection.fetchrow("select seq, hash from audit_log order by seq desc limit 1")
    return (last["seq"], bytes(last["hash"])) if last else (0, GENESIS_HASH)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`: how far it got, the first problem, and what vouched.

    `legacy_rows` were written before signing began (by an earlier version): the chain alone
    vouches for them, and the first checkpoint or seal after them for their state then.
    """

    rows_checked: int
    broken_at: int | None = None
    problem: str | None = None
    problems: tuple[str, ...] = ()
    legacy_rows: int = 0
    seals: int = 0
    signatures_checked: bool = False
    checkpoints: tuple[Checkpoint, ...] = ()
    database_checkpoints: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def latest(self) -> Checkpoint | None:
        """The checkpoint of the greatest length (the latest of those), if any."""
        return max(self.checkpoints, key=lambda c: (c.length, c.at), default=None)


@dataclass(frozen=True)
class _Found:
    """One problem: the first row it concerns (None when no row can be named) and what."""

    row: int | None
    text: str


async def verify_chain(
    connection: Connection,
    *,
    force: str | None = None,
    keys: KeyLookup | None = None,
    external: Sequence[Checkpoint] = (),
) -> ChainReport:
    """Recompute every hash in order and report the first row that does not fit.

    With `force` and `keys` (the force directory's public keys by kid) every seal and
    checkpoint signature is checked too; without them only that seals cover the rows.
    `external` are checkpoints read from outside the database (the force's Kafka topic):
    those of another database are ignored; each of this one's must also be in the table.
    """
    if keys is not None and force is None:
        raise ValueError("checking signatures needs the force whose log it is")
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        database = str(await connection.fetchval("select current_database()"))
        stored = await _stored_checkpoints(connection)
        theirs = [c for c in external if c.database == database and force in (None, c.force)]
        valid = _valid(stored, keys, force, database) + _valid(theirs, keys, force, database)
        walk = _Walk(force, keys, valid)
        walk.refuse_forged(stored, theirs)
        walk.require_stored(theirs, stored)
        await walk.rows(connection)
    return walk.report(len(stored))


async def _stored_checkpoints(connection: Connection) -> list[Checkpoint]:
    """The checkpoints in the database; none where migration 0005 has not run yet."""
    if await connection.fetchval("select to_regclass('audit_checkpoints')") is None:
        return []
    rows = await connection.fetch("select * from audit_checkpoints order by length, at")
    return [_checkpoint(row) for row in rows]


def _checkpoint(row: asyncpg.Record) -> Checkpoint:
    return Checkpoint(
        row["force"], row["database"], row["length"], bytes(row["head_hash"]),
        row["at"], row["kid"], bytes(row["signature"]),
    )  # fmt: skip


def _valid(
    checkpoints: Sequence[Checkpoint], keys: KeyLookup | None, force: str | None, database: str
) -> list[Checkpoint]:
    """The checkpoints of this log that the force's keys signed (all of this log's, unchecked,
    without keys)."""
    ours = [c for c in checkpoints if c.database == database]
    if keys is None:
        return ours
    return [c for c in ours if c.force == force and c.verifies(keys)]


class _Walk:
    """Checks the rows in order against the chain, the seals and the checkpoints."""

    def __init__(self, force: str | None, keys: KeyLookup | None, valid: list[Checkpoint]):
        self._force = force
        self._keys = keys
        self._valid = _distinct(valid)
        self._at_length: dict[int, list[Checkpoint]] = {}
        for checkpoint in self._valid:
            self._at_length.setdefault(checkpoint.length, []).append(checkpoint)
        # Signing began with the first checkpoint (the node signs one as it starts) or the
        # first seal, whichever comes first; rows before it are an earlier version's.
        self._signing_from = min((c.length + 1 for c in self._valid), default=None)
        self._found: list[_Found] = []
        self._previous, self._next_seq, self._checked = GENESIS_HASH, 1, 0
        self._unsealed_from = 1
        self._seals = 0
        self._stopped = False

    def refuse_forged(self, stored: Sequence[Checkpoint], theirs: Sequence[Checkpoint]) -> None:
        """A checkpoint no key of the force signed was written by someone else."""
        valid = set(self._valid)
        for where, checkpoints in (("the database", stored), ("the topic", theirs)):
            for checkpoint in checkpoints:
                if checkpoint not in valid:
                    text = (
                        f"{checkpoint.describe()} in {where} (length {checkpoint.length}) is"
                        f" not signed by a key of {self._force} for this database: someone"
                        " without the key wrote it, or copied it from another log"
                    )
                    self._found.append(_Found(None, text))

    def require_stored(self, theirs: Sequence[Checkpoint], stored: Sequence[Checkpoint]) -> None:
        """The node writes each checkpoint to the database before the topic: one on the topic
        but not in the database was deleted from it."""
        kept = set(stored)
        valid = set(self._valid)
        for checkpoint in _distinct([c for c in theirs if c in valid]):
            if checkpoint not in kept:
                text = (
                    f"{checkpoint.describe()} (length {checkpoint.length}) is on the topic but"
                    " not in the database's audit_checkpoints: it was deleted there"
                )
                self._found.append(_Found(None, text))

    async def rows(self, connection: Connection) -> None:
        for checkpoint in self._at_length.get(0, []):
            if checkpoint.head_hash != GENESIS_HASH:
                self._stop(1, f"{checkpoint.describe()} signed an empty log with a head hash")
        async for row in connection.cursor("select * from audit_log order by seq"):
            if self._stopped:
                return
            self._row(row)
        if not self._stopped:
            self._finish()

    def _row(self, row: asyncpg.Record) -> None:
        seq = row["seq"]
        found = _chain_problem(row, self._previous, self._next_seq)
        if found is not None:
            self._stop(found.row, found.text)
            return
        digest = bytes(row["hash"])
        for checkpoint in self._at_length.get(seq, []):
            if checkpoint.head_hash != digest:
                self._stop(seq, (
                    f"row {seq}'s hash is not the one the {checkpoint.describe()} signed:"
                    f" rows up to {seq} were rewritten"
                ))  # fmt: skip
                return
        if row.get("signature") is not None:
            self._seal(row, seq, digest)
        self._previous, self._next_seq = digest, seq + 1
        if not self._stopped:
            self._checked += 1

    def _seal(self, row: asyncpg.Record, seq: int, digest: bytes) -> None:
        first = row["sealed_from"]
        if self._seals == 0:
            start = self._signing_from
            self._signing_from = first if start is None else min(start, first)
            self._unsealed_from = self._signing_from  # the rows before it are legacy
        if first > self._unsealed_from:
            self._unsigned(self._unsealed_from, first - 1)
            return
        if first < self._unsealed_from:
            self._stop(seq, (
                f"row {seq}'s seal claims rows from {first}, but rows up to"
                f" {self._unsealed_from - 1} were sealed already: it was not written by the node"
            ))  # fmt: skip
            return
        problem = self._seal_problem(row, first, seq, digest)
        if problem is not None:
            self._stop(first, problem)
            return
        self._seals += 1
        self._unsealed_from = seq + 1

    def _seal_problem(self, row: asyncpg.Record, first: int, seq: int, digest: bytes) -> str | None:
        if self._keys is None or self._force is None:
            return None
        kid = row["kid"]
        key = self._keys(kid)
        span = f"row {seq} is" if first == seq else f"rows {first}–{seq} are"
        if key is None or key.force != self._force:
            return f"{span} sealed with key {kid!r}, which is not one of {self._force}'s"
        if not key.vouches(self._force, row["at"]):
            return f"{span} sealed with key {kid!r}, revoked before row {seq} was written"
        message = seal_message(self._force, first, seq, digest)
        if not signature_verifies(key, message, bytes(row["signature"])):
            return (
                f"{span} not what the node signed (the seal on row {seq} does not"
                " verify): a row among them was changed and the chain recomputed"
            )
        return None

    def _finish(self) -> None:
        """The log must reach every checkpoint, and end in a sealed range."""
        last = self._next_seq - 1
        longest = max(self._valid, key=lambda c: (c.length, c.at), default=None)
        if longest is not None and longest.length > last:
            self._stop(last + 1, (
                f"{_span(last + 1, longest.length)} missing: {longest.describe()} signed length"
                f" {longest.length}, the log has {last}"
            ))  # fmt: skip
        if self._signing_from is not None:
            start = max(self._unsealed_from, self._signing_from)
            if start <= last:
                self._unsigned(start, last)

    def _unsigned(self, first: int, last: int) -> None:
        span = _span(first, last)
        verb = "is" if first == last else "are"
        self._stop(first, (
            f"{span} {verb} not signed with {self._force or 'the force'}'s key: appended by"
            " someone without it"
        ))  # fmt: skip

    def _stop(self, row: int | None, text: str) -> None:
        """A row's problem: named before any other, unless one was named already."""
        if self._stopped:
            self._found.append(_Found(row, text))
        else:
            self._found.insert(0, _Found(row, text))
        self._stopped = True

    def report(self, database_checkpoints: int) -> ChainReport:
        first = self._found[0] if self._found else None
        signing_from = self._signing_from or self._next_seq
        checked = self._checked
        if first is not None and first.row is not None:
            checked = min(checked, first.row - 1)
        return ChainReport(
            rows_checked=checked,
            broken_at=first.row if first else None,
            problem=first.text if first else None,
            problems=tuple(found.text for found in self._found),
            legacy_rows=min(signing_from, self._next_seq) - 1,
            seals=self._seals,
            signatures_checked=self._keys is not None,
            checkpoints=tuple(self._valid),
            database_checkpoints=database_checkpoints,
        )


def _distinct(checkpoints: Sequence[Checkpoint]) -> list[Checkpoint]:
    return list(dict.fromkeys(checkpoints))


def _span(first: int, last: int) -> str:
    return f"row {first}" if first == last else f"rows {first}–{last}"


def _chain_problem(row: asyncpg.Record, previous: bytes, expected_seq: int) -> _Found | None:
    seq = row["seq"]
    if seq != expected_seq:
        return _Found(seq, f"row {expected_seq} is missing (found {seq} after {expected_seq - 1})")
    entry = _entry(row)
    if bytes(row["prev_hash"]) != previous:
        if entry_hash(bytes(row["prev_hash"]), seq, entry) == bytes(row["hash"]):
            # This row is whole and still points at its predecessor's old hash: the
            # predecessor was changed and its own hash recomputed.
            return _Found(seq - 1, (
                f"row {seq - 1} was changed after it was written and its hash recomputed"
                f" (row {seq} still points at its old hash)"
            ))  # fmt: skip
        return _Found(seq, f"row {seq} does not point at row {seq - 1}'s hash")
    if entry_hash(previous, seq, entry) != bytes(row["hash"]):
        return _Found(
            seq, f"row {seq}'s content does not match its hash: it was changed after it was written"
        )
    return None


def _entry(row: asyncpg.Record) -> AuditEntry:
    return AuditEntry(
        actor=row["actor"],
        action=row["action"],
        at=row["at"],
        subject=row["subject"],
        reason=row["reason"],
        disclosed_to=row["disclosed_to"],
        detail=json.loads(row["detail"]),
    )
