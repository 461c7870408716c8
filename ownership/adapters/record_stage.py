"""Records held between loading and writing: load many in one query, write many in one go.

A unit of work reads records through a stage and commits to it; the stage writes what was
committed (each record's committed state, the outbox rows) when `write` is called, in a few
statements whatever the number of records. A unit of work on its own writes at each commit;
the inbox shares one stage among a whole batch of messages and writes once, at the end.

What the stage writes is what was *committed*: each commit keeps the record's state as JSON
there and then. A unit of work that rolls back after changing a record makes the stage forget
its copy, so the next reader gets the last committed state back, never the abandoned change.
Each record is written only if its stored `version` is still the one loaded; otherwise
`ConcurrentUpdateError` and the caller retries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg

from ownership.adapters.db import Connection
from ownership.adapters.outbox import OutboxMessage, write_outbox
from ownership.adapters.record_codec import dump_record, load_record
from ownership.domain.record import OffenderRecord
from ownership.service_layer.unit_of_work import ConcurrentUpdateError


@dataclass(frozen=True)
class _Committed:
    """A record's state as of its last commit, ready to write."""

    owner: str
    epoch: int
    status: str
    state: str
    version: int


class RecordStage:
    """One connection's records between loading and writing."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._live: dict[str, OffenderRecord] = {}
        self._state: dict[str, str | None] = {}  # last committed JSON; None: held by nobody
        self._stored_version: dict[str, int] = {}  # the version the database holds now
        self._unwritten: dict[str, _Committed] = {}
        self.outbox: list[OutboxMessage] = []

    async def load(self, references: Iterable[str]) -> None:
        """Read every record of `references` not read yet, in one query."""
        wanted = sorted({ref for ref in references if ref not in self._state})
        if not wanted:
            return
        rows = await self._connection.fetch(
            "select reference, state::text, version from offender_records"
            " where reference = any($1)",
            wanted,
        )
        found = {row["reference"]: row for row in rows}
        for reference in wanted:
            row = found.get(reference)
            self._state[reference] = row["state"] if row else None
            if row:
                self._stored_version[reference] = row["version"]

    async def get(self, reference: str) -> OffenderRecord | None:
        """The record as last committed (or as changed since by the caller), or None."""
        if reference in self._live:
            return self._live[reference]
        if reference not in self._state:
            await self.load([reference])
        state = self._state[reference]
        if state is None:
            return None
        record = self._live[reference] = load_record(state)
        return record

    def add(self, record: OffenderRecord) -> None:
        """Hold a new record; it is written (inserted) once committed."""
        self._live[record.reference] = record

    async def list_all(self) -> list[OffenderRecord]:
        """Every record: the stored ones, with those held here in their state here."""
        rows = await self._connection.fetch(
            "select reference, state::text, version from offender_records"
        )
        for row in rows:
            if row["reference"] not in self._state:
                self._state[row["reference"]] = row["state"]
                self._stored_version[row["reference"]] = row["version"]
        references = sorted(ref for ref, state in self._state.items() if state is not None)
        return [record for ref in references if (record := await self.get(ref)) is not None]

    def commit(self, record: OffenderRecord) -> None:
        """Keep the record's state as it is now, one version on, to write."""
        record.version += 1
        state = dump_record(record)
        self._live[record.reference] = record
        self._state[record.reference] = state
        self._unwritten[record.reference] = _Committed(
            record.owner, record.epoch, str(record.status), state, record.version
        )

    def forget(self, record: OffenderRecord) -> None:
        """Drop a copy changed but not committed: the next `get` rebuilds the committed one."""
        if self._live.get(record.reference) is record:
            del self._live[record.reference]

    async def write(self) -> None:
        """Write every committed record and outbox row, in a few statements."""
        inserts = [(r, c) for r, c in self._unwritten.items() if r not in self._stored_version]
        updates = [(r, c) for r, c in self._unwritten.items() if r in self._stored_version]
        if inserts:
            await self._insert(inserts)
        if updates:
            await self._update(updates)
        await write_outbox(self._connection, self.outbox)
        for reference, committed in self._unwritten.items():
            self._stored_version[reference] = committed.version
        self._unwritten.clear()
        self.outbox = []

    async def _insert(self, rows: list[tuple[str, _Committed]]) -> None:
        try:
            await self._connection.execute(
                "insert into offender_records (reference, owner, epoch, status, state, version)"
                " select reference, owner, epoch, status, state::jsonb, version from unnest("
                "$1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[])"
                " as new (reference, owner, epoch, status, state, version)",
                *_columns(rows),
            )
        except asyncpg.UniqueViolationError as error:
            created = ", ".join(reference for reference, _ in rows)
            raise ConcurrentUpdateError(f"{created}: created meanwhile") from error

    async def _update(self, rows: list[tuple[str, _Committed]]) -> None:
        loaded = [self._stored_version[reference] for reference, _ in rows]
        result = await self._connection.execute(
            "update offender_records as r set owner = u.owner, epoch = u.epoch,"
            " status = u.status, state = u.state::jsonb, version = u.version, updated_at = now()"
            " from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[],"
            " $6::bigint[], $7::bigint[]) as u (reference, owner, epoch, status, state, version,"
            " loaded) where r.reference = u.reference and r.version = u.loaded",
            *_columns(rows),
            loaded,
        )
        if result != f"UPDATE {len(rows)}":
            changed = ", ".join(reference for reference, _ in rows)
            raise ConcurrentUpdateError(f"one of {changed} changed since it was loaded")


def _columns(rows: list[tuple[str, _Committed]]) -> tuple[list[object], ...]:
    return (
        [reference for reference, _ in rows],
        [c.owner for _, c in rows],
        [c.epoch for _, c in rows],
        [c.status for _, c in rows],
        [c.state for _, c in rows],
        [c.version for _, c in rows],
    )
