"""The databases tests create: migrated namespaces of their own, tidied up afterwards."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from interforce.database import ensure_database, force_database_name
from ownership.adapters.migrator import migrate


async def drop_database(server_url: str, name: str) -> None:
    """Drop a test database, closing any connection still open to it."""
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'drop database if exists "{name}" with (force)')
    finally:
        await connection.close()


def migrated_namespace(
    server_url: str, monkeypatch: pytest.MonkeyPatch, forces: tuple[str, ...] = ("GMP", "WMP")
) -> str:
    """A namespace of its own with each force's database migrated, and the environment a
    CLI command reads (namespace, server, `dc.shah` acting) set for the test."""
    name = f"t{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        for force in forces:
            url = await ensure_database(server_url, force_database_name(force, name))
            connection = await asyncpg.connect(url)
            try:
                await migrate(connection)
            finally:
                await connection.close()

    asyncio.run(create())
    monkeypatch.setenv("INTERFORCE_NAMESPACE", name)
    monkeypatch.setenv("INTERFORCE_DATABASE_URL", server_url)
    monkeypatch.setenv("INTERFORCE_USER", "dc.shah")
    return name
