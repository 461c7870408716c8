"""The secure broker for the security tests, and the ledger of every access they attempt.

The broker is the one `interforce services up --secure` runs (TLS + SASL/SCRAM-SHA-512 +
ACLs), brought up once per session through the launcher and left running for the next run,
like the plain broker. The ledger is printed as a table at the end of the run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import pytest

ATTEMPT_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Attempt:
    """One access attempt against the secure broker and what came of it."""

    who: str
    action: str
    expected: str  # "allowed" or "refused"
    outcome: str  # "allowed" or the error's class name
    seconds: float

    @property
    def as_expected(self) -> bool:
        return (self.outcome == "allowed") == (self.expected == "allowed")


class Ledger:
    """Runs attempts with a deadline and records each one."""

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []

    async def attempt(
        self, who: str, action: str, expected: str, operation: Awaitable[Any]
    ) -> BaseException | None:
        """Await `operation`; record and return the error it raised (None if it succeeded)."""
        started = time.monotonic()
        error: BaseException | None = None
        try:
            async with asyncio.timeout(ATTEMPT_TIMEOUT_SECONDS):
                await operation
        except Exception as raised:
            error = raised
        outcome = "allowed" if error is None else type(error).__name__
        self.attempts.append(Attempt(who, action, expected, outcome, time.monotonic() - started))
        return error

    def table(self) -> list[str]:
        rows = [("who", "attempt", "expected", "outcome", "s")] + [
            (a.who, a.action, a.expected, a.outcome + ("" if a.as_expected else "  <-- !"),
             f"{a.seconds:.2f}")
            for a in self.attempts
        ]  # fmt: skip
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        refused = sum(a.outcome != "allowed" for a in self.attempts)
        return [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ] + [
            f"{len(self.attempts)} attempts: {refused} refused, "
            f"{len(self.attempts) - refused} allowed, "
            f"{sum(not a.as_expected for a in self.attempts)} not as expected"
        ]


LEDGER = pytest.StashKey[Ledger]()


@pytest.fixture(scope="session")
def ledger(request: pytest.FixtureRequest) -> Ledger:
    """The session's ledger of access attempts."""
    return request.config.stash.setdefault(LEDGER, Ledger())


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    ledger = config.stash.get(LEDGER, None)
    if ledger is None or not ledger.attempts:
        return
    terminalreporter.section("access attempts against the secure broker")
    for line in ledger.table():
        terminalreporter.write_line(line)
