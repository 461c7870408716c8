"""Bodies of the receiving force's answers: acknowledged, declined, accepted."""

from __future__ import annotations

from ownership.domain.events import OwnershipAccepted, TransferAcknowledged, TransferDeclined
from producers.translation import parts
from producers.translation.errors import UntranslatableEventError
from schemas.models import ownership as wire_ownership
from schemas.models import transfer as wire
from wire_enums import tables as enums

DEFAULT_REVISION = 1
"""The revision a receiver assumes when `revision` is absent, so it is left out when 1."""


def acknowledged_body(event: TransferAcknowledged) -> wire.TransferAcknowledged:
    """`transfer.acknowledged`: when received, who is consulted, contact and revision."""
    return wire.TransferAcknowledged(
        received_at=event.received_at or event.at,
        consultation_started=True,
        consulting=list(event.consulting),
        contact=parts.contact(event.contact, "the receiving force's"),
        revision=None if event.revision == DEFAULT_REVISION else event.revision,
    )


def declined_body(event: TransferDeclined) -> wire.TransferDeclined:
    """`transfer.declined`: reason code and words, what is missing, who to ask instead."""
    return wire.TransferDeclined(
        reason_code=enums.DECLINE_REASON[event.reason],
        reason=event.text,
        missing_information=list(event.missing_information),
        suggested_force=event.suggested_force,
    )


def accepted_body(event: OwnershipAccepted) -> wire_ownership.OwnershipAccepted:
    """`ownership.accepted`: the offender's registration and their new manager."""
    registration = event.registration
    if registration is None:
        raise UntranslatableEventError("the offender's registration is not recorded")
    return wire_ownership.OwnershipAccepted(
        registration=wire_ownership.Registration(
            registered_on=registration.registered_on, station=registration.station
        ),
        contact=parts.contact(event.contact, "the new manager's"),
    )
