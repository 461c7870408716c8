"""Commands that carry another force's message to this force's record.

The consumer validates and upcasts the wire message, checks its signature and inbox, then
translates it into one of these. The handler applies the other force's step to this force's
own view: the record checks the sender holds the role, the epoch is current and granted, and
the step is one this state accepts, and records a refusal otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from ownership.domain.absence import AbsenceSource
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.arrival import ArrivalAttempt
from ownership.domain.commands.base import IncomingMessage, TransferMessage
from ownership.domain.places import Address
from ownership.domain.review import ReviewEntry
from ownership.domain.review_report import ReviewReport
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason, Registration
from ownership.domain.values import Contact, MoveDetails, OffenderProfile


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferNotified(TransferMessage):
    """``transfer.notified``: the owner of ``epoch`` tells us of an imminent transfer."""

    message: ClassVar[str] = "transfer.notified"

    profile: OffenderProfile
    details: MoveDetails
    review: tuple[ReviewEntry, ...]
    review_outcome: str
    report: ReviewReport | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferAmended(TransferMessage):
    """``transfer.amended``: corrected sections of the details, revision ``revision``."""

    message: ClassVar[str] = "transfer.amended"

    changes: DetailsAmendment
    revision: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferAcknowledged(TransferMessage):
    """``transfer.acknowledged``: the receiver has revision ``revision``; consultation open."""

    message: ClassVar[str] = "transfer.acknowledged"

    revision: int
    contact: Contact | None = None
    consulting: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferDeclined(TransferMessage):
    """``transfer.declined``: the receiver will not take the offender."""

    message: ClassVar[str] = "transfer.declined"

    reason: DeclineReason
    text: str
    missing_information: tuple[str, ...] = ()
    suggested_force: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferCancelled(TransferMessage):
    """``transfer.cancelled``: the owner withdrew the transfer, or let it expire."""

    message: ClassVar[str] = "transfer.cancelled"

    reason: str
    reason_code: CancelReason = CancelReason.OTHER


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipAccepted(TransferMessage):
    """``ownership.accepted``: the receiver accepts epoch ``epoch`` (n+1)."""

    message: ClassVar[str] = "ownership.accepted"

    registration: Registration | None = None
    contact: Contact | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipTransferred(TransferMessage):
    """``ownership.transferred``: the owner committed; we own epoch ``epoch`` (n+1)."""

    message: ClassVar[str] = "ownership.transferred"

    new_owner: str | None = None
    new_epoch: int | None = None
    effective_at: datetime | None = None
    records_sent: bool = False
    records_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipRefused(TransferMessage):
    """``ownership.refused``: our acceptance arrived after the transfer was withdrawn."""

    message: ClassVar[str] = "ownership.refused"

    reason: str
    reason_code: RefusalReason | None = None
    owner: str | None = None
    owner_epoch: int | None = None
    lapsed: bool = False


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipWithdrawn(TransferMessage):
    """``ownership.withdrawn``: the receiver withdrew its acceptance before the commit."""

    message: ClassVar[str] = "ownership.withdrawn"

    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferReminder(TransferMessage):
    """``transfer.reminder``: the other force says our step is overdue."""

    message: ClassVar[str] = "transfer.reminder"

    waiting_for: str
    original_message_id: str | None = None
    originally_sent_at: datetime | None = None
    reminder_number: int = 1


@dataclass(frozen=True, kw_only=True)
class ReceiveOffenderAbsent(IncomingMessage):
    """``offender.absent``: the owner says the offender left for an address in our area."""

    message: ClassVar[str] = "offender.absent"
    transfer_id: str | None = None

    profile: OffenderProfile
    date_left: date
    forwarding_address: Address | None
    evidence: str
    source: AbsenceSource = AbsenceSource.OTHER
    recorded_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferFailedToArrive(TransferMessage):
    """``transfer.failedtoarrive``: the receiver says the offender never arrived."""

    message: ClassVar[str] = "transfer.failedtoarrive"

    attempts: tuple[ArrivalAttempt, ...]
    summary: str
