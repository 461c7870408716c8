"""Move dates that make sense: an expected move date before today needs a reason.

A transfer is notified before the offender moves. A date already past is sometimes right (the
offender moved before the owning force knew, or the notification is late), but more often it
is a typing slip or a copied example, and it makes the receiver's acceptance overdue the
moment it arrives. So a past date is refused unless the coordinator says why; the reason is
kept on this force's record of the transfer and in its audit log (it does not travel).

A temporary move whose end date is already past is refused outright: the move is over, and
there is nothing to hand over (a reason does not help; correct the date).

"Today" is the command's own date (UTC): the same rule on every node, whatever its clock.
"""

from __future__ import annotations

from datetime import date

from ownership.domain.errors import PastEndDateError, PastMoveDateError


def past_date_reason(expected: date, today: date, reason: str | None) -> str | None:
    """The reason kept for ``expected``: ``reason`` if the date is past, else None.

    Raises ``PastMoveDateError`` for a date before ``today`` with no reason (or a blank one).
    """
    if expected >= today:
        return None
    given = (reason or "").strip()
    if not given:
        days = (today - expected).days
        raise PastMoveDateError(
            f"the expected move date {expected.isoformat()} is {days} day"
            f"{'' if days == 1 else 's'} before today ({today.isoformat()}):"
            " give a reason for a past date, or correct it"
        )
    return given


def check_end_date(end: date | None, today: date) -> None:
    """Refuse a temporary move's end date before ``today`` (``PastEndDateError``)."""
    if end is not None and end < today:
        raise PastEndDateError(
            f"the temporary move ends on {end.isoformat()}, before today ({today.isoformat()}):"
            " a move already over is not transferred; correct the end date"
        )
