"""Building blocks shared by the message bodies: people, places, moves, risk and reviews.

Every model is closed (`extra="forbid"`), so its JSON Schema says `additionalProperties: false`.
Personal details are the minimum a receiving force needs to act on a transfer.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer that RFC 8785 canonicalises exactly; no signed integer exceeds it."""

ForceCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{2,6}$",
        description="A force's code in the force directory, e.g. `WMP`.",
    ),
]
OffenderReference = Annotated[
    str,
    Field(
        pattern=r"^[A-Z0-9][A-Z0-9/-]{3,31}$",
        description="The offender reference the owning force manages the record under.",
    ),
]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]
Postcode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$",
        description="A UK postcode in capitals, e.g. `B4 6NQ`.",
    ),
]
Count = Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]
Epoch = Annotated[
    int,
    Field(ge=0, le=MAX_SAFE_INTEGER, description="The ownership epoch of the offender's record."),
]
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MessageId = Annotated[
    str, Field(pattern=UUID_PATTERN, description="A message `id`: a lowercase UUID.")
]


class WireModel(BaseModel):
    """Base of every wire model: closed, immutable, and strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OffenderCategory(StrEnum):
    """Why the offender is managed: registered sex offender, violent offender or PDP."""

    REGISTERED_SEX_OFFENDER = "registered_sex_offender"
    VIOLENT_OFFENDER = "violent_offender"
    POTENTIALLY_DANGEROUS_PERSON = "potentially_dangerous_person"


class LeadAgency(StrEnum):
    """The MAPPA responsible authority that leads the case and formally transfers it."""

    POLICE = "police"
    PROBATION = "probation"
    PRISON_SERVICE = "prison_service"
    YOUTH_JUSTICE_SERVICE = "youth_justice_service"


class RiskLevel(StrEnum):
    """The assessed risk of serious harm."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


class RiskTool(StrEnum):
    """The risk assessment tool the level comes from."""

    ARMS = "arms"
    RISK_MATRIX_2000 = "risk_matrix_2000"
    OASYS_ROSH = "oasys_rosh"
    OTHER = "other"


class ReviewMethod(StrEnum):
    """How the pre-transfer review was carried out."""

    HOME_VISIT = "home_visit"
    STATION_ATTENDANCE = "station_attendance"


class ReviewOutcome(StrEnum):
    """What the pre-transfer review found."""

    NO_CONCERNS = "no_concerns"
    CONCERNS_IDENTIFIED = "concerns_identified"


class PersonName(WireModel):
    """The offender's name as registered."""

    family_name: ShortText = Field(description="Family name (surname).")
    given_names: ShortText = Field(description="Given names, space separated.")


class OffenderDetails(WireModel):
    """Who the offender is, in the least detail the receiving force needs to act."""

    category: OffenderCategory = Field(
        description="Registered sex offender, violent offender or PDP."
    )
    name: PersonName = Field(description="Name as registered.")
    date_of_birth: date = Field(description="Date of birth.")
    pnc_id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{2}([0-9]{2})?/[0-9]{1,7}[A-Z]$",
        description="Police National Computer identifier, e.g. `19/123456A`, where one exists.",
    )


class MappaDetails(WireModel):
    """The offender's MAPPA management; absent when the offender is not a MAPPA case."""

    category: Literal[1, 2, 3, 4] = Field(description="MAPPA category, 1 to 4.")
    level: Literal[1, 2, 3] = Field(description="MAPPA management level, 1 to 3.")
    lead_agency: LeadAgency = Field(description="The agency that leads the case.")


class Risk(WireModel):
    """The current risk assessment."""

    level: RiskLevel = Field(description="Risk of serious harm.")
    assessment_tool: RiskTool | None = Field(
        default=None, description="The tool the level comes from."
    )
    assessed_on: date | None = Field(default=None, description="When the assessment was made.")


class Address(WireModel):
    """A postal address."""

    kind: Literal["address"] = Field(description="Always `address`.")
    lines: list[ShortText] = Field(
        min_length=1, max_length=4, description="Street lines, most specific first."
    )
    town: ShortText = Field(description="Post town.")
    postcode: Postcode


class RegularPlace(WireModel):
    """A place where someone with no fixed address can regularly be found."""

    kind: Literal["place"] = Field(description="Always `place`.")
    description: LongText = Field(description="Where and when the offender can be found.")
    town: ShortText = Field(description="Town or area.")
    postcode: Postcode | None = None


Destination = Annotated[
    Address | RegularPlace,
    Field(discriminator="kind", description="The new address, or a place regularly found."),
]


class PermanentMove(WireModel):
    """A move with no planned return."""

    kind: Literal["permanent"] = Field(description="Always `permanent`.")
    destination: Destination
    expected_date: date = Field(description="The date the offender is expected to move.")


class TemporaryMove(WireModel):
    """A stay in another force area that ends on a known date; the return is a transfer back."""

    kind: Literal["temporary"] = Field(description="Always `temporary`.")
    destination: Destination
    expected_date: date = Field(description="The date the offender is expected to move.")
    end_date: date = Field(description="The date the stay ends; not before the expected date.")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> TemporaryMove:
        if self.end_date < self.expected_date:
            msg = "end_date is before expected_date"
            raise ValueError(msg)
        return self


Move = Annotated[
    PermanentMove | TemporaryMove,
    Field(discriminator="kind", description="Permanent, or temporary with an end date."),
]


class ReviewChecklist(WireModel):
    """The pre-transfer review checklist from the home-visits guidance; each item done or not."""

    identity_confirmed: bool = Field(description="The offender's identity was confirmed.")
    new_address_verified: bool = Field(description="The new address or place was verified.")
    risk_assessment_updated: bool = Field(description="The risk assessment was brought up to date.")
    mappa_lead_agency_informed: bool = Field(description="The MAPPA lead agency knows of the move.")
    receiving_force_consulted: bool = Field(
        description="The outcome was discussed with the receiver."
    )
    safeguarding_referrals_made: bool = Field(description="Safeguarding referrals were made.")
    visor_record_updated: bool = Field(description="The ViSOR record was updated.")


class Review(WireModel):
    """The owning force's review of the offender before the transfer."""

    method: ReviewMethod = Field(description="Home visit or attendance at a police station.")
    completed_on: date = Field(description="The date the review was completed.")
    outcome: ReviewOutcome = Field(description="What the review found.")
    checklist: ReviewChecklist
    notes: LongText | None = Field(default=None, description="Need-to-know findings only.")


class SafetyFlags(WireModel):
    """Warnings for officers and others affected by the move."""

    officer_safety: bool = Field(description="An officer safety warning applies.")
    threat_to_life: bool = Field(description="A threat to life is known (to or from the offender).")
    notes: LongText | None = Field(default=None, description="What officers need to know.")


class Contact(WireModel):
    """A person to speak to about this offender."""

    name: ShortText = Field(description="Full name.")
    role: ShortText = Field(description="Role, e.g. `MOSOVO officer`, `probation officer`.")
    organisation: ShortText = Field(description="Force, unit or agency.")
    phone: str = Field(pattern=r"^\+?[0-9 ]{6,20}$", description="Phone number.")
    email: str | None = Field(
        default=None,
        pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}$",
        max_length=254,
        description="Secure email address.",
    )
