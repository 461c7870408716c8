"""The reconciliation pair as commands: a counterpart's query, and its answer to ours."""

from __future__ import annotations

from typing import Any

from consumers.translation import enums
from consumers.translation.envelope import body_as, present
from ownership.domain.commands import ReceiveOwnershipQuery, ReceiveOwnershipStatus
from ownership.domain.held_views import HeldView
from schemas.envelope import Envelope
from schemas.models import ownership as wire
from schemas.registry import ReceivedMessage


def query(received: ReceivedMessage) -> ReceiveOwnershipQuery:
    """`ownership.query` → the offenders the sender asks about."""
    body = body_as(received, wire.OwnershipQuery)
    return ReceiveOwnershipQuery(
        **_enquiry_fields(received.envelope), offenders=tuple(body.offenders)
    )


def status(received: ReceivedMessage) -> ReceiveOwnershipStatus:
    """`ownership.status` → the sender's view of each offender we asked about."""
    body = body_as(received, wire.OwnershipStatus)
    fields = _enquiry_fields(received.envelope)
    fields["causation_id"] = present(received.envelope.causationid, "causationid")
    return ReceiveOwnershipStatus(**fields, views=tuple(_view(item) for item in body.records))


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
