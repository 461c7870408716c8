"""The dashboard app over a real PostgreSQL database holding one force's caseload."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg
import httpx
import pytest_asyncio
from pydantic import SecretStr
from starlette.applications import Starlette

from interforce.settings import Settings
from interforce.web.accounts import add_account
from interforce.web.app import create_app
from interforce.web.roles import Role
from ownership.adapters.migrator import migrate
from tests.support.caseload import FORCE, NOW, caseload

PASSWORD = "correct horse battery staple"
SESSION_SECRET = "x" * 40
USERS = {Role.COORDINATOR: "casey", Role.MAPPA_LEAD: "morgan", Role.AUDITOR: "avery"}

SignIn = Callable[[Role], Awaitable[httpx.AsyncClient]]


@pytest_asyncio.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    """GMP's database, migrated, with its caseload and one account per role."""
    async with asyncpg.create_pool(fresh_database, min_size=1, max_size=4) as created:
        async with created.acquire() as connection:
            await migrate(connection)
            await (await caseload()).save(connection)
            for role, username in USERS.items():
                await add_account(
                    connection, username=username, display_name=username.title(), role=role,
                    password=PASSWORD, actor="test", at=NOW,
                )  # fmt: skip
        yield created


@pytest_asyncio.fixture
async def client(pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client of the dashboard app, not signed in."""
    async with browser(dashboard_app(pool)) as created:
        yield created


def dashboard_app(
    pool: asyncpg.Pool, clock: Callable[[], datetime] = lambda: NOW, **settings: Any
) -> Starlette:
    """The dashboard over ``pool``, with the test session key and more ``settings``."""
    configured = Settings(web_session_secret=SecretStr(SESSION_SECRET), **settings)
    return create_app(pool, force=FORCE, clock=clock, settings=configured)


def browser(app: Starlette, peer: str = "127.0.0.1") -> httpx.AsyncClient:
    """A client of ``app`` whose requests come from the address ``peer``."""
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest_asyncio.fixture
async def sign_in(client: httpx.AsyncClient) -> SignIn:
    """Sign ``client`` in as the user of a role."""

    async def as_role(role: Role) -> httpx.AsyncClient:
        answer = await sign_in_as(client, USERS[role])
        assert answer.status_code == 303, answer.text
        return client

    return as_role


async def sign_in_as(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    """Post the sign-in form as ``username``, with more request ``headers``."""
    form = {"username": username, "password": password, **await token(client)}
    return await client.post("/login", data=form, headers=headers)


async def token(client: httpx.AsyncClient, page: str = "/login") -> dict[str, str]:
    """The CSRF field of the form on ``page``."""
    html = (await client.get(page)).text
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return {"csrf_token": html[start : html.index('"', start)]}
