"""Databases on a PostgreSQL server: one per force, created on demand."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def database_url(server_url: str, database: str) -> str:
    """The server URL with its database replaced by `database`."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def force_database_name(force: str, namespace: str = "interforce") -> str:
    """The database that holds one force's node, e.g. `interforce_wmp`."""
    return f"{namespace}_{force.lower()}"


async def ensure_database(server_url: str, database: str) -> str:
    """Create `database` on the server unless it exists; return its URL."""
    if not _SAFE_NAME.fullmatch(database):
        raise ValueError(f"{database!r} is not a plain lower-case database name")
    connection = await asyncpg.connect(server_url)
    try:
        exists = await connection.fetchval("select 1 from pg_database where datname = $1", database)
        if not exists:
            # another process may create it between our check and our create
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await connection.execute(f'create database "{database}"')
    finally:
        await connection.close()
    return database_url(server_url, database)


def login_url(url: str, user: str, password: str | None = None) -> str:
    """`url` with its user (and password) replaced: to connect as a force's node role."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    credentials = quote(user, safe="")
    if password is not None:
        credentials += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{credentials}@{host}", parts.path, parts.query, ""))
