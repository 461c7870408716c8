"""Requests for a transfer: an offender registered, unannounced, at a force that was not told.

Every transfer starts at the owner, so the force where the offender turned up asks the force
it believes owns the record (``transfer.requested``). The owner holds the request on its
record, pending, until it answers: by starting a transfer to the requester (the usual flow,
with its review), or by declining with a reason. An unanswered request falls due
``answer_request_days`` after it arrived and then climbs the escalation ladder at the owner;
a request never lapses by itself, and never moves the record's owner or epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ownership.domain.deadlines import OverdueStep, ServiceLevels, days_after
from ownership.domain.pending import PendingItem, WaitingFor
from ownership.domain.places import Address
from ownership.domain.values import Contact, OffenderIdentity


class RequestState(StrEnum):
    """Where a request the owner holds stands."""

    PENDING = "pending"
    ANSWERED = "answered"
    DECLINED = "declined"


class RequestDeclineReason(StrEnum):
    """Why the force asked will not start the transfer."""

    NOT_OWNER = "not_owner"
    NOT_KNOWN = "not_known"
    NOT_MOVING = "not_moving"
    OTHER = "other"


@dataclass(frozen=True)
class ArrivalRegistration:
    """Where and when the offender registered at the requesting force, and whom to call."""

    registered_on: date
    address: Address
    identity: OffenderIdentity
    contact: Contact | None = None


@dataclass
class TransferRequest:
    """A request the owner holds: from whom, when it arrived, and how it was answered."""

    request_id: str
    requester: str
    received_at: datetime
    registration: ArrivalRegistration
    message_id: str
    state: RequestState = RequestState.PENDING
    answered_at: datetime | None = None
    transfer_id: str | None = None
    decline_reason: RequestDeclineReason | None = None
    decline_text: str = ""

    @property
    def is_pending(self) -> bool:
        """Whether the owner has still to answer."""
        return self.state is RequestState.PENDING

    def due(self, levels: ServiceLevels) -> date:
        """The last day the owner may answer before the request is overdue."""
        return days_after(self.received_at.date(), levels.answer_request_days)


def pending_requests(
    reference: str, owner: str, requests: list[TransferRequest]
) -> list[PendingItem]:
    """A pending item for every request still waiting for the owner's answer."""
    return [
        PendingItem(reference, r.request_id, None, WaitingFor.ANSWER, owner, r.received_at)
        for r in requests
        if r.is_pending
    ]


def overdue_requests(
    owner: str, requests: list[TransferRequest], levels: ServiceLevels, today: date
) -> list[OverdueStep]:
    """Every pending request past its answer deadline on ``today``."""
    return [
        OverdueStep(r.request_id, WaitingFor.ANSWER, owner, r.due(levels))
        for r in requests
        if r.is_pending and today > r.due(levels)
    ]
