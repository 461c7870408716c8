"""Dashboard sessions end for good: signing out, disabling the account, a new password.

The session lives in the force's database, so a cookie copied before the session ended is
refused afterwards, by this instance and by any other on the same database.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from interforce.web.accounts import disable_account, set_password
from tests.integration.web.conftest import PASSWORD, browser, dashboard_app, sign_in_as, token
from tests.support.caseload import NOW

pytestmark = pytest.mark.integration

NEW_PASSWORD = "a different, longer passphrase"


@pytest_asyncio.fixture
async def app(pool: asyncpg.Pool) -> Starlette:
    return dashboard_app(pool)


@pytest_asyncio.fixture
async def casey(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """casey, signed in."""
    async with browser(app) as client:
        assert (await sign_in_as(client, "casey")).status_code == 303
        yield client


@contextlib.asynccontextmanager
async def copy_of(client: httpx.AsyncClient, app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """Another browser of ``app`` holding ``client``'s cookies, as a thief's would."""
    async with browser(app, peer="203.0.113.66") as thief:
        thief.cookies.update(client.cookies)
        assert (await thief.get("/")).status_code == 200  # the copy works while the session does
        yield thief


async def refused(client: httpx.AsyncClient, page: str = "/overdue") -> bool:
    """Whether ``page`` sends ``client`` to sign in."""
    answer = await client.get(page)
    return answer.status_code == 303 and answer.headers["location"] == f"/login?next={page}"


async def sessions_of(pool: asyncpg.Pool, username: str) -> int:
    return int(
        await pool.fetchval("select count(*) from web_sessions where username = $1", username)
    )


async def test_signing_out_ends_a_copied_cookie(
    app: Starlette, casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with copy_of(casey, app) as thief:
        answer = await casey.post("/logout", data=await token(casey, "/"))
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login"
        assert await refused(thief)
        assert await refused(casey)
    assert await sessions_of(pool, "casey") == 0
    signed_out = await pool.fetchrow(
        "select actor, detail from audit_log where action = 'user.signed_out'"
    )
    assert signed_out is not None
    assert signed_out["actor"] == "user:casey"
    assert json.loads(signed_out["detail"]) == {"sessions_ended": 1}


async def test_signing_out_ends_every_session_of_that_user_only(
    app: Starlette, casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with browser(app) as other_desk, browser(app) as morgan:
        assert (await sign_in_as(other_desk, "casey")).status_code == 303
        assert (await sign_in_as(morgan, "morgan")).status_code == 303
        assert await sessions_of(pool, "casey") == 2
        await casey.post("/logout", data=await token(casey, "/"))
        assert await refused(other_desk)
        assert (await morgan.get("/")).status_code == 200


async def test_disabling_a_user_ends_their_sessions(
    app: Starlette, casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with copy_of(casey, app) as thief, pool.acquire() as connection:
        await disable_account(connection, "casey", actor="cli:admin", at=NOW)
        assert await refused(thief)
        assert await refused(casey)
        assert (await sign_in_as(casey, "casey")).status_code == 401
    assert await sessions_of(pool, "casey") == 0
    detail = await pool.fetchval("select detail from audit_log where action = 'user.disabled'")
    assert json.loads(detail) == {"username": "casey", "sessions_ended": 1}


async def test_a_new_password_ends_their_sessions(
    app: Starlette, casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with copy_of(casey, app) as thief, pool.acquire() as connection:
        await set_password(connection, "casey", NEW_PASSWORD, actor="cli:admin", at=NOW)
        assert await refused(thief)
        assert await refused(casey)
        assert (await sign_in_as(casey, "casey", PASSWORD)).status_code == 401
        assert (await sign_in_as(casey, "casey", NEW_PASSWORD)).status_code == 303
        assert (await casey.get("/")).status_code == 200
        assert await refused(thief)  # the new session is not the copied one
    detail = await pool.fetchval(
        "select detail from audit_log where action = 'user.password_changed'"
    )
    assert json.loads(detail) == {"username": "casey", "sessions_ended": 1}


async def test_a_session_ended_on_one_instance_is_refused_by_another(
    fresh_database: str, pool: asyncpg.Pool
) -> None:
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=2) as other_pool:
        first, second = dashboard_app(pool), dashboard_app(other_pool)
        async with browser(first) as on_first, browser(second) as on_second:
            assert (await sign_in_as(on_first, "casey")).status_code == 303
            on_second.cookies.update(on_first.cookies)
            assert (await on_second.get("/")).status_code == 200
            await on_second.post("/logout", data=await token(on_second, "/"))
            assert await refused(on_first)


async def test_a_session_lasts_its_hours_and_no_longer(pool: asyncpg.Pool) -> None:
    now = [NOW]
    app = dashboard_app(pool, clock=lambda: now[0], web_session_hours=2)
    async with browser(app) as client:
        assert (await sign_in_as(client, "casey")).status_code == 303
        now[0] = NOW + timedelta(hours=1, minutes=59)
        assert (await client.get("/")).status_code == 200
        now[0] = NOW + timedelta(hours=2)
        assert await refused(client)
        # An expired session is cleared away at the next sign-in.
        assert (await sign_in_as(client, "casey")).status_code == 303
    assert await sessions_of(pool, "casey") == 1


async def test_the_cookie_holds_a_random_id_and_never_the_account(
    casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    cookie = casey.cookies["interforce_session"]
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    assert set(payload) <= {"session", "csrf"}
    assert "casey" not in json.dumps(payload)
    stored = await pool.fetch("select id_digest from web_sessions")
    assert len(stored) == 1
    assert payload["session"].encode() not in bytes(stored[0]["id_digest"])


async def test_a_forged_session_id_is_refused(app: Starlette, pool: asyncpg.Pool) -> None:
    """An id that was never issued opens nothing, even in a validly signed cookie."""
    async with browser(app) as client:
        assert (await sign_in_as(client, "casey")).status_code == 303
        await pool.execute("delete from web_sessions")  # the server forgets it
        assert await refused(client)


async def test_sessions_of_many_sign_ins_at_once_each_work(app: Starlette) -> None:
    clients = [browser(app) for _ in range(4)]
    try:
        answers = await asyncio.gather(*(sign_in_as(client, "casey") for client in clients))
        assert [answer.status_code for answer in answers] == [303] * 4
        pages = await asyncio.gather(*(client.get("/") for client in clients))
        assert [page.status_code for page in pages] == [200] * 4
    finally:
        for client in clients:
            await client.aclose()


async def test_an_error_page_leaves_the_sign_in_form_usable(app: Starlette) -> None:
    """A browser fetches /favicon.ico beside the sign-in page; its 404 keeps the cookie."""
    async with browser(app) as client:
        form = {"username": "casey", "password": PASSWORD, **await token(client)}
        missing = await client.get("/favicon.ico")
        assert missing.status_code == 404
        assert "set-cookie" not in missing.headers
        assert (await client.post("/login", data=form)).status_code == 303


async def test_an_ended_session_clears_its_cookie(app: Starlette, casey: httpx.AsyncClient) -> None:
    async with copy_of(casey, app) as thief:
        await casey.post("/logout", data=await token(casey, "/"))
        refusal = await thief.get("/")
        assert refusal.status_code == 303
        assert "interforce_session=null" in refusal.headers["set-cookie"]


async def test_signing_in_again_ends_the_session_the_browser_held(
    app: Starlette, casey: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with copy_of(casey, app) as thief:
        assert (await sign_in_as(casey, "morgan")).status_code == 303
        assert await refused(thief)
    assert await sessions_of(pool, "casey") == 0
    assert await sessions_of(pool, "morgan") == 1
