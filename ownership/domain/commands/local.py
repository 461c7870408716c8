"""Commands from coordinators and officers at this force.

The owning force's coordinator registers, starts, reviews, notifies, amends, cancels, expires
and commits; the receiving force's coordinator acknowledges, consults, declines and accepts.
The record checks that this force holds the role each needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ownership.domain.commands.base import LocalCommand
from ownership.domain.consultation import PartyKind
from ownership.domain.review import ReviewItem
from ownership.domain.transfer import DeclineReason
from ownership.domain.values import MoveDetails, OffenderProfile
from ownership.domain.visits import Visit


@dataclass(frozen=True, kw_only=True)
class RegisterOffender(LocalCommand):
    """Begin managing an offender at this force, as owner of epoch 1."""

    profile: OffenderProfile


@dataclass(frozen=True, kw_only=True)
class StartTransfer(LocalCommand):
    """Draft a transfer to ``receiver``; its review begins."""

    transfer_id: str
    receiver: str
    details: MoveDetails


@dataclass(frozen=True, kw_only=True)
class CompleteReviewItem(LocalCommand):
    """Record a pre-transfer review item as done, with its note and visit if any."""

    transfer_id: str
    item: ReviewItem
    note: str = ""
    visit_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordVisit(LocalCommand):
    """Record a visit, successful or not."""

    visit: Visit


@dataclass(frozen=True, kw_only=True)
class NotifyTransfer(LocalCommand):
    """Tell the receiver of the reviewed transfer."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class AmendTransfer(LocalCommand):
    """Correct the details of a live transfer (a new revision)."""

    transfer_id: str
    details: MoveDetails
    reason: str


@dataclass(frozen=True, kw_only=True)
class CancelTransfer(LocalCommand):
    """Withdraw the transfer: the move is off."""

    transfer_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ExpireTransfer(LocalCommand):
    """Let a transfer lapse that has waited too long for the receiver."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class CommitTransfer(LocalCommand):
    """Hand over ownership to the receiver that accepted: it owns epoch n+1."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class AcknowledgeTransfer(LocalCommand):
    """Acknowledge receipt of the notification (or amendment) and open the consultation."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class DeclineTransfer(LocalCommand):
    """Decline the transfer: not ours, or not enough information."""

    transfer_id: str
    reason: DeclineReason
    text: str


@dataclass(frozen=True, kw_only=True)
class RecordConsultationParty(LocalCommand):
    """Record a party consulted on risk, response plans and threats to life."""

    transfer_id: str
    party: str
    kind: PartyKind
    outcome: str


@dataclass(frozen=True, kw_only=True)
class CompleteConsultation(LocalCommand):
    """Record the consultation as done."""

    transfer_id: str
    summary: str


@dataclass(frozen=True, kw_only=True)
class AcceptOwnership(LocalCommand):
    """Accept responsibility (the offender has registered here) for epoch n+1."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class RecordAbsence(LocalCommand):
    """Record evidence that the offender left the registered address."""

    date_left: date
    forwarding_address: str | None
    forwarding_force: str | None
    evidence: str


@dataclass(frozen=True, kw_only=True)
class SendReminder(LocalCommand):
    """Remind the other force that its step is overdue."""

    transfer_id: str
