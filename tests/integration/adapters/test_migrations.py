"""Migrations apply in order, once, from two processes at once, and refuse edited history."""

from __future__ import annotations

import asyncio
import dataclasses

import asyncpg
import pytest

from ownership.adapters.migrator import MigrationError, bundled_migrations, migrate

pytestmark = pytest.mark.integration


async def test_migrate_applies_every_migration_once(fresh_database: str) -> None:
    connection = await asyncpg.connect(fresh_database)
    try:
        first = await migrate(connection)
        second = await migrate(connection)
        versions = await connection.fetch("select version from schema_migrations order by 1")
    finally:
        await connection.close()
    assert first == [f"{m.version:04d}_{m.name}" for m in bundled_migrations()]
    assert second == []
    assert [row["version"] for row in versions] == [m.version for m in bundled_migrations()]


async def test_two_runners_at_once_apply_each_migration_once(fresh_database: str) -> None:
    connections = [await asyncpg.connect(fresh_database) for _ in range(2)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in connections))
    finally:
        for connection in connections:
            await connection.close()
    applied = sorted(name for result in results for name in result)
    assert applied == sorted(f"{m.version:04d}_{m.name}" for m in bundled_migrations())


async def test_an_edited_released_migration_is_refused(fresh_database: str) -> None:
    connection = await asyncpg.connect(fresh_database)
    try:
        await migrate(connection)
        edited = [dataclasses.replace(m, sql=m.sql + "\n-- edited") for m in bundled_migrations()]
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await migrate(connection, edited)
    finally:
        await connection.close()
