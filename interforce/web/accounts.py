"""Dashboard accounts in the force's `users` table: add, list, disable, new password, sign in.

Every change to an account is written to the audit log in the same transaction; disabling
an account or giving it a new password ends its sessions in that transaction too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from interforce.web.passwords import (
    decoy_hash,
    hash_password,
    needs_rehash,
    rehash,
    verify_password,
)
from interforce.web.roles import Role
from interforce.web.sessions import end_sessions
from ownership.adapters.audit_log import AuditEntry, append_entries
from ownership.adapters.audit_signing import AuditSigner
from ownership.adapters.db import Connection

Queryable = Connection | asyncpg.Pool
"""Something to run a query on: a connection, or the pool to borrow one from."""

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class AccountError(ValueError):
    """An account that cannot be added or changed as asked."""


@dataclass(frozen=True)
class Account:
    """One person who may sign in, and with which role."""

    username: str
    display_name: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None = None
    last_sign_in_at: datetime | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"user:{self.username}"


_COLUMNS = "username, display_name, role, created_at, disabled_at, last_sign_in_at"
_SELECT = f"select {_COLUMNS} from users"  # noqa: S608 - fixed column names
_INSERT = (
    "insert into users (username, display_name, role, password_hash, created_at)"  # noqa: S608
    f" values ($1, $2, $3, $4, $5) on conflict (username) do nothing returning {_COLUMNS}"
)
_WITH_HASH = f"select password_hash, {_COLUMNS} from users"  # noqa: S608 - fixed column names


def _account(row: asyncpg.Record) -> Account:
    return Account(
        row["username"],
        row["display_name"],
        Role(row["role"]),
        row["created_at"],
        row["disabled_at"],
        row["last_sign_in_at"],
    )


async def add_account(
    connection: Connection,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    actor: str,
    at: datetime,
    signer: AuditSigner | None = None,
) -> Account:
    """Create an account; raise AccountError if the name is taken or not allowed."""
    if not USERNAME.fullmatch(username):
        raise AccountError("a username is 2-63 lower-case letters, digits, '.', '_' or '-'")
    if not display_name.strip():
        raise AccountError("an account needs the person's name")
    encoded = hash_password(password)
    async with connection.transaction():
        row = await connection.fetchrow(
            _INSERT,
            username,
            display_name.strip(),
            str(role),
            encoded,
            at,
        )
        if row is None:
            raise AccountError(f"there is already an account called {username}")
        await append_entries(
            connection,
            [
                AuditEntry(
                    actor=actor,
                    action="user.added",
                    at=at,
                    detail={"username": username, "role": str(role)},
                )
            ],
            signer=signer,
        )
    return _account(row)


async def disable_account(
    connection: Connection,
    username: str,
    *,
    actor: str,
    at: datetime,
    signer: AuditSigner | None = None,
) -> None:
    """Stop an account signing in, and end its sessions."""
    async with connection.transaction():
        done = await connection.execute(
            "update users set disabled_at = $2 where username = $1 and disabled_at is null",
            username,
            at,
        )
        if done != "UPDATE 1":
            raise AccountError(f"there is no active account called {username}")
        ended = await end_sessions(connection, username)
        detail = {"username": username, "sessions_ended": ended}
        await append_entries(
            connection,
            [AuditEntry(actor=actor, action="user.disabled", at=at, detail=detail)],
            signer=signer,
        )


async def set_password(
    connection: Connection,
    username: str,
    password: str,
    *,
    actor: str,
    at: datetime,
    signer: AuditSigner | None = None,
) -> None:
    """Give an account a new password, and end its sessions (signed in with the old one)."""
    encoded = hash_password(password)
    async with connection.transaction():
        done = await connection.execute(
            "update users set password_hash = $2 where username = $1", username, encoded
        )
        if done != "UPDATE 1":
            raise AccountError(f"there is no account called {username}")
        ended = await end_sessions(connection, username)
        detail = {"username": username, "sessions_ended": ended}
        await append_entries(
            connection,
            [AuditEntry(actor=actor, action="user.password_changed", at=at, detail=detail)],
            signer=signer,
        )


async def list_accounts(connection: Queryable) -> list[Account]:
    """Every account, active or not, by username."""
    rows = await connection.fetch(_SELECT + " order by username")
    return [_account(row) for row in rows]


async def active_account(connection: Queryable, username: str) -> Account | None:
    """The account if it exists and is not disabled."""
    row = await connection.fetchrow(
        _SELECT + " where username = $1 and disabled_at is null", username
    )
    return _account(row) if row else None


async def check_password(
    connection: Connection, username: str, password: str, at: datetime
) -> Account | None:
    """The active account whose password this is, noting the sign-in; else None."""
    row = await connection.fetchrow(
        _WITH_HASH + " where username = $1 and disabled_at is null",
        username,
    )
    encoded = row["password_hash"] if row else decoy_hash()
    if not verify_password(encoded, password) or row is None:
        return None
    rehashed = rehash(password) if needs_rehash(encoded) else encoded
    await connection.execute(
        "update users set last_sign_in_at = $2, password_hash = $3 where username = $1",
        username,
        at,
        rehashed,
    )
    return _account(row)
