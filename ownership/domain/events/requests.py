"""Events of requests for a transfer: the request and its refusal go out, the rest stay."""

from __future__ import annotations

from dataclasses import dataclass

from ownership.domain.events.base import Event, OutgoingEvent
from ownership.domain.requests import ArrivalRegistration, RequestDeclineReason


@dataclass(frozen=True, kw_only=True)
class TransferRequested(OutgoingEvent):
    """``transfer.requested``: this force asks the owner for a transfer (no epoch is sent)."""

    request_id: str
    registration: ArrivalRegistration


@dataclass(frozen=True, kw_only=True)
class TransferRequestDeclined(OutgoingEvent):
    """``request.declined``: the owner (or the force asked) will not start it."""

    request_id: str
    reason: RequestDeclineReason
    text: str
    owner: str | None = None
    owner_epoch: int | None = None


@dataclass(frozen=True, kw_only=True)
class TransferRequestReceived(Event):
    """A request for a transfer is pending on the owner's record."""

    request_id: str
    requester: str


@dataclass(frozen=True, kw_only=True)
class TransferRequestAnswered(Event):
    """The owner answered a request by starting a transfer to the requester."""

    request_id: str
    transfer_id: str
