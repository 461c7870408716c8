"""Failure to arrive, both sides: the receiver reports it, the owner takes it in.

The receiving force ends a transfer it has not accepted with ``transfer.failedtoarrive``,
saying what it tried and when. The owning force keeps the record (no epoch changes); the
transfer ends there too, so the owner may send the offender's case on to another force, and
its record is marked whereabouts unknown with an immediate-action task (``tasks``).

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from ownership.domain.arrival import MOST_ATTEMPTS, WHEREABOUTS_ACTION, ArrivalFailure
from ownership.domain.commands import ReceiveTransferFailedToArrive, ReportFailureToArrive
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.events import (
    ImmediateActionRequired,
    TransferFailedToArrive,
    WhereaboutsUnknown,
)
from ownership.domain.guards import (
    apply_peer,
    check_epoch,
    peer_transfer,
    received_transfer,
    sent_id,
)
from ownership.domain.record_core import RecordCore, emit
from ownership.domain.states import Side, Step


def report_failure_to_arrive(record: RecordCore, cmd: ReportFailureToArrive) -> None:
    """The offender never arrived here: end the transfer and tell the owner what was tried."""
    transfer = received_transfer(record, cmd.transfer_id)
    transfer.check(Step.FAIL_TO_ARRIVE)
    if not cmd.attempts:
        raise InvalidDetailsError("say what was tried to find the offender, and when")
    if len(cmd.attempts) > MOST_ATTEMPTS:
        raise InvalidDetailsError(f"name at most {MOST_ATTEMPTS} things tried; summarise the rest")
    if not cmd.summary.strip():
        raise InvalidDetailsError("a failure to arrive needs a summary")
    message_id = sent_id(record, transfer, Step.FAIL_TO_ARRIVE)
    transfer.take(Step.FAIL_TO_ARRIVE, cmd.by, cmd.at, cmd.summary, message_id)
    transfer.arrival_failure = ArrivalFailure(
        record.held_by, cmd.at, cmd.attempts, cmd.summary, message_id
    )
    answered = transfer.last_message(Step.NOTIFY, Step.AMEND)
    emit(
        record,
        TransferFailedToArrive(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=transfer.owner,
            transfer_id=transfer.transfer_id,
            epoch=transfer.epoch,
            causation_id=answered.message_id if answered else None,
            message_id=message_id,
            attempts=cmd.attempts,
            summary=cmd.summary,
        ),
    )


def receive_failure_to_arrive(record: RecordCore, msg: ReceiveTransferFailedToArrive) -> None:
    """The receiver says the offender never arrived: we keep the record, whereabouts unknown.

    Accepted also after the owner withdrew the transfer or let it lapse (the two crossed):
    the state stays as it is, and the offender is just as lost.
    """
    transfer = peer_transfer(record, msg, Side.OWNER)
    check_epoch(record, msg, transfer.epoch)
    apply_peer(record, transfer, Step.FAIL_TO_ARRIVE, msg)
    transfer.arrival_failure = ArrivalFailure(
        msg.sender, msg.at, msg.attempts, msg.summary, msg.message_id
    )
    emit(
        record,
        WhereaboutsUnknown(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            transfer_id=transfer.transfer_id,
            reported_by=msg.sender,
            attempts=len(msg.attempts),
        ),
    )
    emit(
        record,
        ImmediateActionRequired(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            reason="failed_to_arrive",
            detail=WHEREABOUTS_ACTION,
        ),
    )
