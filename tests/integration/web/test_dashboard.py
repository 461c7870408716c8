"""The dashboard app over PostgreSQL: sign-in, the lists, the measures, roles and CSRF."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from interforce.settings import Settings
from interforce.web.roles import Role
from tests.integration.web.conftest import PASSWORD, SignIn, sign_in_as, token
from tests.support.caseload import (
    COMPLETED,
    CONFLICTED,
    INCOMING,
    LAPSED,
    MAPPA_OVERDUE,
    PLAIN_OVERDUE,
)

pytestmark = pytest.mark.integration


def section(html: str, start: str, end: str = "</table>") -> str:
    """The part of a page from ``start`` to the next ``end``."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


async def test_pages_need_a_signed_in_user(client: httpx.AsyncClient) -> None:
    for page in ("/", "/overdue", "/conflicts", "/mappa", "/measures", "/audit"):
        answer = await client.get(page)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/login?next={page}"


async def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(
    client: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    limit = Settings().web_sign_in_attempts
    for _ in range(limit):
        assert (await sign_in_as(client, "casey", "not the password")).status_code == 401
    answer = await sign_in_as(client, "casey")
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.text
    refused = await pool.fetchval(
        "select count(*) from audit_log where action = 'user.sign_in_refused'"
    )
    assert refused == limit


async def test_forms_without_the_session_token_are_refused(client: httpx.AsyncClient) -> None:
    await client.get("/login")
    answer = await client.post("/login", data={"username": "casey", "password": PASSWORD})
    assert answer.status_code == 403


async def test_the_worklist_splits_waiting_on_us_from_waiting_on_others(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    html = (await client.get("/")).text
    on_us = section(html, "Waiting on us")
    on_others = section(html, "Waiting on other forces")
    assert INCOMING in on_us
    assert "acknowledgement" in on_us
    assert MAPPA_OVERDUE in on_others
    assert PLAIN_OVERDUE in on_others
    assert on_others.index(MAPPA_OVERDUE) < on_others.index(PLAIN_OVERDUE)  # oldest first
    assert "reminder sent to WMP" in on_others
    assert COMPLETED not in html
    assert LAPSED not in on_us + on_others


async def test_the_worklist_heads_with_our_tasks_and_what_closes_each(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    html = (await client.get("/")).text
    tasks = section(html, "Tasks for us")
    assert "Tasks for us (1)" in tasks
    assert LAPSED in tasks  # the transfer to NYP lapsed: someone must decide what follows
    assert "expired transfer" in tasks
    assert "expired_transfer:" in tasks
    assert "task.closed" in tasks
    assert html.index("Tasks for us") < html.index("Waiting on us")


async def test_overdue_and_expired_transfers_are_listed(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    html = (await client.get("/overdue")).text
    overdue = section(html, "Overdue (")
    assert "Overdue (2)" in overdue
    # expected 26 days ago, plus the 7 days the service level gives: 19 days late
    assert MAPPA_OVERDUE in overdue
    assert "overdue 19 days" in overdue
    # notified 30 days ago, 5 days to acknowledge: 25 days late
    assert PLAIN_OVERDUE in overdue
    assert "overdue 25 days" in overdue
    assert LAPSED in section(html, "Expired in the last")


async def test_conflicts_and_mappa_filters(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    assert CONFLICTED in (await client.get("/conflicts")).text
    level_two = (await client.get("/mappa?category=1&level=2")).text
    assert MAPPA_OVERDUE in level_two
    assert LAPSED in level_two
    assert PLAIN_OVERDUE not in level_two
    assert "MAPPA cases (0)" in (await client.get("/mappa?level=3")).text
    assert (await client.get("/mappa?level=9")).status_code == 400


async def test_measures_per_counterpart_force(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    html = (await client.get("/measures?days=365")).text
    cells = [cell.strip() for cell in section(html, '<th scope="row">WMP').split("<td>")[1:7]]
    sent = [cell.split("<")[0].strip() for cell in cells]
    # three notified to WMP, one completed in time; both acknowledgements took two days,
    # the one acceptance ten days after its notification
    assert sent == ["we sent", "3", "1", "1 (100%)", "2.0", "10.0"]
    assert "NYP" in html


async def test_a_mappa_lead_sees_mappa_cases_only(sign_in: SignIn) -> None:
    client = await sign_in(Role.MAPPA_LEAD)
    for page in ("/", "/overdue", "/conflicts", "/measures"):
        html = (await client.get(page)).text
        assert PLAIN_OVERDUE not in html
        assert INCOMING not in html
        assert CONFLICTED not in html
    assert MAPPA_OVERDUE in (await client.get("/overdue")).text


async def test_only_the_auditor_reads_the_audit_log(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    assert (await client.get("/audit")).status_code == 403


async def test_signing_out_ends_the_session(sign_in: SignIn) -> None:
    client = await sign_in(Role.AUDITOR)
    answer = await client.post("/logout", data=await token(client, "/"))
    assert answer.status_code == 303
    assert (await client.get("/")).status_code == 303


async def test_a_disabled_account_is_signed_out_at_its_next_request(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    client = await sign_in(Role.COORDINATOR)
    assert (await client.get("/")).status_code == 200
    await pool.execute("update users set disabled_at = now() where username = 'casey'")
    assert (await client.get("/")).status_code == 303
