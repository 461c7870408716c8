"""`offender.absent`: evidence that an offender no longer lives at the registered address."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field

from schemas.models.common import Address, LongText, OffenderDetails, WireModel


class AbsenceSource(StrEnum):
    """Where the evidence of absence came from."""

    HOME_VISIT = "home_visit"
    NEIGHBOUR = "neighbour"
    LANDLORD = "landlord"
    OTHER_AGENCY = "other_agency"
    OFFENDER = "offender"
    OTHER = "other"


class AbsenceEvidence(WireModel):
    """What shows the offender has left, as recorded by the owning force."""

    date_left: date = Field(description="The date the offender left, or was last seen there.")
    source: AbsenceSource = Field(description="Where the evidence came from.")
    details: LongText = Field(description="The evidence in words, need-to-know only.")
    recorded_at: AwareDatetime = Field(description="When the owning force recorded it.")


class OffenderAbsent(WireModel):
    """The owning force tells the force named by the forwarding address that the offender left."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "offender": {
                        "category": "violent_offender",
                        "name": {"family_name": "Example", "given_names": "Dean"},
                        "date_of_birth": "1990-01-21",
                    },
                    "evidence": {
                        "date_left": "2025-06-28",
                        "source": "landlord",
                        "details": "Landlord reports the flat cleared and keys returned.",
                        "recorded_at": "2025-06-30T11:15:00Z",
                    },
                    "forwarding_address": {
                        "kind": "address",
                        "lines": ["3 Specimen Road"],
                        "town": "Cardiff",
                        "postcode": "CF10 1AA",
                    },
                }
            ]
        }
    )

    offender: OffenderDetails
    evidence: AbsenceEvidence
    forwarding_address: Address | None = Field(
        default=None, description="Where the offender is believed to have gone, if known."
    )
