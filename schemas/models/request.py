"""`transfer.requested` and its refusal: an offender registered where no force was told.

Every transfer starts at the owner, so the force where the offender turned up asks the force
it believes owns the record, with who registered, where and when; that force answers by
starting a transfer (a `transfer.notified` follows its review) or with
`request.declined`. The PNC ID and the ViSOR nominal reference are optional: the
force asked finds its record by the offender reference and checks them against it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import ConfigDict, Field

from schemas.models.common import (
    Address,
    Contact,
    Epoch,
    ForceCode,
    LongText,
    MessageId,
    OffenderCategory,
    PersonName,
    WireModel,
)

PNC_ID_PATTERN = r"^[0-9]{2}([0-9]{2})?/[0-9]{1,7}[A-Z]$"
VISOR_REFERENCE_PATTERN = r"^[A-Z0-9][A-Z0-9/-]{3,19}$"


class RequestedOffender(WireModel):
    """Who registered: enough for the force asked to be sure it is its offender."""

    category: OffenderCategory | None = Field(
        default=None, description="The category the offender registered under, if known."
    )
    name: PersonName = Field(description="Name as registered.")
    date_of_birth: date = Field(description="Date of birth.")
    pnc_id: str | None = Field(
        default=None,
        pattern=PNC_ID_PATTERN,
        description="Police National Computer identifier, `YY/NNNNNNNL`, with its check letter.",
    )
    visor_reference: str | None = Field(
        default=None,
        pattern=VISOR_REFERENCE_PATTERN,
        description="The ViSOR nominal reference, where one is known.",
    )


class ArrivalRegistration(WireModel):
    """Where and when the offender registered at the requesting force."""

    registered_on: date = Field(description="The day the offender registered.")
    address: Address = Field(description="The address the offender registered.")
    contact: Contact | None = Field(
        default=None, description="Whom to call at the requesting force."
    )


class TransferRequested(WireModel):
    """The force where the offender registered asks the force it believes owns the record."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5",
                    "offender": {
                        "category": "registered_sex_offender",
                        "name": {"family_name": "Example", "given_names": "Alan"},
                        "date_of_birth": "1975-03-14",
                        "pnc_id": "98/123456G",
                        "visor_reference": "VN-0042137",
                    },
                    "registration": {
                        "registered_on": "2025-07-01",
                        "address": {
                            "kind": "address",
                            "lines": ["12 Sample Street"],
                            "town": "Birmingham",
                            "postcode": "B1 1AA",
                        },
                    },
                }
            ]
        }
    )

    request_id: MessageId = Field(description="The request's id; the answer names it.")
    offender: RequestedOffender
    registration: ArrivalRegistration


class RequestDeclineReason(StrEnum):
    """Why the force asked will not start the transfer."""

    NOT_OWNER = "not_owner"
    NOT_KNOWN = "not_known"
    NOT_MOVING = "not_moving"
    OTHER = "other"


class TransferRequestDeclined(WireModel):
    """The force asked will not start the transfer; `causationid` is the request's `id`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "5f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5",
                    "reason_code": "not_owner",
                    "reason": "GMP does not own the record: MPS owns it at epoch 3.",
                    "owner": "MPS",
                    "epoch": 3,
                }
            ]
        }
    )

    request_id: MessageId = Field(description="The id of the request declined.")
    reason_code: RequestDeclineReason
    reason: LongText = Field(description="The reason in words.")
    owner: ForceCode | None = Field(
        default=None, description="The owner the sender knows of, if it holds a record."
    )
    epoch: Epoch | None = Field(default=None, description="That owner's epoch.")
