"""Evidence that the offender no longer lives at the registered address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

ABSENCE_ACTION = "offender absent from the registered address: act at once to locate them"


@dataclass(frozen=True)
class Absence:
    """When the offender left, where to, and who recorded it (or which force reported it)."""

    date_left: date
    forwarding_address: str | None
    forwarding_force: str | None
    evidence: str
    recorded_by: str
    recorded_at: datetime
    reported_by_force: str | None = None
