"""The sign-in throttle over PostgreSQL: per address and per account, shared by every instance.

Requests come from a chosen peer address; a proxy's `X-Forwarded-For` counts only when the
peer is a configured trusted proxy.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest
import pytest_asyncio

from interforce.settings import Settings
from tests.integration.web.conftest import browser, dashboard_app, sign_in_as
from tests.support.caseload import NOW

pytestmark = pytest.mark.integration

WRONG = "not the password at all"
PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
ADDRESS_LIMIT = Settings().web_sign_in_attempts
ACCOUNT_LIMIT = Settings().web_sign_in_account_attempts


@pytest_asyncio.fixture
async def behind_proxy(pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests all reach the dashboard through the trusted proxy."""
    async with browser(dashboard_app(pool, web_trusted_proxies=PROXY), peer=PROXY) as client:
        yield client


def via(client_address: str) -> dict[str, str]:
    """The header the trusted proxy adds for a client at ``client_address``."""
    return {"x-forwarded-for": client_address}


async def locks(pool: asyncpg.Pool) -> list[tuple[str, dict[str, object]]]:
    rows = await pool.fetch(
        "select subject, detail from audit_log where action = 'sign_in.locked' order by seq"
    )
    return [(row["subject"], json.loads(row["detail"])) for row in rows]


async def test_five_failures_through_an_untrusted_proxy_lock_no_one_out(
    pool: asyncpg.Pool,
) -> None:
    """No proxy is trusted: all requests share the proxy's address, whatever they claim."""
    async with browser(dashboard_app(pool), peer=PROXY) as client:
        for n in range(5):
            spoofed = via(f"198.51.100.{n}")
            assert (await sign_in_as(client, "casey", WRONG, **spoofed)).status_code == 401
        assert (await sign_in_as(client, "morgan", **via("198.51.100.9"))).status_code == 303
        assert (await sign_in_as(client, "avery")).status_code == 303
        assert (await sign_in_as(client, "casey")).status_code == 303
    counted = await pool.fetch("select distinct address from sign_in_failures")
    assert [row["address"] for row in counted] == [PROXY]  # never a spoofed address
    assert await locks(pool) == []


async def test_the_address_limit_stops_the_attacker_and_no_one_else(
    behind_proxy: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    for _ in range(ADDRESS_LIMIT):
        answer = await sign_in_as(behind_proxy, "casey", WRONG, **via(ATTACKER))
        assert answer.status_code == 401
    # The attacker's address is stopped, even with a right password for another account ...
    assert (await sign_in_as(behind_proxy, "morgan", **via(ATTACKER))).status_code == 429
    # ... and writing another address left of the proxy's entry does not help it.
    spoofed = via(f"198.51.100.1, {ATTACKER}")
    assert (await sign_in_as(behind_proxy, "morgan", **spoofed)).status_code == 429
    # Everyone else behind the same proxy, casey included, signs in.
    assert (await sign_in_as(behind_proxy, "casey", **via("198.51.100.5"))).status_code == 303
    assert (await sign_in_as(behind_proxy, "morgan", **via("198.51.100.6"))).status_code == 303
    assert await locks(pool) == [
        (
            f"client:{ATTACKER}",
            {"limit": "address", "failures": ADDRESS_LIMIT, "window_seconds": 900,
             "client": ATTACKER},
        )
    ]  # fmt: skip


async def test_rotating_a_spoofed_header_does_not_escape_the_address_limit(
    pool: asyncpg.Pool,
) -> None:
    async with browser(dashboard_app(pool), peer=ATTACKER) as client:
        for n in range(ADDRESS_LIMIT):
            spoofed = via(f"198.51.100.{n}")
            assert (await sign_in_as(client, "casey", WRONG, **spoofed)).status_code == 401
        assert (await sign_in_as(client, "casey", **via("198.51.100.200"))).status_code == 429


async def test_the_account_limit_slows_guessing_from_many_addresses(
    pool: asyncpg.Pool,
) -> None:
    now = [NOW]
    app = dashboard_app(pool, clock=lambda: now[0], web_trusted_proxies=PROXY)
    async with browser(app, peer=PROXY) as client:
        for n in range(ACCOUNT_LIMIT):
            answer = await sign_in_as(client, "casey", WRONG, **via(f"198.51.100.{n}"))
            assert answer.status_code == 401
        assert (await sign_in_as(client, "casey", **via("192.0.2.1"))).status_code == 429
        assert (await sign_in_as(client, "morgan", **via("192.0.2.1"))).status_code == 303
        now[0] = NOW + timedelta(seconds=901)  # the failures age out of the window
        assert (await sign_in_as(client, "casey", **via("192.0.2.1"))).status_code == 303
    assert [subject for subject, _ in await locks(pool)] == ["user:casey"]


async def test_two_instances_share_the_count(fresh_database: str, pool: asyncpg.Pool) -> None:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=2) as other_pool:
        first, second = dashboard_app(pool), dashboard_app(other_pool)
        async with browser(first, ATTACKER) as on_first, browser(second, ATTACKER) as on_second:
            for n in range(ADDRESS_LIMIT):
                client = on_first if n % 2 else on_second
                assert (await sign_in_as(client, "casey", WRONG)).status_code == 401
            assert (await sign_in_as(on_first, "morgan")).status_code == 429
            assert (await sign_in_as(on_second, "morgan")).status_code == 429


async def test_racing_attempts_on_two_instances_are_counted_one_by_one(
    fresh_database: str, pool: asyncpg.Pool
) -> None:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=4) as other_pool:
        apps = [dashboard_app(pool), dashboard_app(other_pool)]
        clients = [browser(apps[n % 2], ATTACKER) for n in range(3 * ADDRESS_LIMIT)]
        try:
            answers = await asyncio.gather(
                *(sign_in_as(client, "casey", WRONG) for client in clients)
            )
        finally:
            for client in clients:
                await client.aclose()
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [401] * ADDRESS_LIMIT + [429] * (2 * ADDRESS_LIMIT)


async def test_a_right_password_is_not_counted_as_a_failure(
    pool: asyncpg.Pool, client: httpx.AsyncClient
) -> None:
    for _ in range(ADDRESS_LIMIT + 2):
        assert (await sign_in_as(client, "casey")).status_code == 303
    assert await pool.fetchval("select count(*) from sign_in_failures") == 0


async def test_one_ipv6_subscriber_is_one_address(pool: asyncpg.Pool) -> None:
    app = dashboard_app(pool)
    for n in range(ADDRESS_LIMIT):
        async with browser(app, peer=f"2001:db8:7:7::{n + 1:x}") as client:
            assert (await sign_in_as(client, "casey", WRONG)).status_code == 401
    async with browser(app, peer="2001:db8:7:7:ffff::1") as same_64:
        assert (await sign_in_as(same_64, "morgan")).status_code == 429
    async with browser(app, peer="2001:db8:7:8::1") as next_64:
        assert (await sign_in_as(next_64, "morgan")).status_code == 303


@pytest.mark.parametrize("username", ["cas\x00ey", "casey\n", "x" * 5000, "CASEY'--", ""])
async def test_a_name_that_cannot_be_an_account_is_refused_plainly(
    client: httpx.AsyncClient, pool: asyncpg.Pool, username: str
) -> None:
    assert (await sign_in_as(client, username, WRONG)).status_code == 401
    actor = await pool.fetchval("select actor from audit_log where action = 'user.sign_in_refused'")
    assert actor == ("user:casey" if username == "casey\n" else "user:?")
