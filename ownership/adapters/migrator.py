"""Apply the SQL migrations in order, once each, recorded in `schema_migrations`.

Safe to run twice and from two processes at once: a session advisory lock serialises
runners, and each migration commits with its own row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from ownership.adapters.db import Connection

MIGRATION_LOCK_KEY = 0x1F0C_E000_0001  # any constant that no other code locks on


@dataclass(frozen=True)
class Migration:
    """One SQL file: `NNNN_name.sql`."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(RuntimeError):
    """An applied migration's file changed, or the database is ahead of this code."""


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with this package, in version order."""
    folder = resources.files("ownership.adapters").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text()))
    return sorted(found, key=lambda migration: migration.version)


async def migrate(connection: Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    wanted = bundled_migrations() if migrations is None else migrations
    await connection.execute("select pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
    try:
        await connection.execute(
            "create table if not exists schema_migrations ("
            " version integer primary key, name text not null, checksum text not null,"
            " applied_at timestamptz not null default now())"
        )
        applied = {
            row["version"]: row["checksum"]
            for row in await connection.fetch("select version, checksum from schema_migrations")
        }
        _check_history(applied, wanted)
        done = []
        for migration in wanted:
            if migration.version in applied:
                continue
            async with connection.transaction():
                await connection.execute(migration.sql)
                await connection.execute(
                    "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            done.append(f"{migration.version:04d}_{migration.name}")
        return done
    finally:
        await connection.execute("select pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)


async def pending_migrations(
    connection: Connection, migrations: list[Migration] | None = None
) -> list[str]:
    """The names of the migrations not yet applied (every one on a database never migrated)."""
    wanted = bundled_migrations() if migrations is None else migrations
    applied: set[int] = set()
    if await connection.fetchval("select to_regclass('schema_migrations') is not null"):
        rows = await connection.fetch("select version from schema_migrations")
        applied = {row["version"] for row in rows}
    return [f"{m.version:04d}_{m.name}" for m in wanted if m.version not in applied]


def _check_history(applied: dict[int, str], wanted: list[Migration]) -> None:
    known = {migration.version: migration for migration in wanted}
    for version, checksum in applied.items():
        migration = known.get(version)
        if migration is None:
            raise MigrationError(
                f"the database has migration {version:04d}, which this code does not know: "
                "it was migrated by a newer interforce"
            )
        if migration.checksum != checksum:
            raise MigrationError(
                f"migration {version:04d}_{migration.name} changed after it was applied; "
                "released migrations are never edited, add a new one instead"
            )
