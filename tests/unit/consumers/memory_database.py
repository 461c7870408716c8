"""An in-memory stand-in for the few statements the inbox path runs, for fast unit tests.

It knows each statement by its whole text and keeps what PostgreSQL would: the inbox keys, the
stored offsets, the audit rows, the dead letters and the stand-in effect rows. A transaction
(or a savepoint inside one) rolls its changes back when its block raises. A statement it does
not know fails the test: the integration tests run the same cases on the real database.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import asyncpg

from ownership.adapters.db import Connection

Row = dict[str, Any]

# The statements it knows, word for word: a statement changed in the code must be changed
# here too, with what it now means (and the integration tests say whether PostgreSQL agrees).
LOCK_OFFSETS = (
    "insert into consumed_offsets (topic, partition, next_offset)"
    " select topic, partition, 0 from unnest($1::text[], $2::int[]) as p (topic, partition)"
    " on conflict (topic, partition) do update set next_offset = consumed_offsets.next_offset"
    " returning topic, partition, next_offset"
)
STORE_OFFSETS = (
    "insert into consumed_offsets (topic, partition, next_offset)"
    " select * from unnest($1::text[], $2::int[], $3::bigint[])"
    " on conflict (topic, partition) do update"
    " set next_offset = greatest(consumed_offsets.next_offset, excluded.next_offset),"
    " updated_at = now()"
)
STORED_OFFSETS = (
    "select partition, next_offset from consumed_offsets"
    " where topic = $1 and partition = any($2::int[])"
)
CLAIM_INBOX = (
    "insert into inbox (sender, message_id)"
    " select * from unnest($1::text[], $2::text[]) on conflict do nothing"
    " returning sender, message_id"
)
AUDIT_LOCK = "select pg_advisory_xact_lock($1)"
LAST_AUDIT_ROW = "select seq, hash from audit_log order by seq desc limit 1"
APPEND_AUDIT = (
    "insert into audit_log (seq, at, actor, action, subject, reason, disclosed_to, detail,"
    " prev_hash, hash, sealed_from, kid, signature)"
    " values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)"
)
RECORD_DEAD_LETTERS = (
    'insert into dead_letters (topic, partition, "offset", reason, detail, sender, message_id,'
    " key, value) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing"
)
INSERT_EFFECT = "insert into effects values ($1)"


@dataclass
class Tables:
    """What the database holds."""

    inbox: list[tuple[str, str]] = field(default_factory=list)
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    audit: list[tuple[Any, ...]] = field(default_factory=list)
    dead_letters: dict[tuple[str, int, int], tuple[Any, ...]] = field(default_factory=dict)
    effects: list[str] = field(default_factory=list)


@dataclass
class MemoryConnection:
    """One connection over the shared tables; every statement is checked against its text."""

    tables: Tables
    statements: list[str] = field(default_factory=list)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        before = copy.deepcopy(self.tables)
        try:
            yield
        except BaseException:
            self._restore(before)
            raise

    def _restore(self, before: Tables) -> None:
        for name in vars(before):
            setattr(self.tables, name, getattr(before, name))

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        self.statements.append(sql)
        if sql == LOCK_OFFSETS:
            return self._lock_offsets(*args)
        if sql == CLAIM_INBOX:
            return self._claim(*args)
        if sql == STORED_OFFSETS:
            topic, partitions = args
            return [
                {"partition": p, "next_offset": n}
                for (t, p), n in sorted(self.tables.offsets.items())
                if t == topic and p in partitions
            ]
        raise AssertionError(f"statement the stand-in does not know: {sql}")

    async def fetchrow(self, sql: str, *args: Any) -> Row | None:
        self.statements.append(sql)
        if sql == LAST_AUDIT_ROW:
            if not self.tables.audit:
                return None
            last = self.tables.audit[-1]
            return {"seq": last[0], "hash": last[9]}
        raise AssertionError(f"statement the stand-in does not know: {sql}")

    async def fetchval(self, sql: str, *args: Any) -> Any:
        raise AssertionError(f"statement the stand-in does not know: {sql}")

    async def execute(self, sql: str, *args: Any) -> str:
        self.statements.append(sql)
        if sql == AUDIT_LOCK:
            return "SELECT 1"
        if sql == STORE_OFFSETS:
            for topic, partition, offset in zip(*args, strict=True):
                key = (topic, partition)
                self.tables.offsets[key] = max(self.tables.offsets.get(key, offset), offset)
            return "INSERT"
        raise AssertionError(f"statement the stand-in does not know: {sql}")

    async def executemany(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        self.statements.append(sql)
        if sql == APPEND_AUDIT:
            self.tables.audit.extend(rows)
        elif sql == RECORD_DEAD_LETTERS:
            for row in rows:
                self.tables.dead_letters.setdefault(row[:3], row)
        elif sql == INSERT_EFFECT:
            self.tables.effects.extend(row[0] for row in rows)
        else:
            raise AssertionError(f"statement the stand-in does not know: {sql}")

    def _lock_offsets(self, topics: list[str], partitions: list[int]) -> list[Row]:
        keys = list(zip(topics, partitions, strict=True))
        assert keys == sorted(keys), "offsets are locked in (topic, partition) order"
        rows = []
        for key in keys:
            self.tables.offsets.setdefault(key, 0)
            rows.append(
                {"topic": key[0], "partition": key[1], "next_offset": self.tables.offsets[key]}
            )
        return rows

    def _claim(self, senders: list[str], message_ids: list[str]) -> list[Row]:
        # As PostgreSQL does: a key already present, or inserted earlier in the same
        # statement, conflicts and is left out of what the statement returns.
        claimed = []
        for key in zip(senders, message_ids, strict=True):
            if key not in self.tables.inbox:
                self.tables.inbox.append(key)
                claimed.append({"sender": key[0], "message_id": key[1]})
        return claimed


@dataclass
class MemoryPool:
    """Lends its one connection, as a pool lends one of its own."""

    tables: Tables = field(default_factory=Tables)

    def __post_init__(self) -> None:
        self.connection = MemoryConnection(self.tables)

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[MemoryConnection]:
        yield self.connection

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        return await self.connection.fetch(sql, *args)

    def as_pool(self) -> asyncpg.Pool:
        """This stand-in, typed as what the processor takes."""
        return cast(asyncpg.Pool, self)

    def as_connection(self) -> Connection:
        """Its connection, typed as what the adapters take."""
        return cast(Connection, self.connection)
