"""Opening an offender's record: a reason first, the view audited with the read, MAPPA only."""

from __future__ import annotations

import asyncpg
import pytest

from interforce.web.roles import Role
from ownership.adapters.audit_log import verify_chain
from tests.integration.web.conftest import SignIn, token
from tests.support.caseload import COMPLETED, MAPPA_OVERDUE, PLAIN_OVERDUE

pytestmark = pytest.mark.integration

REASON = "Checking the transfer's progress for the MAPPA meeting"


async def views(pool: asyncpg.Pool, reference: str) -> list[asyncpg.Record]:
    return await pool.fetch(
        "select actor, action, reason, disclosed_to, detail::text as detail from audit_log"
        " where subject = $1 and action like 'record.view%' order by seq",
        reference,
    )


async def test_the_record_is_shown_only_with_a_reason_and_the_view_is_audited(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    client = await sign_in(Role.COORDINATOR)
    form = (await client.get(f"/offenders/{COMPLETED}")).text
    assert "Reason for viewing" in form
    assert "Testcase" not in form

    no_reason = await client.post(f"/offenders/{COMPLETED}", data=await token(client, "/"))
    assert no_reason.status_code == 400
    assert await views(pool, COMPLETED) == []

    shown = await client.post(
        f"/offenders/{COMPLETED}", data={"reason": REASON, **await token(client, "/")}
    )
    assert shown.status_code == 200
    assert "Owners and epochs" in shown.text
    assert "ownership transferred" in shown.text
    [row] = await views(pool, COMPLETED)
    assert (row["actor"], row["action"], row["reason"], row["disclosed_to"]) == (
        "user:casey", "record.viewed", REASON, "casey",
    )  # fmt: skip
    async with pool.acquire() as connection:
        assert (await verify_chain(connection)).intact


async def test_a_record_opens_from_the_worklist_form(sign_in: SignIn, pool: asyncpg.Pool) -> None:
    client = await sign_in(Role.AUDITOR)
    shown = await client.post(
        "/offenders",
        data={"reference": PLAIN_OVERDUE, "reason": REASON, **await token(client, "/")},
    )
    assert shown.status_code == 200
    assert PLAIN_OVERDUE in shown.text
    assert [r["action"] for r in await views(pool, PLAIN_OVERDUE)] == ["record.viewed"]


async def test_a_mappa_lead_is_refused_a_non_mappa_case_and_the_attempt_is_audited(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    client = await sign_in(Role.MAPPA_LEAD)
    refused = await client.post(
        f"/offenders/{PLAIN_OVERDUE}", data={"reason": REASON, **await token(client, "/")}
    )
    assert refused.status_code == 403
    assert "Testcase" not in refused.text
    assert "Sample" not in refused.text
    [row] = await views(pool, PLAIN_OVERDUE)
    assert (row["actor"], row["action"], row["disclosed_to"]) == (
        "user:morgan", "record.view_refused", None,
    )  # fmt: skip
    shown = await client.post(
        f"/offenders/{MAPPA_OVERDUE}", data={"reason": REASON, **await token(client, "/")}
    )
    assert shown.status_code == 200


async def test_an_unknown_reference_is_not_found_and_audited(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    client = await sign_in(Role.COORDINATOR)
    answer = await client.post(
        "/offenders/GMP-2026-999999", data={"reason": REASON, **await token(client, "/")}
    )
    assert answer.status_code == 404
    [row] = await views(pool, "GMP-2026-999999")
    assert row["action"] == "record.view_refused"


async def test_the_auditor_reads_the_views_in_the_audit_log(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    client = await sign_in(Role.AUDITOR)
    await client.post(
        f"/offenders/{COMPLETED}", data={"reason": REASON, **await token(client, "/")}
    )
    page = (await client.get("/audit?action=record.viewed&verify=1")).text
    assert COMPLETED in page
    assert REASON.replace("'", "&#39;") in page
    assert "Chain intact" in page
