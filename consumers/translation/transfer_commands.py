"""The owning force's transfer messages as the receiving force's commands."""

from __future__ import annotations

from consumers.translation import enums, parts
from consumers.translation.envelope import body_as, transfer_fields
from ownership.domain.amendment import DetailsAmendment
from ownership.domain.commands import (
    ReceiveTransferAmended,
    ReceiveTransferCancelled,
    ReceiveTransferNotified,
)
from ownership.domain.values import MoveDetails
from schemas.models import transfer as wire
from schemas.models.transfer_notified import TransferNotified
from schemas.registry import ReceivedMessage


def notified(received: ReceivedMessage) -> ReceiveTransferNotified:
    """`transfer.notified` → the offender, the move's details and the review's report."""
    body = body_as(received, TransferNotified)
    report = parts.report(body.review)
    return ReceiveTransferNotified(
        **transfer_fields(received.envelope),
        profile=parts.profile(body.offender, body.mappa, body.visor_reference),
        details=details(body),
        review=(),
        review_outcome=report.notes,
        report=report,
    )


def details(body: TransferNotified) -> MoveDetails:
    """The move's details from the notification's sections."""
    plan, risk, safety = parts.plan(body.move), parts.risk(body.risk), parts.safety(body.safety)
    return MoveDetails(
        kind=plan.kind,
        expected_date=plan.expected_date,
        risk_level=risk.level,
        new_address=plan.new_address,
        place_regularly_found=plan.place_regularly_found,
        end_date=plan.end_date,
        officer_safety_issues=safety.officer_safety_issues,
        threat_to_life=safety.threat_to_life,
        contacts=parts.contacts(body.contacts),
        risk_tool=risk.tool,
        risk_assessed_on=risk.assessed_on,
        interpreter_language=body.interpreter_language,
        registration_due_by=body.registration_due_by,
    )


def amended(received: ReceivedMessage) -> ReceiveTransferAmended:
    """`transfer.amended` → the sections it replaces; absent sections stay as they were."""
    body = body_as(received, wire.TransferAmended)
    changes = DetailsAmendment(
        move=parts.plan(body.move) if body.move is not None else None,
        risk=parts.risk(body.risk) if body.risk is not None else None,
        safety=parts.safety(body.safety) if body.safety is not None else None,
        contacts=parts.contacts(body.contacts) if body.contacts is not None else None,
        mappa=parts.mappa_management(body.mappa),
        review=parts.report(body.review) if body.review is not None else None,
    )
    return ReceiveTransferAmended(
        **transfer_fields(received.envelope),
        changes=changes,
        revision=body.revision,
        reason=body.reason,
    )


def cancelled(received: ReceivedMessage) -> ReceiveTransferCancelled:
    """`transfer.cancelled` → the reason code and words.

    The wire has no expiry flag: an owner's expiry arrives as `other` with its words.
    """
    body = body_as(received, wire.TransferCancelled)
    return ReceiveTransferCancelled(
        **transfer_fields(received.envelope),
        reason=body.reason,
        reason_code=enums.CANCEL_REASON[body.reason_code],
    )
