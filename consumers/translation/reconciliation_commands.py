"""The reconciliation pair as commands: a counterpart's query, and its answer to ours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from consumers.translation import enums
from consumers.translation.envelope import body_as, present
from ownership.domain.commands import ReceiveOwnershipQuery, ReceiveOwnershipStatus
from ownership.domain.held_views import HeldView
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from schemas.envelope import Envelope
from schemas.models import ownership as wire
from schemas.registry import ReceivedMessage

_Asked = TypeVar("_Asked", bound=wire.IdentityAsked)


def query(received: ReceivedMessage) -> ReceiveOwnershipQuery:
    """`ownership.query` → the offenders the sender asks about."""
    body = body_as(received, wire.OwnershipQuery)
    return ReceiveOwnershipQuery(
        **_enquiry_fields(received.envelope),
        offenders=tuple(body.offenders),
        identities=tuple(_asked(item) for item in _named(body.identities)),
    )


def status(received: ReceivedMessage) -> ReceiveOwnershipStatus:
    """`ownership.status` → the sender's view of each offender we asked about."""
    body = body_as(received, wire.OwnershipStatus)
    fields = _enquiry_fields(received.envelope)
    fields["causation_id"] = present(received.envelope.causationid, "causationid")
    return ReceiveOwnershipStatus(
        **fields,
        views=tuple(_view(item) for item in body.records),
        identities=tuple(_identity_view(item) for item in _named(body.identities)),
    )


def _enquiry_fields(envelope: Envelope) -> dict[str, Any]:
    return {
        "at": envelope.time,
        "sender": envelope.source,
        "recipient": envelope.recipient,
        "message_id": envelope.id,
        "causation_id": envelope.causationid,
    }


def _view(item: wire.RecordStatus) -> HeldView:
    if not item.known:
        return HeldView(item.offender, known=False)
    position = enums.POSITION[item.state] if item.state is not None else None
    return HeldView(item.offender, True, item.owner, item.epoch, position)


def _named(items: Sequence[_Asked] | None) -> list[_Asked]:
    """The entries that name a PNC ID or a ViSOR reference: one naming neither asks nothing."""
    return [i for i in items or () if i.pnc_id is not None or i.visor_reference is not None]


def _asked(item: wire.IdentityAsked) -> IdentityKey:
    """An identity asked about; the model has already checked the shape of each identifier."""
    return IdentityKey(item.pnc_id, item.visor_reference)


def _identity_view(item: wire.IdentityHeld) -> IdentityView:
    asked = _asked(item)
    if not item.held:
        return IdentityView(asked)
    return IdentityView(asked, item.offender, item.owner, item.epoch)
