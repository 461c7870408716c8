"""The checks the offender record's steps share, as functions of the record.

The first group guards this force's own steps (it must own the transfer, or be its receiver,
and no conflict may be open). The second judges another force's message: addressed here,
from the force at the transfer's other end, at the epoch it may speak for, in sequence. A
message that fails is refused: the refusal is kept on the record, then raised.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from ownership.domain.commands.base import IncomingMessage, TransferMessage
from ownership.domain.errors import (
    MisaddressedError,
    NotTheOwnerError,
    NotTheReceiverError,
    OutOfSequenceError,
    OwnershipConflictError,
    RefusalError,
    SenderNotEntitledError,
    StaleEpochError,
    TransferNotKnownError,
    TransferSupersededError,
    UnchainedClaimError,
    UngrantedEpochError,
    UnresolvedConflictError,
)
from ownership.domain.events import ConflictRaised, PeerMessageRefused, PeerStepApplied
from ownership.domain.history import ChangeKind, Conflict, OwnershipChange, Refusal
from ownership.domain.message_ids import sent_message_id
from ownership.domain.record_core import RecordCore, change_owner, emit
from ownership.domain.states import Side, Step
from ownership.domain.transfer import Transfer

# -- guards on this force's own steps ----------------------------------------------------


def require_no_conflict(record: RecordCore) -> None:
    """Raise UnresolvedConflictError while the record's ownership is in conflict."""
    if record.conflicts:
        raise UnresolvedConflictError(f"ownership of {record.reference} is in conflict")


def owned_transfer(record: RecordCore, transfer_id: str) -> Transfer:
    """The transfer this force owns at its current epoch, or raise NotTheOwnerError."""
    transfer = record.transfer(transfer_id)
    if transfer.side is not Side.OWNER:
        raise NotTheOwnerError(f"{record.held_by} is the receiver of transfer {transfer_id}")
    if not record.is_owner or record.epoch != transfer.epoch:
        raise NotTheOwnerError(f"{record.held_by} does not own epoch {transfer.epoch}")
    return transfer


def received_transfer(record: RecordCore, transfer_id: str) -> Transfer:
    """The transfer this force receives, at the record's current epoch."""
    transfer = record.transfer(transfer_id)
    if transfer.side is not Side.RECEIVER or transfer.receiver != record.held_by:
        raise NotTheReceiverError(f"{record.held_by} is not the receiver of {transfer_id}")
    if record.epoch != transfer.epoch:
        raise TransferSupersededError(
            f"{record.reference} is at epoch {record.epoch}, past {transfer.epoch}"
        )
    return transfer


def sent_id(record: RecordCore, transfer: Transfer, step: Step) -> str:
    """The id of the message this force sends for ``step`` at the transfer's revision."""
    return sent_message_id(
        record.held_by, record.reference, transfer.transfer_id, step, transfer.revision
    )


# -- guards on another force's messages --------------------------------------------------


def refuse(record: RecordCore, msg: IncomingMessage, error: RefusalError) -> NoReturn:
    """Keep the refusal of ``msg`` on the record, then raise ``error``."""
    transfer_id = msg.transfer_id if isinstance(msg, TransferMessage) else None
    record.refusals.append(
        Refusal(
            msg.message_id,
            msg.sender,
            msg.message,
            error.code,
            str(error),
            transfer_id,
            msg.epoch,
            msg.at,
        )
    )
    emit(
        record,
        PeerMessageRefused(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            code=error.code,
            reason=str(error),
            sender=msg.sender,
            message=msg.message,
            message_id=msg.message_id,
            transfer_id=transfer_id,
            epoch=msg.epoch,
        ),
    )
    raise error


def check_addressed(record: RecordCore, msg: IncomingMessage) -> None:
    """Refuse ``msg`` unless it is addressed to the force holding the record."""
    if msg.recipient != record.held_by:
        wrong = f"addressed to {msg.recipient}, not {record.held_by}"
        refuse(record, msg, MisaddressedError(wrong))


def peer_transfer(record: RecordCore, msg: TransferMessage, side: Side | None) -> Transfer:
    """The transfer ``msg`` is about, sent by the force at its other end."""
    check_addressed(record, msg)
    transfer = record.find_transfer(msg.transfer_id)
    if transfer is None:
        refuse(record, msg, TransferNotKnownError(f"no transfer {msg.transfer_id} is known"))
    if msg.sender != transfer.peer or (side is not None and transfer.side is not side):
        refuse(
            record,
            msg,
            SenderNotEntitledError(f"{msg.sender} may not send {msg.message} here"),
        )
    return transfer


