"""The worklist lists a message that could never be sent as failed, never as waiting."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from interforce.web.roles import Role
from tests.integration.web.conftest import SignIn
from tests.integration.web.test_dashboard import section
from tests.support.caseload import MAPPA_OVERDUE, PLAIN_OVERDUE

pytestmark = pytest.mark.integration

WHY = "UnknownRecipientError: WMP is not in the directory"


async def set_aside(pool: asyncpg.Pool, reference: str, recipient: str) -> None:
    """An outbox row of the record's transfer that the relay set aside, as it does."""
    state = await pool.fetchval(
        "select state from offender_records where reference = $1", reference
    )
    assert state is not None
    await pool.execute(
        "insert into outbox (message_id, offender_reference, recipient, message_type,"
        " transfer_id, epoch, body, failure) values ($1, $2, $3, 'transfer.notified',"
        " $4, 1, '{}'::jsonb, $5)",
        uuid.uuid4(), reference, recipient, f"T-{reference}", WHY,
    )  # fmt: skip


async def test_a_failed_notification_is_failed_and_not_waiting(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    await set_aside(pool, PLAIN_OVERDUE, "WMP")
    client = await sign_in(Role.COORDINATOR)
    html = (await client.get("/")).text
    failed = section(html, "Failed: messages that could never be sent (1)")
    assert PLAIN_OVERDUE in failed
    assert WHY in failed
    on_others = section(html, "Waiting on other forces")
    assert PLAIN_OVERDUE not in on_others
    assert MAPPA_OVERDUE in on_others


async def test_no_failed_table_without_a_failed_message(sign_in: SignIn) -> None:
    client = await sign_in(Role.COORDINATOR)
    assert "Failed: messages" not in (await client.get("/")).text


async def test_a_mappa_lead_sees_failed_messages_of_mappa_cases_only(
    sign_in: SignIn, pool: asyncpg.Pool
) -> None:
    await set_aside(pool, PLAIN_OVERDUE, "WMP")
    await set_aside(pool, MAPPA_OVERDUE, "WMP")
    client = await sign_in(Role.MAPPA_LEAD)
    failed = section((await client.get("/")).text, "Failed: messages that could never be sent (1)")
    assert MAPPA_OVERDUE in failed
    assert PLAIN_OVERDUE not in failed
