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
    HANDED_TO_AUTHORITY = "handed_to_authority"
    """A hand-over by hand was committed: an authority that runs no node manages it now."""
    RETURNED_FROM_AUTHORITY = "returned_from_authority"
    """The authority that managed it handed the offender back to this force."""
    RESOLVED = "resolved"
    """Coordinators of both parties to a conflict agreed its owner at a new epoch."""


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


class ConflictKind(StrEnum):
    """What disagrees: a claim in a protocol message, or two views found by reconciliation."""

    CLAIM = "claim"
    """Another force's message claimed an epoch this view gives to another owner, or a later
    epoch that the owner this view knows never passed on to it."""
    TWO_OWNERS = "two_owners"
    """Reconciliation: both forces hold that they own the record."""
    NO_OWNER = "no_owner"
    """Reconciliation: each force holds that the other owns it, or neither does."""
    DEPARTURE_WITHOUT_ARRIVAL = "departure_without_arrival"
    """Reconciliation: one force handed the record over and the other never received it."""


@dataclass(frozen=True)
class Conflict:
    """Two views of who owns the record that cannot both be right, raised to coordinators.

    ``claimed_owner`` is the owner the other view names (None if it holds no record);
    ``claimed_by`` is the force whose message showed the disagreement.
    """

    epoch: int
    held_owner: str
    claimed_owner: str | None
    claimed_by: str
    message_id: str
    raised_at: datetime
    kind: ConflictKind = ConflictKind.CLAIM


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


class ResolutionOutcome(StrEnum):
    """Where a proposed resolution of a conflict stands."""

    PENDING = "pending"
    """Proposed; the other party has not answered. Nothing has changed ownership."""
    CONFIRMED = "confirmed"
    """The other party's coordinator confirmed it: both records took its owner and epoch."""
    REJECTED = "rejected"
    """The other party's coordinator rejected it: the record stays in conflict."""
    SUPERSEDED = "superseded"
    """A later proposal between the same parties replaced it before it was answered."""


@dataclass(frozen=True)
class ResolutionProposal:
    """A coordinator's proposal that ``owner`` hold the record at ``epoch``, ending a conflict.

    ``proposer`` sent it; ``counterpart`` is the other party, whose coordinator confirms or
    rejects it. ``proposal_id`` is the id of the ``resolution.proposed`` message.
    """

    proposal_id: str
    proposer: str
    counterpart: str
    owner: str
    epoch: int
    reason: str
    coordinator: str
    proposed_at: datetime
    outcome: ResolutionOutcome = ResolutionOutcome.PENDING
    answered_by: str | None = None
    answer_reason: str | None = None
