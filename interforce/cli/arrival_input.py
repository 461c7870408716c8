"""What `transfer failed-to-arrive --tried` reads: one thing tried, when, and what came of it.

The text is `CHECK,WHEN,OUTCOME`: a check (`address_visited`, `telephoned`,
`records_checked`, `agencies_contacted`, `other`), an ISO 8601 time (UTC when it names no
offset), and the outcome in words, which may itself hold commas.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ownership.domain.arrival import ArrivalAttempt, ArrivalCheck

FORMAT = "CHECK,WHEN,OUTCOME (e.g. address_visited,2026-07-16T10:30,no answer)"


class AttemptSyntaxError(ValueError):
    """The text is not `CHECK,WHEN,OUTCOME`; the message says which part is wrong."""


def parse_attempt(text: str) -> ArrivalAttempt:
    """One `--tried` value as an attempt, or raise `AttemptSyntaxError`."""
    parts = text.split(",", 2)
    if len(parts) != 3:
        raise AttemptSyntaxError(f"--tried is {FORMAT}")
    check_text, when_text, outcome = (part.strip() for part in parts)
    try:
        check = ArrivalCheck(check_text)
    except ValueError:
        known = ", ".join(ArrivalCheck)
        raise AttemptSyntaxError(f"--tried: the check is one of {known}") from None
    try:
        when = datetime.fromisoformat(when_text)
    except ValueError:
        raise AttemptSyntaxError("--tried: WHEN is a time such as 2026-07-16T10:30") from None
    if not outcome:
        raise AttemptSyntaxError("--tried: say what came of it after the time")
    return ArrivalAttempt(check, when if when.tzinfo else when.replace(tzinfo=UTC), outcome)
