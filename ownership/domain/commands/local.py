"""Commands from coordinators and officers at this force.

The owning force's coordinator registers, starts, reviews, notifies, amends, cancels, expires
and commits; the receiving force's coordinator acknowledges, consults, declines and accepts.
The record checks that this force holds the role each needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ownership.domain.absence import AbsenceSource
from ownership.domain.commands.base import LocalCommand
from ownership.domain.consultation import PartyKind
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.places import Address
from ownership.domain.review import ReviewItem
from ownership.domain.review_report import ReviewMethod, ReviewOutcome
from ownership.domain.transfer import CancelReason, DeclineReason, Registration
from ownership.domain.values import Contact, MoveDetails, OffenderProfile
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
    """Tell the receiver of the reviewed transfer, with what the review found.

    ``review_method`` is needed only when the checklist does not show it (no review meeting
    and no two-person visit). Without an outcome the notification cannot be sent.
    """

    transfer_id: str
    review_outcome: ReviewOutcome | None = None
    review_method: ReviewMethod | None = None


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
    reason_code: CancelReason = CancelReason.OTHER


@dataclass(frozen=True, kw_only=True)
class ExpireTransfer(LocalCommand):
    """Let a transfer lapse that has waited too long for the receiver."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class CommitTransfer(LocalCommand):
    """Hand over ownership to the receiver that accepted: it owns epoch n+1."""

    transfer_id: str
    records_sent: bool = False
    records_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class AcknowledgeTransfer(LocalCommand):
    """Acknowledge receipt of the notification (or amendment) and open the consultation.

    ``contact`` is this force's contact for the transfer, needed to send the acknowledgement.
    """

    transfer_id: str
    contact: Contact | None = None


@dataclass(frozen=True, kw_only=True)
class DeclineTransfer(LocalCommand):
    """Decline the transfer: not ours, or not enough information."""

    transfer_id: str
    reason: DeclineReason
    text: str
    missing_information: tuple[str, ...] = ()
    suggested_force: str | None = None


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
    """Accept responsibility (the offender has registered here) for epoch n+1.

    ``registration`` and ``contact`` (the offender's new manager) are needed to send it.
    """

    transfer_id: str
    registration: Registration | None = None
    contact: Contact | None = None


@dataclass(frozen=True, kw_only=True)
class WithdrawAcceptance(LocalCommand):
    """Withdraw this force's acceptance before the owner commits (the offender did not report)."""

    transfer_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordAbsence(LocalCommand):
    """Record evidence that the offender left the registered address."""

    date_left: date
    forwarding_address: Address | None
    forwarding_force: str | None
    evidence: str
    source: AbsenceSource = AbsenceSource.OTHER


@dataclass(frozen=True, kw_only=True)
class SendReminder(LocalCommand):
    """Remind the other force that its step is overdue."""

    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class ChaseDeadlines(LocalCommand):
    """Look at the record on ``at``'s date: escalate each overdue step one rung, or let lapse."""

    levels: ServiceLevels
