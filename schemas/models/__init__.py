"""pydantic models of every released message body version, and which one is current."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from schemas.models.arrival import TransferFailedToArrive
from schemas.models.common import WireModel
from schemas.models.offender import OffenderAbsent
from schemas.models.ownership import (
    OwnershipAccepted,
    OwnershipQuery,
    OwnershipQueryV1_0,
    OwnershipRefused,
    OwnershipRefusedV1_0,
    OwnershipStatus,
    OwnershipStatusV1_0,
    OwnershipTransferred,
    OwnershipWithdrawn,
)
from schemas.models.request import TransferRequestDeclined, TransferRequested
from schemas.models.resolution import (
    ResolutionConfirmed,
    ResolutionProposed,
    ResolutionRejected,
)
from schemas.models.transfer import (
    TransferAcknowledged,
    TransferAcknowledgedV1_0,
    TransferAmended,
    TransferCancelled,
    TransferDeclined,
    TransferReminder,
    TransferReminderV1_0,
)
from schemas.models.transfer_notified import (
    TransferNotified,
    TransferNotifiedV1_0,
    TransferNotifiedV1_1,
    TransferNotifiedV2_0,
)
from schemas.version import Version

V1_0: Final = Version(1, 0)

MODELS: Final[Mapping[str, Mapping[Version, type[WireModel]]]] = MappingProxyType(
    {
        "transfer.notified": MappingProxyType(
            {
                V1_0: TransferNotifiedV1_0,
                Version(1, 1): TransferNotifiedV1_1,
                Version(2, 0): TransferNotifiedV2_0,
                Version(2, 1): TransferNotified,
            }
        ),
        "transfer.amended": MappingProxyType({V1_0: TransferAmended}),
        "transfer.acknowledged": MappingProxyType(
            {V1_0: TransferAcknowledgedV1_0, Version(1, 1): TransferAcknowledged}
        ),
        "transfer.declined": MappingProxyType({V1_0: TransferDeclined}),
        "transfer.failedtoarrive": MappingProxyType({V1_0: TransferFailedToArrive}),
        "transfer.cancelled": MappingProxyType({V1_0: TransferCancelled}),
        "ownership.accepted": MappingProxyType({V1_0: OwnershipAccepted}),
        "ownership.transferred": MappingProxyType({V1_0: OwnershipTransferred}),
        "ownership.refused": MappingProxyType(
            {V1_0: OwnershipRefusedV1_0, Version(1, 1): OwnershipRefused}
        ),
        "ownership.withdrawn": MappingProxyType({V1_0: OwnershipWithdrawn}),
        "transfer.reminder": MappingProxyType(
            {V1_0: TransferReminderV1_0, Version(1, 1): TransferReminder}
        ),
        "offender.absent": MappingProxyType({V1_0: OffenderAbsent}),
        "ownership.query": MappingProxyType(
            {V1_0: OwnershipQueryV1_0, Version(1, 1): OwnershipQuery}
        ),
        "ownership.status": MappingProxyType(
            {V1_0: OwnershipStatusV1_0, Version(1, 1): OwnershipStatus}
        ),
        "resolution.proposed": MappingProxyType({V1_0: ResolutionProposed}),
        "resolution.confirmed": MappingProxyType({V1_0: ResolutionConfirmed}),
        "resolution.rejected": MappingProxyType({V1_0: ResolutionRejected}),
        "transfer.requested": MappingProxyType({V1_0: TransferRequested}),
        "request.declined": MappingProxyType({V1_0: TransferRequestDeclined}),
    }
)
"""The model of every released body version, by message type then version."""


def current_version(message_type: str) -> Version:
    """The newest version of a type: the one consumers upcast to and models describe."""
    return max(MODELS[message_type])


def current_model(message_type: str) -> type[WireModel]:
    """The model of the current version of a type."""
    return MODELS[message_type][current_version(message_type)]


def message_type_of(body: WireModel) -> str:
    """The message type whose current model `body` is; `KeyError` for anything else."""
    for message_type in MODELS:
        if type(body) is current_model(message_type):
            return message_type
    msg = f"{type(body).__name__} is not the current model of any message type"
    raise KeyError(msg)


__all__ = ["MODELS", "current_model", "current_version", "message_type_of"]
