"""Coordinators, a MAPPA lead and an auditor use GMP's dashboard in a real browser.

GMP's and WMP's nodes run as real processes over the real broker and database; the transfers
are played through them with commands dated in the past, so some are overdue today. GMP's
node serves the dashboard; each role signs in, finds an overdue transfer and opens an
offender's timeline with a reason, and the audit log is checked for every view.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from ownership.domain.commands import SendReminder
from ownership.domain.states import TransferState
from tests.e2e.web.browser import chromium, screenshot
from tests.support.federation import Running, new_federation, running
from tests.support.nodes import Federation
from tests.support.waiting import eventually
from tooling import playbook
from tooling.autopilot import Autopilot, PlannedTransfer
from tooling.services.process import free_port

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
USERS = {
    "casey": ("coordinator", "Casey Coordinator"),
    "morgan": ("mappa_lead", "Morgan MAPPA-Lead"),
    "avery": ("auditor", "Avery Auditor"),
}
MAPPA_OVERDUE = PlannedTransfer(
    "GMP-2026-000000", 0, "GMP", "WMP", "7e1c0000-0000-4000-8000-000000000000"
)
PLAIN_OVERDUE = PlannedTransfer(
    "GMP-2026-000001", 1, "GMP", "WMP", "7e1c0000-0000-4000-8000-000000000001"
)
DONE = [
    PlannedTransfer(
        f"GMP-2026-00000{n}", n, "GMP", "WMP", f"7e1c0000-0000-4000-8000-00000000000{n}"
    )
    for n in (3, 4)
]
REASON = "Chasing the overdue acceptance with WMP"


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def play_transfers(run: Running) -> None:
    """Two transfers left overdue (one MAPPA, reminded), two completed by the autopilot."""
    gmp, wmp = run.desks["GMP"], run.desks["WMP"]
    for plan, when in ((MAPPA_OVERDUE, ago(40)), (PLAIN_OVERDUE, ago(30))):
        await gmp.run(playbook.register(plan.reference, when, plan.n))
        details = playbook.move("GMP", when.date(), n=plan.n)
        await gmp.run(
            playbook.review_and_notify(
                plan.reference, plan.transfer_id, "WMP", details, playbook.profile(plan.n), when
            )
        )
    await _arrived(run, "WMP", MAPPA_OVERDUE, TransferState.NOTIFIED)
    ack = playbook.acknowledge_and_consult(
        MAPPA_OVERDUE.reference, MAPPA_OVERDUE.transfer_id, "WMP", ago(38), mappa=True
    )
    await wmp.run(ack)
    await _arrived(run, "GMP", MAPPA_OVERDUE, TransferState.ACKNOWLEDGED)
    await gmp.run([
        SendReminder(reference=MAPPA_OVERDUE.reference, by="coordinator", at=ago(10),
                     transfer_id=MAPPA_OVERDUE.transfer_id)
    ])  # fmt: skip
    days = itertools.count()
    pilot = Autopilot(run.desks, DONE, clock=lambda: ago(60 - next(days)))
    await pilot.begin()
    await pilot.run_until_converged(within=90)


async def _arrived(run: Running, force: str, plan: PlannedTransfer, state: TransferState) -> None:
    async def there() -> bool:
        record = await run.desks[force].record(plan.reference)
        found = record.find_transfer(plan.transfer_id) if record else None
        return found is not None and found.state is state

    await eventually(there, within=60, every=0.2)


def add_users(federation: Federation) -> None:
    """Each account added with `interforce users add`, as a force's administrator would."""
    for username, (role, name) in USERS.items():
        subprocess.run(
            [sys.executable, "-m", "interforce", "users", "add", username, "--role", role,
             "--name", name, "--password-stdin", "--force", "GMP"],
            input=f"{PASSWORD}\n", text=True, env=federation.env("GMP"), check=True,
            capture_output=True, timeout=60,
        )  # fmt: skip


async def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = await (await browser.new_context(base_url=base)).new_page()
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Worklist")).to_be_visible()
    return page


async def find_overdue(page: Page, reference: str) -> None:
    await page.get_by_role("link", name="Overdue and expired").click()
    row = page.get_by_role("row").filter(has_text=reference)
    await expect(row).to_contain_text("overdue")
    await expect(row).to_contain_text("to WMP")


async def open_timeline(page: Page, reference: str, reason: str) -> None:
    await page.get_by_role("link", name=reference).first.click()
    await expect(page.get_by_role("heading", name=f"Open {reference}")).to_be_visible()
    await page.get_by_label("Reason for viewing").fill(reason)
    await page.get_by_role("button", name="Open record").click()
    await expect(page.get_by_role("heading", name=reference)).to_be_visible()
    await expect(page.get_by_text("Owners and epochs")).to_be_visible()


