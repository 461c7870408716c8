"""A row written to a real PostgreSQL database reads back unchanged."""

from __future__ import annotations

import asyncpg
import pytest

from interforce.database import database_url, ensure_database

pytestmark = pytest.mark.integration


async def test_row_round_trips_through_real_postgres(fresh_database: str) -> None:
    connection = await asyncpg.connect(fresh_database)
    try:
        await connection.execute("create table smoke (reference text primary key, owner text)")
        await connection.execute("insert into smoke values ($1, $2)", "OFF-0001", "WMP")
        row = await connection.fetchrow("select * from smoke where reference = $1", "OFF-0001")
    finally:
        await connection.close()
    assert row is not None
    assert dict(row) == {"reference": "OFF-0001", "owner": "WMP"}


async def test_ensure_database_creates_once_and_returns_its_url(postgres_url: str) -> None:
    url = await ensure_database(postgres_url, "interforce_smoke_twice")
    again = await ensure_database(postgres_url, "interforce_smoke_twice")
    assert url == again == database_url(postgres_url, "interforce_smoke_twice")
    connection = await asyncpg.connect(url)
    try:
        assert await connection.fetchval("select current_database()") == "interforce_smoke_twice"
    finally:
        await connection.close()


async def test_ensure_database_refuses_unsafe_names(postgres_url: str) -> None:
    with pytest.raises(ValueError, match="plain lower-case"):
        await ensure_database(postgres_url, 'x"; drop database postgres; --')
