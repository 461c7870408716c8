"""Dashboard sessions kept in the force's database, so that ending one ends it everywhere.

The browser's cookie holds a random session id; the `web_sessions` table holds only its
SHA-256 digest, the account and when the session expires. Every instance of the node reads
the same table, so a session ended on one (signing out, the account disabled, its password
changed) is refused by all of them at the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import asyncpg

from ownership.adapters.db import Connection

ID_BYTES = 32


def _digest(session_id: str) -> bytes:
    return hashlib.sha256(session_id.encode()).digest()


async def open_session(
    connection: Connection, username: str, at: datetime, lifetime: timedelta
) -> str:
    """A new session for ``username`` from ``at``; returns the id for the cookie."""
    await connection.execute(
        # rows another transaction holds are skipped, not waited for: pruning never deadlocks
        "delete from web_sessions where id_digest in (select id_digest from web_sessions"
        " where expires_at <= $1 for update skip locked)",
        at,
    )
    session_id = secrets.token_urlsafe(ID_BYTES)
    await connection.execute(
        "insert into web_sessions (id_digest, username, signed_in_at, expires_at)"
        " values ($1, $2, $3, $4)",
        _digest(session_id),
        username,
        at,
        at + lifetime,
    )
    return session_id


async def session_user(
    connection: Connection | asyncpg.Pool, session_id: str, at: datetime
) -> str | None:
    """The username of the session if it is open at ``at``; else None."""
    found: str | None = await connection.fetchval(
        "select username from web_sessions where id_digest = $1 and expires_at > $2",
        _digest(session_id),
        at,
    )
    return found


async def end_session(connection: Connection, session_id: str) -> None:
    """End one session, e.g. the one a browser held before signing in again."""
    await connection.execute("delete from web_sessions where id_digest = $1", _digest(session_id))


async def end_sessions(connection: Connection, username: str) -> int:
    """End every session of ``username``; returns how many were open."""
    done = await connection.execute("delete from web_sessions where username = $1", username)
    return int(done.rpartition(" ")[2])
