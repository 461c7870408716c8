"""The rest of the transfer conversation: amended, acknowledged, declined, cancelled, reminder."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, model_validator

from schemas.models.common import (
    Contact,
    Count,
    ForceCode,
    LongText,
    MappaDetails,
    MessageId,
    Move,
    Review,
    Risk,
    SafetyFlags,
    ShortText,
    WireModel,
)

AMENDABLE_SECTIONS = ("mappa", "risk", "move", "review", "safety", "contacts")


class TransferAmended(WireModel):
    """Corrected details of a live transfer; each section present replaces the notified one."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [{"required": [section]} for section in AMENDABLE_SECTIONS],
            "examples": [
                {
                    "revision": 1,
                    "reason": "The expected date of the move has been put back a week.",
                    "move": {
                        "kind": "permanent",
                        "destination": {
                            "kind": "address",
                            "lines": ["Flat 2", "14 Sample Street"],
                            "town": "Birmingham",
                            "postcode": "B4 6NQ",
                        },
                        "expected_date": "2025-07-08",
                    },
                }
            ],
        }
    )

    revision: Count = Field(description="1 for the first amendment, then 2, 3 and so on.")
    reason: LongText = Field(description="Why the details changed.")
    mappa: MappaDetails | None = Field(default=None, description="Replacement MAPPA details.")
    risk: Risk | None = Field(default=None, description="Replacement risk assessment.")
    move: Move | None = Field(default=None, description="Replacement move.")
    review: Review | None = Field(default=None, description="Replacement review.")
    safety: SafetyFlags | None = Field(default=None, description="Replacement safety flags.")
    contacts: list[Contact] | None = Field(
        default=None, min_length=1, max_length=10, description="Replacement contacts."
    )

    @model_validator(mode="after")
    def _changes_something(self) -> TransferAmended:
        if all(getattr(self, section) is None for section in AMENDABLE_SECTIONS):
            msg = f"an amendment carries at least one of {', '.join(AMENDABLE_SECTIONS)}"
            raise ValueError(msg)
        return self


_ACKNOWLEDGED_1_0: dict[str, Any] = {
    "received_at": "2025-06-12T09:30:00Z",
    "consultation_started": True,
    "consulting": ["Public protection unit", "Witness protection unit"],
    "contact": {
        "name": "PS Tom Hughes",
        "role": "Offender management supervisor",
        "organisation": "West Midlands Police",
        "phone": "0121 555 0142",
    },
}


class TransferAcknowledgedV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """The receiving force confirms receipt of the notification and opens consultation."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ACKNOWLEDGED_1_0]})

    received_at: AwareDatetime = Field(description="When the notification was received.")
    consultation_started: bool = Field(
        description="Consultation on risk, response plans and threats to life has begun."
    )
    consulting: list[ShortText] = Field(
        default_factory=list,
        max_length=20,
        description="Who is being consulted, e.g. a witness protection unit.",
    )
    contact: Contact = Field(description="The receiving force's contact for this transfer.")


class TransferAcknowledged(TransferAcknowledgedV1_0):
    """The receiving force confirms receipt of the notification and opens consultation.

    1.1 adds `revision`. A receiver that leaves it out acknowledges revision 1, the
    notification itself: an acknowledgement never claims more than the receiver has read.
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_ACKNOWLEDGED_1_0, "revision": 2}]}
    )

    revision: Count | None = Field(
        default=None,
        description="The revision acknowledged: 1 for the notification, then each amendment's "
        "`revision`. Absent means 1.",
    )


class DeclineReason(StrEnum):
    """Why the receiving force declines a transfer."""

    NOT_OUR_AREA = "not_our_area"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    ADDRESS_NOT_VERIFIED = "address_not_verified"
    DUPLICATE_TRANSFER = "duplicate_transfer"
    OTHER = "other"


class TransferDeclined(WireModel):
    """The receiving force will not take the transfer as notified."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason_code": "not_our_area",
                    "reason": "14 Sample Street, B4 6NQ is in West Mercia, not West Midlands.",
                    "suggested_force": "WMC",
                },
                {
                    "reason_code": "insufficient_information",
                    "reason": "The review checklist is incomplete.",
                    "missing_information": ["review.checklist.new_address_verified"],
                },
            ]
        }
    )

    reason_code: DeclineReason = Field(description="Machine-readable reason.")
    reason: LongText = Field(description="The reason in words, for the coordinator.")
    missing_information: list[ShortText] = Field(
        default_factory=list, max_length=20, description="What is needed to proceed."
    )
    suggested_force: ForceCode | None = Field(
        default=None, description="The force the receiver believes covers the destination."
    )


class CancelReason(StrEnum):
    """Why the owning force cancels a transfer."""

    MOVE_ABANDONED = "move_abandoned"
    OFFENDER_IN_CUSTODY = "offender_in_custody"
    OFFENDER_DECEASED = "offender_deceased"
    NOTIFIED_IN_ERROR = "notified_in_error"
    OTHER = "other"


class TransferCancelled(WireModel):
    """The move is off: the owning force keeps the record."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason_code": "offender_in_custody",
                    "reason": "Remanded in custody on 20 June 2025.",
                }
            ]
        }
    )

    reason_code: CancelReason = Field(description="Machine-readable reason.")
    reason: LongText = Field(description="The reason in words, for the coordinator.")


class TransferReminderV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """An acknowledgement or acceptance is overdue."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "overdue": "acknowledgement",
                    "original_message_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "originally_sent_at": "2025-06-12T09:00:00Z",
                    "reminder_number": 1,
                }
            ]
        }
    )

    overdue: Literal["acknowledgement", "acceptance"] = Field(description="What is overdue.")
    original_message_id: MessageId = Field(
        description="The `id` of the message still waiting for an answer."
    )
    originally_sent_at: AwareDatetime = Field(description="When that message was sent.")
    reminder_number: Count = Field(description="1 for the first reminder, then 2, 3 and so on.")


class TransferReminder(TransferReminderV1_0):
    """An acknowledgement, acceptance or the commit of an acceptance is overdue.

    1.1 adds `awaiting`: `commit` when the owning force has not committed the receiver's
    acceptance in time; `overdue` then says `acceptance`, the step the commit completes, and
    `original_message_id` names the `ownership.accepted` still waiting for the commit.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "overdue": "acceptance",
                    "awaiting": "commit",
                    "original_message_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "originally_sent_at": "2025-07-02T10:00:00Z",
                    "reminder_number": 1,
                }
            ]
        }
    )

    awaiting: Literal["commit"] | None = Field(
        default=None,
        description="`commit`: the owning force's commit of the acceptance is overdue. "
        "Absent: `overdue` names the step.",
    )
