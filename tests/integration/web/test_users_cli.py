"""`interforce users password` and `users disable` end the account's dashboard sessions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio
from typer.testing import CliRunner, Result

from interforce.cli import build_app
from interforce.database import database_url, force_database_name
from tests.integration.web.conftest import PASSWORD, browser, dashboard_app, sign_in_as
from tests.support.databases import drop_database

pytestmark = pytest.mark.integration

NEW_PASSWORD = "another long passphrase"


@pytest_asyncio.fixture
async def gmp(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[asyncpg.Pool]:
    """GMP's database in a namespace of its own, with casey added through the CLI."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("INTERFORCE_NAMESPACE", namespace)
    monkeypatch.setenv("INTERFORCE_DATABASE_URL", postgres_url)
    migrated = await cli("db", "migrate", "--force", "GMP")
    assert migrated.exit_code == 0, migrated.output
    added = await users("add", "casey", "--role", "coordinator", "--name", "Casey", stdin=PASSWORD)
    assert added.exit_code == 0, added.output
    name = force_database_name("GMP", namespace)
    try:
        async with asyncpg.create_pool(
            database_url(postgres_url, name), min_size=1, max_size=2
        ) as pool:
            yield pool
    finally:
        await drop_database(postgres_url, name)


async def users(*args: str, stdin: str | None = None) -> Result:
    """`interforce users ARGS --force GMP [--password-stdin]`, as an administrator runs it."""
    extra = ["--password-stdin"] if stdin is not None else []
    given = None if stdin is None else stdin + "\n"
    return await cli("users", *args, *extra, "--force", "GMP", stdin=given)


async def cli(*command: str, stdin: str | None = None) -> Result:
    """`interforce COMMAND`, run in a thread so the test's event loop keeps going."""

    def run() -> Result:
        return CliRunner().invoke(build_app(), list(command), input=stdin)

    return await asyncio.to_thread(run)


async def test_a_new_password_from_the_cli_ends_the_sessions(gmp: asyncpg.Pool) -> None:
    async with browser(dashboard_app(gmp)) as client:
        assert (await sign_in_as(client, "casey")).status_code == 303
        changed = await users("password", "casey", stdin=NEW_PASSWORD)
        assert changed.exit_code == 0, changed.output
        assert "sessions have ended" in changed.output
        assert (await client.get("/")).status_code == 303
        assert (await sign_in_as(client, "casey")).status_code == 401
        assert (await sign_in_as(client, "casey", NEW_PASSWORD)).status_code == 303


async def test_disabling_from_the_cli_ends_the_sessions(gmp: asyncpg.Pool) -> None:
    async with browser(dashboard_app(gmp)) as client:
        assert (await sign_in_as(client, "casey")).status_code == 303
        disabled = await users("disable", "casey")
        assert disabled.exit_code == 0, disabled.output
        assert (await client.get("/")).status_code == 303


async def test_the_cli_refuses_a_short_password_or_an_unknown_account(gmp: asyncpg.Pool) -> None:
    short = await users("password", "casey", stdin="short")
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    unknown = await users("password", "nobody", stdin=NEW_PASSWORD)
    assert unknown.exit_code == 1
    assert "no account called nobody" in unknown.output
