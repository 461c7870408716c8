"""The receiving force's failure to arrive as the owning force's command."""

from __future__ import annotations

from consumers.translation import enums
from consumers.translation.envelope import body_as, transfer_fields
from ownership.domain.arrival import ArrivalAttempt
from ownership.domain.commands import ReceiveTransferFailedToArrive
from schemas.models import arrival as wire
from schemas.registry import ReceivedMessage


def failed_to_arrive(received: ReceivedMessage) -> ReceiveTransferFailedToArrive:
    """`transfer.failedtoarrive` → what was tried, when, and the receiver's account."""
    body = body_as(received, wire.TransferFailedToArrive)
    return ReceiveTransferFailedToArrive(
        **transfer_fields(received.envelope),
        attempts=tuple(
            ArrivalAttempt(enums.ARRIVAL_CHECK[a.check], a.at, a.outcome) for a in body.attempts
        ),
        summary=body.summary,
    )
