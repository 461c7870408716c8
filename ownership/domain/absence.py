"""Evidence that the offender no longer lives at the registered address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ownership.domain.places import Address

ABSENCE_ACTION = "offender absent from the registered address: act at once to locate them"


class AbsenceSource(StrEnum):
    """Where the evidence that the offender left came from."""

    HOME_VISIT = "home_visit"
    NEIGHBOUR = "neighbour"
    LANDLORD = "landlord"
    OTHER_AGENCY = "other_agency"
    OFFENDER = "offender"
    OTHER = "other"


@dataclass(frozen=True)
class Absence:
    """When the offender left, where to, and who recorded it (or which force reported it)."""

    date_left: date
    forwarding_address: Address | None
    forwarding_force: str | None
    evidence: str
    recorded_by: str
    recorded_at: datetime
    reported_by_force: str | None = None
    source: AbsenceSource = AbsenceSource.OTHER
