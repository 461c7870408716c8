"""The steps of a request for a transfer, on the record of the force asked.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it. A
request never moves the record's owner or epoch: only a transfer the owner starts does.
"""

from __future__ import annotations

from datetime import datetime

from ownership.domain.commands.requests import (
    DeclineTransferRequest,
    ReceiveTransferRequested,
    RequestTransfer,
)
from ownership.domain.errors import (
    InvalidDetailsError,
    RequestAlreadyKnownError,
    RequestNotNeededError,
    RequestNotPendingError,
    UnknownRequestError,
)
from ownership.domain.events.requests import (
    TransferRequestAnswered,
    TransferRequestDeclined,
    TransferRequested,
    TransferRequestReceived,
)
from ownership.domain.guards import check_addressed, refuse
from ownership.domain.record_core import RecordCore, emit
from ownership.domain.requests import RequestDeclineReason, RequestState, TransferRequest
from ownership.domain.states import Side


def request_event(cmd: RequestTransfer, force: str, held: RecordCore | None) -> TransferRequested:
    """The request ``force`` sends; refused if it owns the record or already receives it."""
    if cmd.owner == force:
        raise InvalidDetailsError(f"{force} cannot ask itself for a transfer")
    if held is not None and held.is_owner:
        raise RequestNotNeededError(f"{force} already owns {cmd.reference}")
    if held is not None and any(
        t.side is Side.RECEIVER and t.is_live and t.epoch == held.epoch for t in held.transfers
    ):
        raise RequestNotNeededError(f"{force} is already receiving {cmd.reference}")
    return TransferRequested(
        reference=cmd.reference,
        force=force,
        at=cmd.at,
        recipient=cmd.owner,
        transfer_id=None,
        epoch=0,
        request_id=cmd.request_id,
        registration=cmd.registration,
    )


def receive_request(record: RecordCore, msg: ReceiveTransferRequested) -> None:
    """Hold the request pending; a force that does not own the record declines at once,
    naming the owner it knows, and a live transfer to the requester already answers it."""
    check_addressed(record, msg)
    if any(r.request_id == msg.request_id for r in record.requests):
        refuse(record, msg, RequestAlreadyKnownError(f"request {msg.request_id} is known"))
    request = TransferRequest(
        msg.request_id, msg.sender, msg.clock_starts_at, msg.registration, msg.message_id
    )
    record.requests.append(request)
    emit(
        record,
        TransferRequestReceived(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            request_id=request.request_id,
            requester=request.requester,
        ),
    )
    if not record.is_owner:
        known = f"{record.owner} owns it at epoch {record.epoch}, as far as {record.held_by} knows"
        text = f"{record.held_by} does not own {record.reference}: {known}"
        _decline(record, request, RequestDeclineReason.NOT_OWNER, text, msg.at)
        return
    for transfer in record.transfers:
        if transfer.side is Side.OWNER and transfer.is_live and transfer.receiver == msg.sender:
            _answer(record, request, transfer.transfer_id, msg.at)


def decline_request(record: RecordCore, cmd: DeclineTransferRequest) -> None:
    """Decline a pending request with a reason; the requester is told."""
    request = next((r for r in record.requests if r.request_id == cmd.request_id), None)
    if request is None:
        raise UnknownRequestError(f"{record.reference} has no request {cmd.request_id}")
    if not request.is_pending:
        raise RequestNotPendingError(f"request {cmd.request_id} is already {request.state}")
    if not cmd.text.strip():
        raise InvalidDetailsError("a declined request needs the reason in words")
    _decline(record, request, cmd.reason, cmd.text, cmd.at)


def answer_requests(record: RecordCore, receiver: str, transfer_id: str, at: datetime) -> None:
    """A transfer started to ``receiver`` answers every request it has pending here."""
    for request in record.requests:
        if request.is_pending and request.requester == receiver:
            _answer(record, request, transfer_id, at)


def decline_on_handover(record: RecordCore, at: datetime) -> None:
    """Once the record is handed over, a request still pending here is declined, naming the
    new owner: only it can start the transfer now."""
    for request in record.requests:
        if request.is_pending:
            text = f"{record.held_by} handed {record.reference} over to {record.owner}"
            _decline(record, request, RequestDeclineReason.NOT_OWNER, text, at)


def _answer(record: RecordCore, request: TransferRequest, transfer_id: str, at: datetime) -> None:
    request.state, request.answered_at = RequestState.ANSWERED, at
    request.transfer_id = transfer_id
    emit(
        record,
        TransferRequestAnswered(
            reference=record.reference,
            force=record.held_by,
            at=at,
            request_id=request.request_id,
            transfer_id=transfer_id,
        ),
    )


def _decline(
    record: RecordCore,
    request: TransferRequest,
    reason: RequestDeclineReason,
    text: str,
    at: datetime,
) -> None:
    request.state, request.answered_at = RequestState.DECLINED, at
    request.decline_reason, request.decline_text = reason, text
    emit(record, declined_event(record.reference, record.held_by, request, at, record))


def unknown_declined(msg: ReceiveTransferRequested, force: str) -> TransferRequestDeclined:
    """The refusal a force holding no record of the offender sends the requester."""
    request = TransferRequest(
        msg.request_id,
        msg.sender,
        msg.clock_starts_at,
        msg.registration,
        msg.message_id,
        RequestState.DECLINED,
        decline_reason=RequestDeclineReason.NOT_KNOWN,
        decline_text=f"{force} holds no record of {msg.reference}",
    )
    return declined_event(msg.reference, force, request, msg.at)


def declined_event(
    reference: str,
    force: str,
    request: TransferRequest,
    at: datetime,
    record: RecordCore | None = None,
) -> TransferRequestDeclined:
    """The refusal sent to the requester; ``record`` None when this force holds none."""
    return TransferRequestDeclined(
        reference=reference,
        force=force,
        at=at,
        recipient=request.requester,
        transfer_id=None,
        epoch=0,
        causation_id=request.message_id,
        request_id=request.request_id,
        reason=request.decline_reason or RequestDeclineReason.OTHER,
        text=request.decline_text,
        owner=record.owner if record is not None else None,
        owner_epoch=record.epoch if record is not None else None,
    )
