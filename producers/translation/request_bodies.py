"""Bodies of a request for a transfer and of its refusal."""

from __future__ import annotations

from ownership.domain import events as e
from ownership.domain.values import OffenderIdentity
from producers.translation.parts import address, contact
from schemas.models import common as wire
from schemas.models import request as wire_request


def requested_body(event: e.TransferRequested) -> wire_request.TransferRequested:
    """`transfer.requested`: who registered, where and when, and whom to call."""
    registration = event.registration
    return wire_request.TransferRequested(
        request_id=event.request_id,
        offender=_offender(registration.identity),
        registration=wire_request.ArrivalRegistration(
            registered_on=registration.registered_on,
            address=address(registration.address),
            contact=contact(registration.contact, "the requesting force's")
            if registration.contact is not None
            else None,
        ),
    )


def _offender(identity: OffenderIdentity) -> wire_request.RequestedOffender:
    return wire_request.RequestedOffender(
        name=wire.PersonName(family_name=identity.family_name, given_names=identity.given_names),
        date_of_birth=identity.date_of_birth,
        pnc_id=identity.pnc_id,
        visor_reference=identity.visor_reference,
    )


def request_declined_body(event: e.TransferRequestDeclined) -> wire_request.TransferRequestDeclined:
    """`request.declined`: why, and the owner the sender knows."""
    return wire_request.TransferRequestDeclined(
        request_id=event.request_id,
        reason_code=wire_request.RequestDeclineReason(event.reason.value),
        reason=event.text,
        owner=event.owner,
        epoch=event.owner_epoch,
    )
