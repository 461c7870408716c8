"""Value objects shared by the record, the transfer and the messages: who and what moves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from ownership.domain.errors import InvalidDetailsError
from ownership.domain.places import Address, RegularPlace

TELEPHONE = re.compile(r"\+?[0-9 ]{6,20}")
"""A contact's telephone number, as the wire carries it."""
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}")
"""A contact's email address, as the wire carries it."""


class OffenderCategory(StrEnum):
    """The category under which the offender is managed."""

    REGISTERED_SEX_OFFENDER = "rso"
    VIOLENT_OFFENDER = "violent_offender"
    POTENTIALLY_DANGEROUS_PERSON = "pdp"


class MappaCategory(IntEnum):
    """MAPPA category 1 (registered sexual), 2 (violent), 3 (other dangerous), 4 (terrorism)."""

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4


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
    YOUTH_JUSTICE_SERVICE = "youth_justice_service"


class RiskLevel(StrEnum):
    """The offender's assessed risk of serious harm."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


class RiskTool(StrEnum):
    """The risk assessment tool a risk level comes from."""

    ARMS = "arms"
    RISK_MATRIX_2000 = "risk_matrix_2000"
    OASYS_ROSH = "oasys_rosh"
    OTHER = "other"


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
class OffenderIdentity:
    """Who the offender is: the least a receiving force needs to find the right person."""

    family_name: str
    given_names: str
    date_of_birth: date
    pnc_id: str | None = None
    visor_reference: str | None = None


@dataclass(frozen=True)
class OffenderProfile:
    """What each force holds about who the offender is, for need-to-know sharing.

    ``identity`` is needed before the offender's details can be sent to another force.
    """

    category: OffenderCategory
    mappa: MappaManagement | None = None
    identity: OffenderIdentity | None = None

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
class MovePlan:
    """Where the offender is going, when, and for how long (the move section of the details)."""

    kind: MoveKind
    expected_date: date
    new_address: Address | None = None
    place_regularly_found: RegularPlace | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class RiskAssessment:
    """The current risk assessment: the level, and the tool and date it comes from if known."""

    level: RiskLevel
    tool: RiskTool | None = None
    assessed_on: date | None = None


@dataclass(frozen=True)
class SafetyWarnings:
    """Officer-safety warnings, one line each, and whether a threat to life is known."""

    officer_safety_issues: tuple[str, ...] = ()
    threat_to_life: bool = False


@dataclass(frozen=True)
class MoveDetails:
    """The move a transfer is about; the part of a transfer that an amendment corrects.

    The destination is a postal address or, for someone with no fixed address, a place where
    they can regularly be found: exactly one of the two.
    """

    kind: MoveKind
    expected_date: date
    risk_level: RiskLevel
    new_address: Address | None = None
    place_regularly_found: RegularPlace | None = None
    end_date: date | None = None
    officer_safety_issues: tuple[str, ...] = ()
    threat_to_life: bool = False
    contacts: tuple[Contact, ...] = ()
    risk_tool: RiskTool | None = None
    risk_assessed_on: date | None = None
    interpreter_language: str | None = None
    registration_due_by: date | None = None

    def __post_init__(self) -> None:
        if (self.new_address is None) == (self.place_regularly_found is None):
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

    @property
    def plan(self) -> MovePlan:
        """The move section: kind, destination and dates."""
        return MovePlan(
            self.kind,
            self.expected_date,
            self.new_address,
            self.place_regularly_found,
            self.end_date,
        )

    @property
    def risk(self) -> RiskAssessment:
        """The risk section."""
        return RiskAssessment(self.risk_level, self.risk_tool, self.risk_assessed_on)

    @property
    def safety(self) -> SafetyWarnings:
        """The safety section."""
        return SafetyWarnings(self.officer_safety_issues, self.threat_to_life)


def check_contacts(*contacts: Contact | None) -> None:
    """Refuse a contact the other force could not call or the wire could not carry.

    Checked where a coordinator gives one (starting or amending a transfer, acknowledging,
    accepting), not when a stored record is read: a record kept before the rule still loads.
    """
    for contact in contacts:
        if contact is None:
            continue
        who = contact.name[:80] or "(unnamed)"
        if not TELEPHONE.fullmatch(contact.telephone):
            raise InvalidDetailsError(
                f"the contact {who} needs a telephone number (digits and spaces, 6 to 20, an"
                f" optional leading +), not {contact.telephone[:40]!r}: the other force must be"
                " able to call"
            )
        if contact.email and not EMAIL.fullmatch(contact.email):
            raise InvalidDetailsError(
                f"the contact {who}'s email {contact.email[:80]!r} is not one"
            )
