"""Commands from coordinators and officers at this force.

The owning force's coordinator registers, starts, reviews, notifies, amends, cancels, expires
and commits; the receiving force's coordinator acknowledges, consults, declines and accepts.
The record checks that this force holds the role each needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ownership.domain.absence import AbsenceSource
from ownership.domain.arrival import ArrivalAttempt
from ownership.domain.commands.base import LocalCommand
from ownership.domain.consultation import PartyKind
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.places import Address
from ownership.domain.review import ReviewItem
from ownership.domain.review_report import ReviewMethod, ReviewOutcome
from ownership.domain.task_kinds import TaskOutcome
from ownership.domain.transfer import (
    AuthorityExchange,
    CancelReason,
    DeclineReason,
    Registration,
)
from ownership.domain.values import Contact, MoveDetails, OffenderProfile
from ownership.domain.visits import Visit


@dataclass(frozen=True, kw_only=True)
class RegisterOffender(LocalCommand):
    """Begin managing an offender at this force, as owner of epoch 1."""

    profile: OffenderProfile


@dataclass(frozen=True, kw_only=True)
class StartTransfer(LocalCommand):
    """Draft a transfer to ``receiver``; its review begins.

    An expected move date before today needs ``past_date_reason`` (the move already happened,
    the notification is late); the reason stays with this force's record and audit log.
    """

    transfer_id: str
    receiver: str
    details: MoveDetails
    past_date_reason: str | None = None
    authority: str | None = None
    """The receiver's name when it is an authority that runs no node (the directory says):
    the transfer is then a hand-over by hand, and nothing is sent to it."""


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
    """Correct the details of a live transfer (a new revision).

    Changing the expected move date to one before today needs ``past_date_reason``.
    """

    transfer_id: str
    details: MoveDetails
    reason: str
    past_date_reason: str | None = None


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


@dataclass(frozen=True, kw_only=True)
class RecordAuthorityTold(LocalCommand):
    """Record how and when an authority that runs no node was told of the move."""

    transfer_id: str
    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class RecordAuthorityAcknowledgement(LocalCommand):
    """Record the authority's acknowledgement: who, when, and its reference."""

    transfer_id: str
    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class RecordAuthorityAcceptance(LocalCommand):
    """Record the authority's acceptance of the offender: who, when, and its reference."""

    transfer_id: str
    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class RecordReturnFromAuthority(LocalCommand):
    """The authority that manages the offender hands them back: this force owns again."""

    exchange: AuthorityExchange


@dataclass(frozen=True, kw_only=True)
class ReportFailureToArrive(LocalCommand):
    """The offender never arrived here: say what was tried and when, and end the transfer."""

    transfer_id: str
    attempts: tuple[ArrivalAttempt, ...]
    summary: str


@dataclass(frozen=True, kw_only=True)
class CloseTask(LocalCommand):
    """Close a task on the worklist: what was done (``done``), with which result, and why.

    ``levels`` are the service levels the task list is computed under.
    """

    task_id: str
    outcome: TaskOutcome
    done: str
    why: str
    levels: ServiceLevels = field(default_factory=ServiceLevels)
