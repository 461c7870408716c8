"""One force's caseload for the dashboard tests, as of ``NOW``: overdue, waiting, done, lapsed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ownership.domain import commands as c
from tests.support.casebook import Casebook
from tooling import playbook

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FORCE = "GMP"
MAPPA_OVERDUE = "GMP-2026-000000"  # MAPPA; acknowledged, acceptance overdue, reminded
PLAIN_OVERDUE = "GMP-2026-000001"  # not MAPPA; acknowledgement overdue
INCOMING = "WMP-2026-000007"  # not MAPPA; WMP notified us three days ago
COMPLETED = "GMP-2026-000003"  # not MAPPA; committed within the service levels
LAPSED = "GMP-2026-000004"  # MAPPA; expired without an answer
CONFLICTED = "GMP-2026-000005"  # not MAPPA; NYP claimed the epoch we own


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def caseload() -> Casebook:
    """GMP's records: two overdue, one waiting on us, one completed, one lapsed, one conflict."""
    book = Casebook(FORCE)
    tid = await book.notified(MAPPA_OVERDUE, 0, "WMP", days_ago(40))
    await book.run(
        book.message(c.ReceiveTransferAcknowledged, MAPPA_OVERDUE, "WMP", days_ago(38), revision=1),
        c.SendReminder(reference=MAPPA_OVERDUE, by="coordinator", at=days_ago(10), transfer_id=tid),
    )  # fmt: skip
    await book.notified(PLAIN_OVERDUE, 1, "WMP", days_ago(30))
    await _incoming(book)
    tid = await book.notified(COMPLETED, 3, "WMP", days_ago(60))
    await book.run(
        book.message(c.ReceiveTransferAcknowledged, COMPLETED, "WMP", days_ago(58), revision=1),
        book.message(c.ReceiveOwnershipAccepted, COMPLETED, "WMP", days_ago(50), epoch=2),
        c.CommitTransfer(reference=COMPLETED, by="coordinator", at=days_ago(49), transfer_id=tid),
    )  # fmt: skip
    tid = await book.notified(LAPSED, 4, "NYP", days_ago(50))
    await book.run(
        c.ExpireTransfer(reference=LAPSED, by="scheduler", at=days_ago(20), transfer_id=tid)
    )
    await book.run(*playbook.register(CONFLICTED, days_ago(100), 5))
    claim = book.message(
        c.ReceiveTransferNotified, CONFLICTED, "NYP", days_ago(5),
        profile=playbook.profile(5), details=playbook.move("NYP", days_ago(5).date(), n=5),
        review=(), review_outcome="suitable to transfer",
    )  # fmt: skip
    await book.refused(claim)
    return book


async def _incoming(book: Casebook) -> None:
    at = days_ago(3)
    notice = book.message(
        c.ReceiveTransferNotified, INCOMING, "WMP", at, profile=playbook.profile(7),
        details=playbook.move("WMP", at.date(), n=7), review=(),
        review_outcome="suitable to transfer",
    )  # fmt: skip
    await book.run(notice)
