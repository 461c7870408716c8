"""Commands about requests for a transfer (an offender registered where no one was told).

``RequestTransfer`` is the requesting force's coordinator asking; ``ReceiveTransferRequested``
is that request arriving at the owner; ``DeclineTransferRequest`` is the owner's refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ownership.domain.commands.base import IncomingMessage, LocalCommand
from ownership.domain.requests import ArrivalRegistration, RequestDeclineReason


@dataclass(frozen=True, kw_only=True)
class RequestTransfer(LocalCommand):
    """Ask ``owner``, the force believed to own the record, to transfer it to this force."""

    request_id: str
    owner: str
    registration: ArrivalRegistration


@dataclass(frozen=True, kw_only=True)
class DeclineTransferRequest(LocalCommand):
    """The owner will not start the transfer a force asked for, and says why."""

    request_id: str
    reason: RequestDeclineReason
    text: str


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferRequested(IncomingMessage):
    """``transfer.requested``: the offender registered at the sender, unannounced."""

    message: ClassVar[str] = "transfer.requested"

    request_id: str
    registration: ArrivalRegistration


@dataclass(frozen=True, kw_only=True)
class ReceiveTransferRequestDeclined(IncomingMessage):
    """``request.declined``: the force asked will not start the transfer."""

    message: ClassVar[str] = "request.declined"

    request_id: str
    reason: RequestDeclineReason
    text: str
    owner: str | None = None
    owner_epoch: int | None = None
