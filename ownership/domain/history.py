"""What a record remembers: every change of owner, conflicts raised and messages refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ChangeKind(StrEnum):
    """How this force came to know of an owner."""

    REGISTERED = "registered"
    """The owner of epoch 1 began managing the offender."""
    TRANSFERRED = "transferred"
    """A transfer this force took part in was committed."""
    OBSERVED = "observed"
    """Another force's message showed the record had moved on between other forces."""


@dataclass(frozen=True)
class OwnershipChange:
    """One entry of the ownership history: who owns from which epoch, and why."""

    epoch: int
    owner: str
    previous_owner: str | None
    changed_at: datetime
    kind: ChangeKind
    transfer_id: str | None = None
    temporary_until: date | None = None
    source_message_id: str | None = None


@dataclass(frozen=True)
class TemporaryMove:
    """A committed temporary move whose return (a transfer back) is still due."""

    transfer_id: str
    home_force: str
    away_force: str
    return_due: date

    def is_overdue(self, today: date) -> bool:
        """Whether the return is later than the move's end date."""
        return today > self.return_due


@dataclass(frozen=True)
class Conflict:
    """Two forces claiming one epoch, raised to coordinators."""

    epoch: int
    held_owner: str
    claimed_owner: str
    claimed_by: str
    message_id: str
    raised_at: datetime


@dataclass(frozen=True)
class Refusal:
    """Another force's message that this record refused, and why."""

    message_id: str
    sender: str
    message: str
    code: str
    reason: str
    transfer_id: str | None
    epoch: int
    refused_at: datetime
