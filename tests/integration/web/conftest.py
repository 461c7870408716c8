"""The dashboard app over a real PostgreSQL database holding one force's caseload."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import httpx
import pytest_asyncio

from interforce.settings import Settings
from interforce.web.accounts import add_account
from interforce.web.app import create_app
from interforce.web.roles import Role
from ownership.adapters.migrator import migrate
from tests.support.caseload import FORCE, NOW, caseload

PASSWORD = "correct horse battery staple"
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
    settings = Settings(web_session_secret="x" * 40)
    app = create_app(pool, force=FORCE, clock=lambda: NOW, settings=settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as created:
        yield created


@pytest_asyncio.fixture
async def sign_in(client: httpx.AsyncClient) -> SignIn:
    """Sign ``client`` in as the user of a role."""

    async def as_role(role: Role) -> httpx.AsyncClient:
        answer = await client.post(
            "/login", data={"username": USERS[role], "password": PASSWORD, **await token(client)}
        )
        assert answer.status_code == 303, answer.text
        return client

    return as_role


async def token(client: httpx.AsyncClient, page: str = "/login") -> dict[str, str]:
    """The CSRF field of the form on ``page``."""
    html = (await client.get(page)).text
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return {"csrf_token": html[start : html.index('"', start)]}
