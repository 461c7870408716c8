"""Ownership messages: accepted, transferred, refused, and the query/status reconciliation pair."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from schemas.models.common import (
    Contact,
    Epoch,
    ForceCode,
    LongText,
    OffenderReference,
    ShortText,
    WireModel,
)
from schemas.models.request import PNC_ID_PATTERN, VISOR_REFERENCE_PATTERN


class Registration(WireModel):
    """The offender's registration at the new address with the receiving force."""

    registered_on: date = Field(description="The date the offender registered.")
    station: ShortText = Field(description="The police station where the offender registered.")


class OwnershipAccepted(WireModel):
    """The receiving force accepts responsibility for the record from the next epoch."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "registration": {
                        "registered_on": "2025-07-02",
                        "station": "Birmingham Steelhouse Lane",
                    },
                    "contact": {
                        "name": "DC Lee Morgan",
                        "role": "MOSOVO officer",
                        "organisation": "West Midlands Police",
                        "phone": "0121 555 0177",
                    },
                }
            ]
        }
    )

    registration: Registration
    contact: Contact = Field(description="The receiving force's manager for the offender.")


class OwnershipTransferred(WireModel):
    """The owning force commits the handover: the new owner holds the record from `new_epoch`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "new_owner": "WMP",
                    "new_epoch": 4,
                    "effective_at": "2025-07-02T16:00:00Z",
                    "records_sent": True,
                    "records_reference": "VISOR-HANDOVER-2025-0042",
                }
            ]
        }
    )

    new_owner: ForceCode = Field(description="The force that owns the record from now on.")
    new_epoch: Epoch = Field(description="The epoch the new owner holds: the sender's epoch + 1.")
    effective_at: AwareDatetime = Field(description="When responsibility passed.")
    records_sent: bool = Field(
        description="The offender's records have been sent to the new owner."
    )
    records_reference: ShortText | None = Field(
        default=None, description="Where the new owner finds the records, e.g. a ViSOR reference."
    )


class RefusalReason(StrEnum):
    """Why an acceptance arrived for a transfer that is no longer live."""

    TRANSFER_CANCELLED = "transfer_cancelled"
    TRANSFER_SUPERSEDED = "transfer_superseded"
    TRANSFER_UNKNOWN = "transfer_unknown"
    EPOCH_STALE = "epoch_stale"


class OwnershipRefusedV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """The owning force refuses an acceptance: the accepting force does not own the record."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason_code": "transfer_cancelled",
                    "reason": "The transfer was cancelled on 20 June 2025 before acceptance.",
                    "owner": "GMP",
                    "epoch": 3,
                }
            ]
        }
    )

    reason_code: RefusalReason = Field(description="Machine-readable reason.")
    reason: LongText = Field(description="The reason in words, for the coordinator.")
    owner: ForceCode = Field(description="The force that still owns the record.")
    epoch: Epoch = Field(description="The epoch that force owns.")


class OwnershipRefused(OwnershipRefusedV1_0):
    """The owning force refuses an acceptance: the accepting force does not own the record.

    1.1 adds `lapsed`: the acceptance was not committed within the owning force's validity
    window, so it lapsed; the owning force keeps the record at the same epoch.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason_code": "transfer_cancelled",
                    "reason": "The acceptance of 2 July 2025 lapsed before it was committed.",
                    "owner": "GMP",
                    "epoch": 3,
                    "lapsed": True,
                }
            ]
        }
    )

    lapsed: bool | None = Field(
        default=None,
        description="True when the acceptance lapsed uncommitted: the owner still owns.",
    )


class OwnershipWithdrawn(WireModel):
    """The receiving force withdraws its acceptance before the owning force commits."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"reason": "The offender has not reported at the new address in Birmingham."}
            ]
        }
    )

    reason: LongText = Field(description="Why the acceptance is withdrawn, for the coordinator.")


class OwnershipQueryV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """Reconciliation: which owner and epoch does the recipient hold for these offenders?"""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"offenders": ["GMP-2019-004512", "WMP-2021-000087"]}]}
    )

    offenders: list[OffenderReference] = Field(
        min_length=1, max_length=500, description="The offender references asked about."
    )


class IdentityAsked(WireModel):
    """An offender asked about by national identity: a PNC ID, a ViSOR reference, or both."""

    pnc_id: str | None = Field(
        default=None, pattern=PNC_ID_PATTERN, description="Police National Computer identifier."
    )
    visor_reference: str | None = Field(
        default=None, pattern=VISOR_REFERENCE_PATTERN, description="ViSOR nominal reference."
    )


class OwnershipQuery(OwnershipQueryV1_0):
    """Which owner and epoch does the recipient hold for these offenders?

    1.1 adds `identities`: offenders asked about by PNC ID and ViSOR nominal reference, by a
    force where an offender registered unannounced and whose owner it does not know.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "offenders": ["WMP-2026-000311"],
                    "identities": [{"pnc_id": "98/123456G", "visor_reference": "VN-0042137"}],
                }
            ]
        }
    )

    identities: list[IdentityAsked] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Offenders asked about by identity; each is answered in `identities`.",
    )


class IdentityHeld(IdentityAsked):
    """What the answering force holds for one identity asked about: a record, or none."""

    held: bool = Field(description="The answering force holds a record with this identity.")
    offender: OffenderReference | None = Field(
        default=None, description="The reference of the record it holds, if held."
    )
    owner: ForceCode | None = Field(default=None, description="The owner it records, if held.")
    epoch: Epoch | None = Field(default=None, description="The epoch it records, if held.")


class RecordStatus(WireModel):
    """What the answering force holds for one offender."""

    offender: OffenderReference
    known: bool = Field(description="The answering force holds a record for this offender.")
    owner: ForceCode | None = Field(default=None, description="The owner it records, if known.")
    epoch: Epoch | None = Field(default=None, description="The epoch it records, if known.")
    state: Literal["owned", "transfer_pending", "transferred_away"] | None = Field(
        default=None, description="The answering force's own position on the record, if known."
    )


class OwnershipStatusV1_0(WireModel):  # noqa: N801 - the version is part of the name
    """The answer to an `ownership.query`, one entry per offender asked about."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "offender": "GMP-2019-004512",
                            "known": True,
                            "owner": "GMP",
                            "epoch": 3,
                            "state": "transfer_pending",
                        },
                        {"offender": "WMP-2021-000087", "known": False},
                    ]
                }
            ]
        }
    )

    records: list[RecordStatus] = Field(min_length=1, max_length=500)


class OwnershipStatus(OwnershipStatusV1_0):
    """The answer to an `ownership.query`, one entry per offender asked about.

    1.1 adds `identities`: one entry per identity the query asked about, in its order.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "records": [{"offender": "WMP-2026-000311", "known": False}],
                    "identities": [
                        {
                            "pnc_id": "98/123456G",
                            "held": True,
                            "offender": "GMP-2019-004512",
                            "owner": "GMP",
                            "epoch": 3,
                        },
                    ],
                }
            ]
        }
    )

    identities: list[IdentityHeld] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="What the answering force holds for each identity the query asked about.",
    )
