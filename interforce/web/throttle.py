"""Sign-in throttling per client address and per account, counted in the force's database.

Two limits over one sliding window. A client address that has failed `address_attempts`
times may not sign in (to any account) until its failures age out: that stops one address
guessing. An account that has failed `account_attempts` times, from any addresses, may not
be signed in to a while: that slows guessing on one account from many addresses. The
account limit is the larger, so one address is stopped before it can lock any account, and
an address's failures never stop anyone else's address.

Each attempt is written down before its password is checked, under an advisory lock per
account and per address, so attempts racing on several instances are counted one by one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import asyncpg

from ownership.adapters.db import Connection

LOCK_CLASS = 0x1F0C_0003
"""The first key of the throttle's two-key advisory locks, apart from other locks."""


class Limit(StrEnum):
    """Which of the two limits an attempt reached."""

    ADDRESS = "address"
    ACCOUNT = "account"


@dataclass(frozen=True)
class SignInThrottle:
    """The two limits and their window."""

    address_attempts: int
    account_attempts: int
    window: timedelta

    def attempts(self, limit: Limit) -> int:
        """The failures that ``limit`` allows in the window."""
        return self.address_attempts if limit is Limit.ADDRESS else self.account_attempts


@dataclass(frozen=True)
class Attempt:
    """One sign-in allowed to check its password, counted as a failure unless forgotten."""

    id: int
    at: datetime
    account_failures: int
    """The account's failures in the window before this attempt."""
    address_failures: int
    """The address's failures in the window before this attempt."""


async def begin_attempt(
    pool: asyncpg.Pool, throttle: SignInThrottle, account: str, address: str, at: datetime
) -> Attempt | None:
    """Count an attempt on ``account`` from ``address``, or None if either is at its limit."""
    async with pool.acquire() as connection, connection.transaction():
        for key in sorted({_lock_key(f"account:{account}"), _lock_key(f"address:{address}")}):
            await connection.execute("select pg_advisory_xact_lock($1, $2)", LOCK_CLASS, key)
        since = at - throttle.window
        await connection.execute(
            # rows another attempt holds are skipped, not waited for: pruning never deadlocks
            "delete from sign_in_failures where id in (select id from sign_in_failures"
            " where at <= $1 for update skip locked)",
            since,
        )
        counts = await connection.fetchrow(
            "select count(*) filter (where account = $1) as account,"
            " count(*) filter (where address = $2) as address"
            " from sign_in_failures where (account = $1 or address = $2) and at > $3",
            account,
            address,
            since,
        )
        if counts is None or _blocked(throttle, counts["account"], counts["address"]):
            return None
        attempt_id = await connection.fetchval(
            "insert into sign_in_failures (account, address, at) values ($1, $2, $3) returning id",
            account,
            address,
            at,
        )
    return Attempt(attempt_id, at, counts["account"], counts["address"])


async def forget_attempt(connection: Connection, attempt: Attempt) -> None:
    """The password was right: the attempt is no failure."""
    await connection.execute("delete from sign_in_failures where id = $1", attempt.id)


def limits_reached(throttle: SignInThrottle, attempt: Attempt) -> list[Limit]:
    """The limits that this attempt, having failed, has just reached."""
    reached = []
    if attempt.address_failures + 1 == throttle.address_attempts:
        reached.append(Limit.ADDRESS)
    if attempt.account_failures + 1 == throttle.account_attempts:
        reached.append(Limit.ACCOUNT)
    return reached


def _blocked(throttle: SignInThrottle, account_failures: int, address_failures: int) -> bool:
    return (
        account_failures >= throttle.account_attempts
        or address_failures >= throttle.address_attempts
    )


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)
