"""Tidy up the databases tests create, so repeated runs do not pile them up."""

from __future__ import annotations

import asyncpg


async def drop_database(server_url: str, name: str) -> None:
    """Drop a test database, closing any connection still open to it."""
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'drop database if exists "{name}" with (force)')
    finally:
        await connection.close()
