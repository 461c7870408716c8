"""The dashboard connected as the node's own least-privileged role (`interforce db role`).

The sessions and the throttle's failures are the node's own tables: its role, which the
dashboard shares, may read and change them once the administrator has granted it again
after migrating; the audit log stays append-only to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import asyncpg
import pytest
import pytest_asyncio

from interforce.database import login_url
from interforce.web.accounts import add_account
from interforce.web.roles import Role
from ownership.adapters.migrator import Migration, bundled_migrations, migrate
from ownership.adapters.node_role import grant_node_role, node_role_name
from tests.integration.web.conftest import PASSWORD, browser, dashboard_app, sign_in_as, token
from tests.support.caseload import NOW

pytestmark = pytest.mark.integration

NODE_TABLES = ("web_sessions", "sign_in_failures")
SESSIONS = 6
"""The migration that adds them."""


@pytest_asyncio.fixture(params=["granted after migrating", "migrated by the node"])
async def node_pool(
    fresh_database: str, request: pytest.FixtureRequest
) -> AsyncIterator[asyncpg.Pool]:
    """A pool of the force's database as its node role, set up as an administrator would.

    Either the administrator migrated and granted, or granted before this change and the
    node, upgraded, applied the sessions migration itself as it starts.
    """
    database = urlsplit(fresh_database).path.lstrip("/")
    role = node_role_name(database)
    admin = await asyncpg.connect(fresh_database)
    by_node = request.param == "migrated by the node"
    try:
        await migrate(admin, _before_sessions() if by_node else None)
        await grant_node_role(admin, database, role)
        if by_node:
            node = await asyncpg.connect(login_url(fresh_database, role))
            try:
                assert "0006_web_sessions" in await migrate(node)  # and any after it
            finally:
                await node.close()
        await add_account(
            admin, username="casey", display_name="Casey", role=Role.COORDINATOR,
            password=PASSWORD, actor="test", at=NOW,
        )  # fmt: skip
        async with asyncpg.create_pool(
            login_url(fresh_database, role), min_size=1, max_size=2
        ) as pool:
            yield pool
    finally:
        await admin.execute(f'reassign owned by "{role}" to current_user')
        await admin.execute(f'drop owned by "{role}"')
        await admin.execute(f'drop role if exists "{role}"')
        await admin.close()


def _before_sessions() -> list[Migration]:
    return [migration for migration in bundled_migrations() if migration.version < SESSIONS]


async def test_the_node_role_owns_the_session_and_throttle_tables(
    node_pool: asyncpg.Pool,
) -> None:
    owners = await node_pool.fetch(
        "select tablename, tableowner = current_user as ours from pg_tables"
        " where tablename = any($1::text[])",
        list(NODE_TABLES),
    )
    assert {row["tablename"]: row["ours"] for row in owners} == dict.fromkeys(NODE_TABLES, True)


async def test_the_dashboard_signs_in_throttles_and_signs_out_as_the_node_role(
    node_pool: asyncpg.Pool,
) -> None:
    app = dashboard_app(node_pool)
    async with browser(app) as client, browser(app) as copy:
        assert (await sign_in_as(client, "casey", "not the password")).status_code == 401
        assert (await sign_in_as(client, "casey")).status_code == 303
        copy.cookies.update(client.cookies)
        assert (await copy.get("/")).status_code == 200
        assert (await client.post("/logout", data=await token(client, "/"))).status_code == 303
        assert (await copy.get("/")).status_code == 303
    assert await node_pool.fetchval("select count(*) from sign_in_failures") == 1
    assert await node_pool.fetchval("select count(*) from web_sessions") == 0
