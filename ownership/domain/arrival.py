"""Failure to arrive: the receiving force says the offender never came, and what it tried.

An offender notified to move who never registers at the receiving force leaves both forces
waiting: the receiver can only not accept, and the owner's transfer would lapse weeks later
to a force the offender has already left. ``transfer.failedtoarrive`` ends the transfer
instead (one word: the released envelope's ``type`` admits only letters in each part).
The owner keeps the record at the same epoch, and its record shows the offender's
whereabouts as unknown until someone records what was done (see ``tasks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

WHEREABOUTS_ACTION = (
    "offender failed to arrive at the receiving force: whereabouts unknown, act at once"
)
"""The ``ImmediateActionRequired`` detail the owner records when told."""

MOST_ATTEMPTS = 20
"""The most attempts one report names (the message carries no more)."""


class ArrivalCheck(StrEnum):
    """What the receiving force did to find the offender."""

    ADDRESS_VISITED = "address_visited"
    TELEPHONED = "telephoned"
    RECORDS_CHECKED = "records_checked"
    AGENCIES_CONTACTED = "agencies_contacted"
    OTHER = "other"


@dataclass(frozen=True)
class ArrivalAttempt:
    """One thing the receiving force tried, when, and what came of it."""

    check: ArrivalCheck
    at: datetime
    outcome: str


@dataclass(frozen=True)
class ArrivalFailure:
    """The receiving force's word that the offender never arrived, with what it tried."""

    reported_by: str
    reported_at: datetime
    attempts: tuple[ArrivalAttempt, ...]
    summary: str
    message_id: str | None = None
