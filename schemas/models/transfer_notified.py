"""`transfer.notified`: the owning force tells the receiving force of an imminent transfer.

Three released versions: 1.0, 1.1 (adds optional fields) and 2.0 (several contacts and a risk
assessment object instead of a bare level). 2.0 is current.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ConfigDict, Field

from schemas.models.common import (
    Contact,
    MappaDetails,
    Move,
    OffenderDetails,
    Review,
    Risk,
    RiskLevel,
    SafetyFlags,
    ShortText,
    WireModel,
)

_OFFENDER: dict[str, Any] = {
    "category": "registered_sex_offender",
    "name": {"family_name": "Example", "given_names": "Alan James"},
    "date_of_birth": "1979-03-14",
    "pnc_id": "98/123456B",
}
_MOVE: dict[str, Any] = {
    "kind": "permanent",
    "destination": {
        "kind": "address",
        "lines": ["Flat 2", "14 Sample Street"],
        "town": "Birmingham",
        "postcode": "B4 6NQ",
    },
    "expected_date": "2025-07-01",
}
_REVIEW: dict[str, Any] = {
    "method": "home_visit",
    "completed_on": "2025-06-10",
    "outcome": "no_concerns",
    "checklist": {
        "identity_confirmed": True,
        "new_address_verified": True,
        "risk_assessment_updated": True,
        "mappa_lead_agency_informed": True,
        "receiving_force_consulted": True,
        "safeguarding_referrals_made": False,
        "visor_record_updated": True,
    },
}
_SAFETY: dict[str, Any] = {"officer_safety": False, "threat_to_life": False}
_CONTACT: dict[str, Any] = {
    "name": "DC Priya Shah",
    "role": "MOSOVO officer",
    "organisation": "Greater Manchester Police",
    "phone": "0161 555 0100",
    "email": "priya.shah@example.police.uk",
}
_MAPPA: dict[str, Any] = {"category": 1, "level": 2, "lead_agency": "police"}

EXAMPLE_1_0: dict[str, Any] = {
    "offender": _OFFENDER,
    "mappa": _MAPPA,
    "risk_level": "medium",
    "move": _MOVE,
    "review": _REVIEW,
    "safety": _SAFETY,
    "contact": _CONTACT,
}
EXAMPLE_1_1: dict[str, Any] = {
    **EXAMPLE_1_0,
    "interpreter_language": "Polish",
    "registration_due_by": "2025-07-04",
}
EXAMPLE_2_0: dict[str, Any] = {
    "offender": {
        "category": "potentially_dangerous_person",
        "name": {"family_name": "Sample", "given_names": "Mark"},
        "date_of_birth": "1985-11-02",
    },
    "risk": {"level": "high", "assessment_tool": "oasys_rosh", "assessed_on": "2025-06-02"},
    "move": {
        "kind": "temporary",
        "destination": {
            "kind": "place",
            "description": "Stays at the night shelter on Canal Road most nights",
            "town": "Leeds",
        },
        "expected_date": "2025-07-01",
        "end_date": "2025-09-30",
    },
    "review": {**_REVIEW, "method": "station_attendance", "outcome": "concerns_identified"},
    "safety": {
        "officer_safety": True,
        "threat_to_life": False,
        "notes": "Has threatened officers with a knife when arrested.",
    },
    "contacts": [
        _CONTACT,
        {
            "name": "Sam Okafor",
            "role": "Probation officer",
            "organisation": "Probation Service, North West",
            "phone": "0161 555 0199",
        },
    ],
}


class TransferNotifiedV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """Notice of an imminent transfer, from the owning force to the receiving force."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_1_0]})

    offender: OffenderDetails
    mappa: MappaDetails | None = Field(default=None, description="Absent when not a MAPPA case.")
    risk_level: RiskLevel = Field(description="Risk of serious harm.")
    move: Move
    review: Review
    safety: SafetyFlags
    contact: Contact = Field(description="The owning force's contact for this transfer.")


class TransferNotifiedV1_1(TransferNotifiedV1_0):  # noqa: N801 - the version is part of the name
    """Notice of an imminent transfer, from the owning force to the receiving force."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_1_1]})

    interpreter_language: ShortText | None = Field(
        default=None, description="The language an interpreter is needed for, if any."
    )
    registration_due_by: date | None = Field(
        default=None, description="The last day for the offender to register at the new address."
    )


class TransferNotifiedV2_0(WireModel):  # noqa: N801 - the version is part of the name
    """Notice of an imminent transfer, from the owning force to the receiving force."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_2_0]})

    offender: OffenderDetails
    mappa: MappaDetails | None = Field(default=None, description="Absent when not a MAPPA case.")
    risk: Risk
    move: Move
    review: Review
    safety: SafetyFlags
    contacts: list[Contact] = Field(
        min_length=1,
        max_length=10,
        description="Everyone to speak to about this transfer; the owning force's contact first.",
    )
    interpreter_language: ShortText | None = Field(
        default=None, description="The language an interpreter is needed for, if any."
    )
    registration_due_by: date | None = Field(
        default=None, description="The last day for the offender to register at the new address."
    )


EXAMPLE_2_1: dict[str, Any] = {**EXAMPLE_2_0, "visor_reference": "VN-0042137"}


class TransferNotified(TransferNotifiedV2_0):
    """Notice of an imminent transfer, from the owning force to the receiving force."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_2_1]})

    visor_reference: str | None = Field(
        default=None,
        pattern=r"^[A-Z0-9][A-Z0-9/-]{3,19}$",
        description="The offender's ViSOR nominal reference, where one is known (from 2.1).",
    )
