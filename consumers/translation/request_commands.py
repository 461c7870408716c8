"""A request for a transfer, and its refusal, as commands."""

from __future__ import annotations

from collections.abc import Callable

from consumers.translation import parts
from consumers.translation.envelope import body_as, message_fields
from ownership.domain.commands import ReceiveTransferRequestDeclined, ReceiveTransferRequested
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.identifiers import parse_pnc_id, parse_visor_reference
from ownership.domain.requests import ArrivalRegistration, RequestDeclineReason
from ownership.domain.values import OffenderIdentity
from schemas.envelope import Envelope
from schemas.errors import BodyInvalid
from schemas.models import request as wire
from schemas.registry import ReceivedMessage

NO_EPOCH = 0
"""The epoch a request-side command carries: these messages speak for none."""


def _fields(envelope: Envelope) -> dict[str, object]:
    return message_fields(envelope.model_copy(update={"epoch": NO_EPOCH}))


def _checked(parse: Callable[[str], str], value: str | None, name: str) -> str | None:
    """``value`` parsed, or None; a value the parser refuses makes the body invalid."""
    if value is None:
        return None
    try:
        return parse(value)
    except InvalidDetailsError as error:
        raise BodyInvalid(str(error), pointer=f"/data/offender/{name}") from error


def requested(received: ReceivedMessage) -> ReceiveTransferRequested:
    """`transfer.requested` → who registered at the sender, where and when (the PNC ID's
    check letter, and that a ViSOR reference holds a digit, are checked here: the schema
    checks only their shape)."""
    body = body_as(received, wire.TransferRequested)
    offender, registration = body.offender, body.registration
    identity = OffenderIdentity(
        offender.name.family_name,
        offender.name.given_names,
        offender.date_of_birth,
        _checked(parse_pnc_id, offender.pnc_id, "pnc_id"),
        _checked(parse_visor_reference, offender.visor_reference, "visor_reference"),
    )
    return ReceiveTransferRequested(
        **_fields(received.envelope),  # type: ignore[arg-type]
        request_id=body.request_id,
        registration=ArrivalRegistration(
            registration.registered_on,
            parts.address(registration.address),
            identity,
            parts.contact(registration.contact) if registration.contact else None,
        ),
    )


def request_declined(received: ReceivedMessage) -> ReceiveTransferRequestDeclined:
    """`request.declined` → why, and the owner the sender knows."""
    body = body_as(received, wire.TransferRequestDeclined)
    return ReceiveTransferRequestDeclined(
        **_fields(received.envelope),  # type: ignore[arg-type]
        request_id=body.request_id,
        reason=RequestDeclineReason(body.reason_code.value),
        text=body.reason,
        owner=body.owner,
        owner_epoch=body.epoch,
    )
