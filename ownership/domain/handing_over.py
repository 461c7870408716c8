"""A hand-over by hand to an authority outside the federation, which runs no node.

Police Scotland, the PSNI, the Isle of Man, Jersey and Guernsey police, and the National
Crime Agency for a move abroad take offenders over, but run no node: nothing is sent to them.
The owner reviews the move as for any transfer, then records each step itself: how and when
the authority was told, its acknowledgement (who, when, its reference) and its acceptance.
The commit makes the record managed by the authority, at epoch n+1; this force then owns it
no longer and may start no further move of it, unless the authority hands the offender back
(``record_return``): this force then owns it again, at the next epoch.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from ownership.domain.commands import (
    CommitTransfer,
    RecordAuthorityAcceptance,
    RecordAuthorityAcknowledgement,
    RecordAuthorityTold,
    RecordReturnFromAuthority,
)
from ownership.domain.errors import (
    AuthorityRunsNoNodeError,
    NotAManualHandoverError,
    NotManagedByAuthorityError,
    ReviewIncompleteError,
)
from ownership.domain.events import AuthorityStepRecorded, HandedToAuthority, ReturnedFromAuthority
from ownership.domain.guards import owned_transfer, require_no_conflict
from ownership.domain.history import ChangeKind, OwnershipChange
from ownership.domain.record_core import RecordCore, change_owner, emit
from ownership.domain.states import Step, TransferState
from ownership.domain.transfer import AuthorityExchange, Handover, ManualHandover, Transfer

AuthorityStep = RecordAuthorityTold | RecordAuthorityAcknowledgement | RecordAuthorityAcceptance


def require_federated(transfer: Transfer, step: str) -> None:
    """Refuse a step that sends a message when the receiver runs no node."""
    if transfer.manual is not None:
        raise AuthorityRunsNoNodeError(
            f"{transfer.receiver} ({transfer.manual.authority}) runs no node, so nothing can"
            f" be sent to it ({step}): record the hand-over with `interforce transfer"
            " handover-told`, `handover-acknowledged` and `handover-accepted`"
        )


def manual_transfer(record: RecordCore, transfer_id: str) -> tuple[Transfer, ManualHandover]:
    """The owned transfer to an authority that runs no node, and its hand-over record."""
    transfer = owned_transfer(record, transfer_id)
    if transfer.manual is None:
        raise NotAManualHandoverError(
            f"{transfer.receiver} runs a node: transfer {transfer_id} goes by message"
            " (`interforce transfer notify`), not by hand"
        )
    return transfer, transfer.manual


def record_told(record: RecordCore, cmd: RecordAuthorityTold) -> None:
    """Record how and when the authority was told of the reviewed move."""
    transfer, manual = manual_transfer(record, cmd.transfer_id)
    require_no_conflict(record)
    if transfer.state is TransferState.DRAFT:
        outstanding = sorted(transfer.review.outstanding(record.profile))
        raise ReviewIncompleteError(f"outstanding review items: {', '.join(outstanding)}")
    _take(record, transfer, Step.TELL_AUTHORITY, cmd)
    manual.told = cmd.exchange


def record_acknowledgement(record: RecordCore, cmd: RecordAuthorityAcknowledgement) -> None:
    """Record the authority's acknowledgement: who, when, and its reference."""
    transfer, manual = manual_transfer(record, cmd.transfer_id)
    _take(record, transfer, Step.AUTHORITY_ACKNOWLEDGED, cmd)
    manual.acknowledgement = cmd.exchange


def record_acceptance(record: RecordCore, cmd: RecordAuthorityAcceptance) -> None:
    """Record the authority's acceptance of the offender: who, when, and its reference."""
    transfer, manual = manual_transfer(record, cmd.transfer_id)
    _take(record, transfer, Step.AUTHORITY_ACCEPTED, cmd)
    manual.acceptance = cmd.exchange


def _take(record: RecordCore, transfer: Transfer, step: Step, cmd: AuthorityStep) -> None:
    manual = transfer.manual
    if manual is None:  # manual_transfer checked it
        raise NotAManualHandoverError(f"transfer {transfer.transfer_id} is not by hand")
    transfer.take(step, cmd.by, cmd.at, _note(cmd.exchange))
    emit(
        record,
        AuthorityStepRecorded(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
            authority=manual.authority,
            step=step,
            exchange=cmd.exchange,
        ),
    )


def _note(exchange: AuthorityExchange) -> str:
    parts = [f"{exchange.who} on {exchange.at.isoformat()}"]
    parts += [f"by {exchange.how}"] if exchange.how else []
    parts += [f"ref {exchange.reference}"] if exchange.reference else []
    return ", ".join(parts)


def commit_to_authority(record: RecordCore, cmd: CommitTransfer) -> None:
    """Hand the record to the authority that accepted: it manages it from epoch n+1."""
    transfer, manual = manual_transfer(record, cmd.transfer_id)
    require_no_conflict(record)
    transfer.take(Step.COMMIT, cmd.by, cmd.at)
    change = OwnershipChange(
        transfer.epoch + 1,
        transfer.receiver,
        record.held_by,
        cmd.at,
        ChangeKind.HANDED_TO_AUTHORITY,
        transfer.transfer_id,
    )
    record.managed_by = manual.authority
    change_owner(record, change)
    transfer.handover = Handover(cmd.at, cmd.records_sent, cmd.records_reference)
    emit(
        record,
        HandedToAuthority(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            transfer_id=transfer.transfer_id,
            authority_code=transfer.receiver,
            authority=manual.authority,
            epoch=change.epoch,
        ),
    )


def record_return(record: RecordCore, cmd: RecordReturnFromAuthority) -> None:
    """The authority hands the offender back: this force owns the record again, at n+1."""
    authority = record.managed_by
    if authority is None or record.is_owner:
        raise NotManagedByAuthorityError(f"no authority manages {record.reference}")
    require_no_conflict(record)
    code = record.owner
    change = OwnershipChange(
        record.epoch + 1, record.held_by, code, cmd.at, ChangeKind.RETURNED_FROM_AUTHORITY
    )
    record.managed_by = None
    change_owner(record, change)
    emit(
        record,
        ReturnedFromAuthority(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            authority_code=code,
            authority=authority,
            epoch=change.epoch,
            exchange=cmd.exchange,
        ),
    )