async def test_each_role_uses_the_dashboard(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    federation = new_federation(kafka_bootstrap, postgres_url, tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The deadline scheduler is off so that the overdue transfers stay as played.
    quiet = {"INTERFORCE_SCHEDULER_INTERVAL_SECONDS": "0"}
    web = {
        "INTERFORCE_WEB_PORT": str(port),
        "INTERFORCE_WEB_SESSION_SECRET": os.urandom(24).hex(),
    }
    async with running(federation, []) as run:
        await run.start("GMP", **quiet, **web)
        await run.start("WMP", **quiet)
        await play_transfers(run)
        add_users(federation)
        async with chromium() as browser:
            await coordinator(browser, base)
            await mappa_lead(browser, base)
            await auditor(browser, base)
        views = await run.desks["GMP"].pool.fetch(
            "select actor, action, subject, reason from audit_log"
            " where action like 'record.view%' order by seq"
        )
        assert await run.audit_intact("GMP")
    assert [tuple(row) for row in views] == [
        ("user:casey", "record.viewed", MAPPA_OVERDUE.reference, REASON),
        ("user:morgan", "record.view_refused", PLAIN_OVERDUE.reference, REASON),
        ("user:morgan", "record.viewed", MAPPA_OVERDUE.reference, REASON),
        ("user:avery", "record.viewed", DONE[0].reference, REASON),
    ]


async def coordinator(browser: Browser, base: str) -> None:
    page = await sign_in(browser, base, "casey")
    waiting = page.get_by_role("table", name="Waiting on other forces")
    await expect(waiting).to_contain_text(MAPPA_OVERDUE.reference)
    await expect(waiting).to_contain_text("reminder sent to WMP")
    await screenshot(page, "worklist-coordinator")
    await find_overdue(page, MAPPA_OVERDUE.reference)
    await expect(page.get_by_role("row").filter(has_text=PLAIN_OVERDUE.reference)).to_contain_text(
        "overdue"
    )
    await screenshot(page, "overdue")
    await open_timeline(page, MAPPA_OVERDUE.reference, REASON)
    await expect(page.get_by_role("table", name="Owners and epochs")).to_contain_text("GMP")
    await screenshot(page, "timeline")
    await page.get_by_role("link", name="Measures").click()
    await expect(page.get_by_role("row").filter(has_text="we sent")).to_contain_text("WMP")
    await screenshot(page, "measures")
    await page.get_by_role("link", name="MAPPA cases").click()
    await page.get_by_label("Level").select_option("2")
    await page.get_by_role("button", name="Filter").click()
    await expect(page.get_by_role("table")).to_contain_text(MAPPA_OVERDUE.reference)
    await screenshot(page, "mappa")
    await page.get_by_role("link", name="Conflicts").click()
    await expect(page.get_by_text("No open conflicts.")).to_be_visible()
    await screenshot(page, "conflicts")


async def mappa_lead(browser: Browser, base: str) -> None:
    page = await sign_in(browser, base, "morgan")
    await find_overdue(page, MAPPA_OVERDUE.reference)
    await expect(page.get_by_role("main")).not_to_contain_text(PLAIN_OVERDUE.reference)
    await page.get_by_role("link", name="Worklist").click()
    await page.get_by_label("Offender reference").fill(PLAIN_OVERDUE.reference)
    await page.get_by_label("Why you need it").fill(REASON)
    await page.get_by_role("button", name="Open record").click()
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("MAPPA cases only")
    await screenshot(page, "mappa-lead-refused")
    await page.goto("/overdue")
    await open_timeline(page, MAPPA_OVERDUE.reference, REASON)


async def auditor(browser: Browser, base: str) -> None:
    page = await sign_in(browser, base, "avery")
    await find_overdue(page, PLAIN_OVERDUE.reference)
    await page.goto(f"/offenders/{DONE[0].reference}")
    await page.get_by_label("Reason for viewing").fill(REASON)
    await page.get_by_role("button", name="Open record").click()
    await expect(page.get_by_role("table", name="Owners and epochs")).to_contain_text("WMP")
    await page.get_by_role("link", name="Audit log").click()
    await page.get_by_label("Action").fill("record.viewed")
    await page.get_by_role("button", name="Filter and verify the chain").click()
    await expect(page.get_by_role("status")).to_contain_text("Chain intact")
    entries = page.get_by_role("table")
    await expect(entries).to_contain_text("user:casey")
    await expect(entries).to_contain_text(REASON)
    await screenshot(page, "audit-log")
