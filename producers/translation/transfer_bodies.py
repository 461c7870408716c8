"""Bodies of the owning force's transfer messages: notified, amended, cancelled."""

from __future__ import annotations

from ownership.domain.events import TransferAmended, TransferCancelled, TransferNotified
from producers.translation import parts
from schemas.models import transfer as wire
from schemas.models.transfer_notified import TransferNotified as NotifiedBody
from wire_enums import tables as enums


def notified_body(event: TransferNotified) -> NotifiedBody:
    """`transfer.notified`: the offender, the move and its review, safety and contacts."""
    details = event.details
    return NotifiedBody(
        offender=parts.offender_details(event.profile),
        mappa=parts.mappa_details(event.profile.mappa),
        risk=parts.risk(details.risk),
        move=parts.move(details.plan),
        review=parts.review(event.report),
        safety=parts.safety(details.safety),
        contacts=parts.notified_contacts(details),
        interpreter_language=details.interpreter_language,
        registration_due_by=details.registration_due_by,
        visor_reference=event.profile.identity.visor_reference if event.profile.identity else None,
    )


def amended_body(event: TransferAmended) -> wire.TransferAmended:
    """`transfer.amended`: every section the domain's details hold, replaced whole."""
    details = event.details
    return wire.TransferAmended(
        revision=event.revision,
        reason=event.reason,
        risk=parts.risk(details.risk),
        move=parts.move(details.plan),
        safety=parts.safety(details.safety),
        contacts=parts.contacts(details.contacts) or None,
    )


def cancelled_body(event: TransferCancelled) -> wire.TransferCancelled:
    """`transfer.cancelled`: the reason code and words (an expiry is `other`)."""
    return wire.TransferCancelled(
        reason_code=enums.CANCEL_REASON[event.reason_code], reason=event.reason
    )