def check_epoch(record: RecordCore, msg: IncomingMessage, expected: int) -> None:
    """Refuse ``msg`` unless it speaks for epoch ``expected``."""
    if msg.epoch < expected:
        refuse(record, msg, StaleEpochError(f"epoch {msg.epoch} is older than {expected}"))
    if msg.epoch > expected:
        refuse(record, msg, UngrantedEpochError(f"epoch {msg.epoch} was never granted"))


def apply_peer(record: RecordCore, transfer: Transfer, step: Step, msg: TransferMessage) -> None:
    """Apply the other end's ``step`` to ``transfer``, refusing it out of sequence."""
    if not transfer.accepts(step):
        late = f"{msg.message} is not accepted when {transfer.state}"
        refuse(record, msg, OutOfSequenceError(late))
    transfer.apply_peer_step(step, msg.sender, msg.clock_starts_at, msg.message_id)
    emit(
        record,
        PeerStepApplied(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            transfer_id=transfer.transfer_id,
            step=step,
            sender=msg.sender,
            state=transfer.state,
            message_id=msg.message_id,
        ),
    )


def check_claim(record: RecordCore, msg: IncomingMessage) -> None:
    """Judge the sender's claim to own epoch ``msg.epoch`` against this force's view.

    An older epoch is stale. The same epoch with another owner is a conflict. A later
    epoch is ungranted if this force owns the current one (only it could grant the next).
    Otherwise the view follows only the owner it knows, who may speak for a later epoch
    (the record came back to it along a chain this force did not see); a later epoch
    claimed by any other force is raised as a conflict, refused and never followed: this
    force never heard the owner it knows pass the record on.
    """
    if msg.epoch < record.epoch:
        refuse(record, msg, StaleEpochError(f"epoch {msg.epoch} is older than {record.epoch}"))
    if msg.epoch == record.epoch:
        if msg.sender != record.owner:
            raise_conflict(record, msg)
        return
    if record.is_owner:
        never = f"{record.held_by} never granted epoch {msg.epoch}"
        refuse(record, msg, UngrantedEpochError(never))
    if msg.sender != record.owner:
        unchained = f"{record.owner}, the owner {record.held_by} knows, never passed it on"
        raise_conflict(record, msg, UnchainedClaimError(f"epoch {msg.epoch}: {unchained}"))
    follow(record, msg.epoch, msg.sender, msg.message_id, msg.at)


def follow(record: RecordCore, epoch: int, owner: str, message_id: str, at: datetime) -> None:
    """Move this view to ``owner`` at ``epoch`` on the word of the owner it knows."""
    change = OwnershipChange(
        epoch, owner, record.owner, at, ChangeKind.OBSERVED, source_message_id=message_id
    )
    change_owner(record, change)


def raise_conflict(
    record: RecordCore, msg: IncomingMessage, error: RefusalError | None = None
) -> NoReturn:
    """Raise the sender's claim as a conflict (once per claim), then refuse the message."""
    conflict = Conflict(msg.epoch, record.owner, msg.sender, msg.sender, msg.message_id, msg.at)
    if not any(same_disagreement(conflict, known) for known in record.conflicts):
        record.conflicts.append(conflict)
        emit(
            record,
            ConflictRaised(
                reference=record.reference,
                force=record.held_by,
                at=msg.at,
                epoch=msg.epoch,
                held_owner=record.owner,
                claimed_owner=msg.sender,
                claimed_by=msg.sender,
                message_id=msg.message_id,
                kind=conflict.kind,
            ),
        )
    claimed = f"{msg.sender} and {record.owner} claim epoch {msg.epoch}"
    refuse(record, msg, error or OwnershipConflictError(claimed))


def same_disagreement(one: Conflict, other: Conflict) -> bool:
    """Whether two conflicts record the same disagreement (a repeated claim adds nothing)."""
    fields = ("kind", "epoch", "held_owner", "claimed_owner", "claimed_by")
    return all(getattr(one, name) == getattr(other, name) for name in fields)
