"""`transfer.failedtoarrive`: the offender never arrived at the receiving force."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field

from schemas.models.common import LongText, WireModel


class ArrivalCheck(StrEnum):
    """What the receiving force did to find the offender."""

    ADDRESS_VISITED = "address_visited"
    TELEPHONED = "telephoned"
    RECORDS_CHECKED = "records_checked"
    AGENCIES_CONTACTED = "agencies_contacted"
    OTHER = "other"


class ArrivalAttempt(WireModel):
    """One thing the receiving force tried, when, and what came of it."""

    check: ArrivalCheck = Field(description="What was done.")
    at: AwareDatetime = Field(description="When it was done.")
    outcome: LongText = Field(description="What came of it, need-to-know only.")


class TransferFailedToArrive(WireModel):
    """The receiving force says the offender never arrived: the owner keeps the record.

    The transfer ends; the owning force's record shows the offender's whereabouts as unknown
    until it records what was done (circulated as missing or wanted, a new address found,
    the case sent on to another force).
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "attempts": [
                        {
                            "check": "address_visited",
                            "at": "2025-07-16T10:30:00Z",
                            "outcome": "No answer; the landlord has not seen him.",
                        },
                        {
                            "check": "records_checked",
                            "at": "2025-07-16T14:00:00Z",
                            "outcome": "No registration at any station in the force area.",
                        },
                    ],
                    "summary": "Not registered nine days after the expected move date.",
                }
            ]
        }
    )

    attempts: list[ArrivalAttempt] = Field(
        min_length=1, max_length=20, description="What was tried to find the offender, and when."
    )
    summary: LongText = Field(description="The receiving force's account, for the coordinator.")
