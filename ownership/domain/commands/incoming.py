"""Commands that carry another force's message to this force's record.

The consumer validates and upcasts the wire message, checks its signature and inbox, then
translates it into one of these. The handler applies the other force's step to this force's
own view: the record checks the sender holds the role, the epoch is current and granted, and
the step is one this state accepts, and records a refusal otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from ownership.domain.commands.base import IncomingMessage, TransferMessage
from ownership.domain.review import ReviewEntry
from ownership.domain.transfer import DeclineReason
from ownership.domain.values import MoveDetails, OffenderProfile


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferNotified(TransferMessage):
    """``transfer.notified``: the owner of ``epoch`` tells us of an imminent transfer."""

    message: ClassVar[str] = "transfer.notified"

    profile: OffenderProfile
    details: MoveDetails
    review: tuple[ReviewEntry, ...]
    review_outcome: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferAmended(TransferMessage):
    """``transfer.amended``: corrected details, revision ``revision``."""

    message: ClassVar[str] = "transfer.amended"

    details: MoveDetails
    revision: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferAcknowledged(TransferMessage):
    """``transfer.acknowledged``: the receiver has revision ``revision``; consultation open."""

    message: ClassVar[str] = "transfer.acknowledged"

    revision: int


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferDeclined(TransferMessage):
    """``transfer.declined``: the receiver will not take the offender."""

    message: ClassVar[str] = "transfer.declined"

    reason: DeclineReason
    text: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferCancelled(TransferMessage):
    """``transfer.cancelled``: the owner withdrew the transfer, or let it expire."""

    message: ClassVar[str] = "transfer.cancelled"

    reason: str
    expired: bool = False


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipAccepted(TransferMessage):
    """``ownership.accepted``: the receiver accepts epoch ``epoch`` (n+1)."""

    message: ClassVar[str] = "ownership.accepted"


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipTransferred(TransferMessage):
    """``ownership.transferred``: the owner committed; we own epoch ``epoch`` (n+1)."""

    message: ClassVar[str] = "ownership.transferred"


@dataclass(frozen=True, kw_only=True)
class ReceiveOwnershipRefused(TransferMessage):
    """``ownership.refused``: our acceptance arrived after the transfer was withdrawn."""

    message: ClassVar[str] = "ownership.refused"

    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferReminder(TransferMessage):
    """``transfer.reminder``: the other force says our step is overdue."""

    message: ClassVar[str] = "transfer.reminder"

    waiting_for: str


@dataclass(frozen=True, kw_only=True)
class ReceiveOffenderAbsent(IncomingMessage):
    """``offender.absent``: the owner says the offender left for an address in our area."""

    message: ClassVar[str] = "offender.absent"
    transfer_id: str | None = None

    profile: OffenderProfile
    date_left: date
    forwarding_address: str | None
    evidence: str
