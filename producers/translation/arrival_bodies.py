"""The body of the receiving force's failure to arrive."""

from __future__ import annotations

from ownership.domain.events import TransferFailedToArrive
from schemas.models import arrival as wire
from wire_enums import tables as enums


def failed_to_arrive_body(event: TransferFailedToArrive) -> wire.TransferFailedToArrive:
    """`transfer.failedtoarrive`: each thing tried, when and what came of it, and a summary."""
    return wire.TransferFailedToArrive(
        attempts=[
            wire.ArrivalAttempt(check=enums.ARRIVAL_CHECK[a.check], at=a.at, outcome=a.outcome)
            for a in event.attempts
        ],
        summary=event.summary,
    )
