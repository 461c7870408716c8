"""The receiving force's answers as the owning force's commands."""

from __future__ import annotations

from consumers.translation import enums, parts
from consumers.translation.envelope import body_as, transfer_fields
from ownership.domain.commands import (
    ReceiveOwnershipAccepted,
    ReceiveTransferAcknowledged,
    ReceiveTransferDeclined,
)
from ownership.domain.transfer import Registration
from schemas.models import ownership as wire_ownership
from schemas.models import transfer as wire
from schemas.registry import ReceivedMessage

UNSTATED_REVISION = 1
"""The revision a `transfer.acknowledged` without `revision` (any 1.0 message) acknowledges.

Revision 1 is the notification itself, which every acknowledging force has read; an
acknowledgement is never taken to cover an amendment it does not name. If the transfer has
been amended since, the owner refuses it as a stale revision and still awaits an
acknowledgement of the amendment, so nothing is assumed that the receiver did not say.
"""


def acknowledged(received: ReceivedMessage) -> ReceiveTransferAcknowledged:
    """`transfer.acknowledged` → the revision acknowledged, the contact, who is consulted."""
    body = body_as(received, wire.TransferAcknowledged)
    return ReceiveTransferAcknowledged(
        **transfer_fields(received.envelope),
        revision=body.revision if body.revision is not None else UNSTATED_REVISION,
        contact=parts.contact(body.contact),
        consulting=tuple(body.consulting),
    )


def declined(received: ReceivedMessage) -> ReceiveTransferDeclined:
    """`transfer.declined` → the reason, what is missing, and the force suggested."""
    body = body_as(received, wire.TransferDeclined)
    return ReceiveTransferDeclined(
        **transfer_fields(received.envelope),
        reason=enums.DECLINE_REASON[body.reason_code],
        text=body.reason,
        missing_information=tuple(body.missing_information),
        suggested_force=body.suggested_force,
    )


def accepted(received: ReceivedMessage) -> ReceiveOwnershipAccepted:
    """`ownership.accepted` → the offender's registration and their new manager."""
    body = body_as(received, wire_ownership.OwnershipAccepted)
    registration = body.registration
    return ReceiveOwnershipAccepted(
        **transfer_fields(received.envelope),
        registration=Registration(registration.registered_on, registration.station),
        contact=parts.contact(body.contact),
    )
