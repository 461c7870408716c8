"""Events that become messages to another force (the outbox addresses them by ``recipient``).

Each maps to one protocol message:

====================== ==========================
event                  message
====================== ==========================
TransferNotified       ``transfer.notified``
TransferAmended        ``transfer.amended``
TransferAcknowledged   ``transfer.acknowledged``
TransferDeclined       ``transfer.declined``
TransferCancelled      ``transfer.cancelled`` (``expired`` says the owner let it lapse)
OwnershipAccepted      ``ownership.accepted``
OwnershipTransferred   ``ownership.transferred``
OwnershipRefused       ``ownership.refused`` (``lapsed`` says the acceptance lapsed uncommitted)
AcceptanceWithdrawn    ``ownership.withdrawn``
ReminderSent           ``transfer.reminder``
OffenderAbsent         ``offender.absent``
TransferFailedToArrive ``transfer.failedtoarrive``
====================== ==========================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ownership.domain.absence import AbsenceSource
from ownership.domain.arrival import ArrivalAttempt
from ownership.domain.events.base import OutgoingEvent
from ownership.domain.places import Address
from ownership.domain.review import ReviewEntry
from ownership.domain.review_report import ReviewReport
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason, Registration
from ownership.domain.values import Contact, MoveDetails, OffenderProfile


@dataclass(frozen=True, kw_only=True)
class TransferNotified(OutgoingEvent):
    """The owner told the receiver of an imminent transfer, with the review's outcome."""

    profile: OffenderProfile
    details: MoveDetails
    review: tuple[ReviewEntry, ...]
    review_outcome: str
    revision: int = 1
    report: ReviewReport | None = None


@dataclass(frozen=True, kw_only=True)
class TransferAmended(OutgoingEvent):
    """The owner corrected the details of a live transfer."""

    details: MoveDetails
    revision: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class TransferAcknowledged(OutgoingEvent):
    """The receiver acknowledged receipt of ``revision`` and opened its consultation.

    ``received_at`` is when the notification arrived; ``consulting`` who is being consulted.
    """

    revision: int
    received_at: datetime | None = None
    consulting: tuple[str, ...] = ()
    contact: Contact | None = None


@dataclass(frozen=True, kw_only=True)
class TransferDeclined(OutgoingEvent):
    """The receiver declined the transfer."""

    reason: DeclineReason
    text: str
    missing_information: tuple[str, ...] = ()
    suggested_force: str | None = None


@dataclass(frozen=True, kw_only=True)
class TransferCancelled(OutgoingEvent):
    """The owner withdrew the transfer (or let it expire)."""

    reason: str
    expired: bool = False
    reason_code: CancelReason = CancelReason.OTHER


@dataclass(frozen=True, kw_only=True)
class OwnershipAccepted(OutgoingEvent):
    """The receiver accepted responsibility for epoch ``epoch`` (n+1)."""

    registration: Registration | None = None
    contact: Contact | None = None


@dataclass(frozen=True, kw_only=True)
class OwnershipTransferred(OutgoingEvent):
    """The owner committed the handover: ``recipient`` owns epoch ``epoch`` (n+1)."""

    previous_owner: str
    temporary_until: date | None = None
    records_sent: bool = False
    records_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class OwnershipRefused(OutgoingEvent):
    """The owner refused an acceptance of a transfer that is no longer live.

    ``owner`` and ``owner_epoch`` are who owns the record now, as the sender holds it.
    """

    reason: str
    reason_code: RefusalReason = RefusalReason.TRANSFER_CANCELLED
    owner: str | None = None
    owner_epoch: int | None = None
    lapsed: bool = False


@dataclass(frozen=True, kw_only=True)
class AcceptanceWithdrawn(OutgoingEvent):
    """The receiver withdrew its acceptance before the owner committed."""

    reason: str


@dataclass(frozen=True, kw_only=True)
class ReminderSent(OutgoingEvent):
    """A reminder that the other force's step is overdue.

    ``original_message_id`` names the message still waiting for an answer, sent at
    ``originally_sent_at``; ``reminder_number`` counts this transfer's reminders from 1.
    """

    waiting_for: str
    original_message_id: str | None = None
    originally_sent_at: datetime | None = None
    reminder_number: int = 1


@dataclass(frozen=True, kw_only=True)
class OffenderAbsent(OutgoingEvent):
    """The owner told the force of the forwarding address that the offender left."""

    profile: OffenderProfile
    date_left: date
    forwarding_address: Address | None
    evidence: str
    source: AbsenceSource = AbsenceSource.OTHER


@dataclass(frozen=True, kw_only=True)
class TransferFailedToArrive(OutgoingEvent):
    """The receiver told the owner the offender never arrived, with what it tried and when."""

    attempts: tuple[ArrivalAttempt, ...]
    summary: str
