"""Value objects shared by the record, the transfer and the messages: who and what moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from ownership.domain.errors import InvalidDetailsError


class OffenderCategory(StrEnum):
    """The category under which the offender is managed."""

    REGISTERED_SEX_OFFENDER = "rso"
    VIOLENT_OFFENDER = "violent_offender"
    POTENTIALLY_DANGEROUS_PERSON = "pdp"


class MappaCategory(IntEnum):
    """MAPPA category 1 (registered sexual), 2 (violent) or 3 (other dangerous)."""

    ONE = 1
    TWO = 2
    THREE = 3


class MappaLevel(IntEnum):
    """MAPPA management level: 1 ordinary agency, 2 and 3 multi-agency."""

    ONE = 1
    TWO = 2
    THREE = 3


class LeadAgency(StrEnum):
    """The MAPPA responsible authority leading the case."""

    POLICE = "police"
    PROBATION = "probation"
    PRISON_SERVICE = "prison_service"


class RiskLevel(StrEnum):
    """The offender's assessed risk of serious harm."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


class MoveKind(StrEnum):
    """A permanent move, or a temporary one that ends with a return."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"


@dataclass(frozen=True)
class MappaManagement:
    """How a MAPPA case is managed: category, level and lead agency."""

    category: MappaCategory
    level: MappaLevel
    lead_agency: LeadAgency


@dataclass(frozen=True)
class OffenderProfile:
    """What each force holds about who the offender is, for need-to-know sharing."""

    category: OffenderCategory
    mappa: MappaManagement | None = None

    @property
    def is_mappa_case(self) -> bool:
        """Whether the offender is managed under MAPPA."""
        return self.mappa is not None


@dataclass(frozen=True)
class Contact:
    """A named person at a force or agency to call about the move."""

    name: str
    role: str
    organisation: str
    telephone: str = ""
    email: str = ""


@dataclass(frozen=True)
class MoveDetails:
    """The move a transfer is about; the part of a transfer that an amendment corrects."""

    kind: MoveKind
    expected_date: date
    risk_level: RiskLevel
    new_address: str | None = None
    place_regularly_found: str | None = None
    end_date: date | None = None
    officer_safety_issues: tuple[str, ...] = ()
    threat_to_life: bool = False
    contacts: tuple[Contact, ...] = ()

    def __post_init__(self) -> None:
        if not (self.new_address or self.place_regularly_found):
            raise InvalidDetailsError("a move needs a new address or a place regularly found")
        if self.kind is MoveKind.TEMPORARY:
            if self.end_date is None:
                raise InvalidDetailsError("a temporary move needs an end date")
            if self.end_date < self.expected_date:
                raise InvalidDetailsError("a temporary move cannot end before it starts")
        elif self.end_date is not None:
            raise InvalidDetailsError("a permanent move has no end date")

    @property
    def is_temporary(self) -> bool:
        """Whether the move ends with a return to the sending force."""
        return self.kind is MoveKind.TEMPORARY
