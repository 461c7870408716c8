"""A session cookie saved before signing out opens nothing afterwards, in a real browser.

GMP's node runs as a real process and serves the dashboard; Debian's Chromium signs in,
the session's cookies are saved, the user signs out, and a fresh browser context holding
the saved cookies is sent to the sign-in page for a page that needs a signed-in user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, StorageState, expect

from tests.e2e.web.browser import chromium, screenshot
from tests.e2e.web.test_dashboard_in_browser import add_users, sign_in
from tests.support.federation import new_federation, running
from tooling.services.process import free_port

pytestmark = pytest.mark.e2e

PAGE = "/overdue"


async def test_a_cookie_saved_before_signing_out_is_refused_after_it(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = {
        "INTERFORCE_WEB_PORT": str(port),
        "INTERFORCE_WEB_SESSION_SECRET": os.urandom(24).hex(),
        "INTERFORCE_SCHEDULER_INTERVAL_SECONDS": "0",
    }
    async with running(federation, []) as run:
        await run.start("GMP", **web)
        add_users(federation)
        async with chromium() as browser:
            page = await sign_in(browser, base, "casey")
            saved = await page.context.storage_state()  # as someone copying the cookie would
            assert any(cookie["name"] == "interforce_session" for cookie in saved["cookies"])
            assert await opens(browser, base, saved)  # the saved cookie works before sign-out
            await page.get_by_role("button", name="Sign out").click()
            await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
            assert not await opens(browser, base, saved)
        sessions = await run.count("GMP", "select count(*) from web_sessions")
        signed_out = await run.count(
            "GMP", "select count(*) from audit_log where action = 'user.signed_out'"
        )
    assert (sessions, signed_out) == (0, 1)


async def opens(browser: Browser, base: str, saved: StorageState) -> bool:
    """Whether a new context with the saved cookies opens PAGE, or is sent to sign in."""
    context = await browser.new_context(base_url=base, storage_state=saved)
    page = await context.new_page()
    await page.goto(PAGE)
    signed_in = page.get_by_role("heading", name="Overdue")
    refused = page.get_by_role("heading", name="Sign in")
    await expect(signed_in.or_(refused)).to_be_visible()
    opened = await signed_in.is_visible()
    if not opened:
        assert page.url == f"{base}/login?next={PAGE}"
        await screenshot(page, "signed-out-cookie-refused")
    await context.close()
    return opened
