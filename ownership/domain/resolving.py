"""A conflict resolved by its two parties: one proposes, the other confirms or rejects.

A coordinator of one party proposes who owns the record at a new epoch, above every epoch
its side has seen; the proposal changes nothing, and the party has one proposal pending at
a time. A coordinator of the other party confirms it, if its epoch is above every epoch that
side has seen too (its record takes the owner and epoch at once, and tells the proposer), or
rejects it. The proposer's record takes the agreed owner and epoch only from that party's
confirmation naming the pending proposal at its epoch; anything else is refused.

Two parties may propose to each other at once: a party may confirm the other's proposal
while its own is pending only if the other's is the stronger (a higher epoch; at the same
epoch, the proposer whose code sorts first), so the two can never confirm crossing proposals.
Resolving clears the conflicts between the two parties, so the record is no longer frozen,
and sets aside every other proposal between them.

Each step is a plain function of the record; ``OffenderRecord`` (``record``) calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from ownership.domain.commands import (
    ConfirmResolution,
    ProposeResolution,
    ReceiveResolutionConfirmed,
    ReceiveResolutionProposed,
    ReceiveResolutionRejected,
    RejectResolution,
)
from ownership.domain.errors import (
    NoConflictError,
    NotAPartyError,
    ResolutionEpochTooLowError,
    ResolutionMismatchError,
    ResolutionPendingError,
    StaleEpochError,
    UnknownResolutionError,
)
from ownership.domain.events import (
    ConflictResolved,
    ResolutionConfirmed,
    ResolutionProposalReceived,
    ResolutionProposed,
    ResolutionRejected,
    ResolutionRejectedByPeer,
)
from ownership.domain.guards import check_addressed, refuse
from ownership.domain.history import (
    ChangeKind,
    Conflict,
    OwnershipChange,
    ResolutionOutcome,
    ResolutionProposal,
)
from ownership.domain.record_core import RecordCore, change_owner, emit
from ownership.domain.states import Step, TransferState

PENDING = ResolutionOutcome.PENDING


def highest_epoch_held(record: RecordCore) -> int:
    """The highest epoch this view has held: a resolution never takes it back."""
    return max([record.epoch, *(h.epoch for h in record.history)])


def highest_epoch_seen(record: RecordCore) -> int:
    """The highest epoch this view has held or been told of in a conflict."""
    return max([highest_epoch_held(record), *(c.epoch for c in record.conflicts)])


def involves(conflict: Conflict, force: str) -> bool:
    """Whether ``force`` is a party to ``conflict`` (it claimed, was claimed or is held)."""
    return force in (conflict.claimed_by, conflict.claimed_owner, conflict.held_owner)


def stronger(one: ResolutionProposal, other: ResolutionProposal) -> bool:
    """Whether ``one`` wins over ``other``: a higher epoch, or the first proposer's code."""
    return (one.epoch, other.proposer) > (other.epoch, one.proposer)


def pending_proposal(record: RecordCore, proposal_id: str, ours: bool) -> ResolutionProposal | None:
    """The pending proposal ``proposal_id``, made by this force (``ours``) or put to it."""
    for proposal in record.resolutions:
        mine = proposal.proposer == record.held_by
        if proposal.proposal_id == proposal_id and proposal.outcome is PENDING and mine == ours:
            return proposal
    return None


def our_pending(record: RecordCore, counterpart: str) -> ResolutionProposal | None:
    """This force's pending proposal to ``counterpart``, if any."""
    return next(
        (
            p
            for p in record.resolutions
            if p.outcome is PENDING and (p.proposer, p.counterpart) == (record.held_by, counterpart)
        ),
        None,
    )


def propose_resolution(record: RecordCore, cmd: ProposeResolution) -> None:
    """Propose to the other party that ``cmd.owner`` hold the record at a new epoch."""
    counterpart = cmd.counterpart
    if counterpart == record.held_by or cmd.owner not in (record.held_by, counterpart):
        raise NotAPartyError(f"{cmd.owner} must be {record.held_by} or {counterpart}")
    if not any(involves(c, counterpart) for c in record.conflicts):
        raise NoConflictError(f"{record.reference} has no open conflict with {counterpart}")
    waiting = our_pending(record, counterpart)
    if waiting is not None:
        raise ResolutionPendingError(f"proposal {waiting.proposal_id} awaits {counterpart}")
    above = highest_epoch_seen(record)
    epoch = above + 1 if cmd.epoch is None else cmd.epoch
    if epoch <= above:
        raise ResolutionEpochTooLowError(f"epoch {epoch} is not above {above}, already seen")
    proposal = ResolutionProposal(
        cmd.proposal_id, record.held_by, counterpart, cmd.owner, epoch, cmd.reason, cmd.by, cmd.at
    )
    record.resolutions.append(proposal)
    emit(
        record,
        ResolutionProposed(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=counterpart,
            transfer_id=None,
            epoch=epoch,
            message_id=cmd.proposal_id,
            owner=cmd.owner,
            reason=cmd.reason,
            coordinator=cmd.by,
        ),
    )


def receive_resolution_proposal(record: RecordCore, msg: ReceiveResolutionProposed) -> None:
    """The other party proposes a resolution; it waits for this force's coordinator."""
    check_addressed(record, msg)
    _check_one_epoch(record, msg)
    if msg.owner not in (msg.sender, record.held_by):
        refuse(record, msg, NotAPartyError(f"{msg.owner} is not a party to this resolution"))
    _set_aside(record, msg.sender, lambda p: p.proposer == msg.sender)
    record.resolutions.append(
        ResolutionProposal(
            msg.message_id,
            msg.sender,
            record.held_by,
            msg.owner,
            msg.epoch,
            msg.reason,
            msg.coordinator,
            msg.at,
        )
    )
    emit(
        record,
        ResolutionProposalReceived(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            proposal_id=msg.message_id,
            proposer=msg.sender,
            owner=msg.owner,
            epoch=msg.epoch,
            reason=msg.reason,
            coordinator=msg.coordinator,
        ),
    )


def confirm_resolution(record: RecordCore, cmd: ConfirmResolution) -> None:
    """Confirm the other party's proposal: this record takes it now, and tells the proposer."""
    proposal = _put_to_us(record, cmd.proposal_id)
    above = highest_epoch_seen(record)
    if proposal.epoch <= above:
        raise ResolutionEpochTooLowError(f"epoch {proposal.epoch} is not above {above}")
    ours = our_pending(record, proposal.proposer)
    if ours is not None and not stronger(proposal, ours):
        raise ResolutionPendingError(
            f"our proposal {ours.proposal_id} is the stronger: {proposal.proposer} answers it"
        )
    _resolve(record, proposal, cmd.by, cmd.reason, cmd.at)
    emit(
        record,
        ResolutionConfirmed(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=proposal.proposer,
            transfer_id=None,
            epoch=proposal.epoch,
            causation_id=proposal.proposal_id,
            proposal_id=proposal.proposal_id,
            owner=proposal.owner,
            reason=cmd.reason,
            coordinator=cmd.by,
        ),
    )


def reject_resolution(record: RecordCore, cmd: RejectResolution) -> None:
    """Reject the other party's proposal; the record stays in conflict."""
    proposal = _put_to_us(record, cmd.proposal_id)
    _answer(record, proposal, ResolutionOutcome.REJECTED, cmd.by, cmd.reason)
    emit(
        record,
        ResolutionRejected(
            reference=record.reference,
            force=record.held_by,
            at=cmd.at,
            recipient=proposal.proposer,
            transfer_id=None,
            epoch=proposal.epoch,
            causation_id=proposal.proposal_id,
            proposal_id=proposal.proposal_id,
            reason=cmd.reason,
            coordinator=cmd.by,
        ),
    )


def receive_resolution_confirmation(record: RecordCore, msg: ReceiveResolutionConfirmed) -> None:
    """The other party confirmed our proposal: only now does this record take it."""
    proposal = _answered_proposal(record, msg, msg.proposal_id)
    _check_one_epoch(record, msg)
    if msg.epoch < proposal.epoch:
        stale = f"epoch {msg.epoch} is older than the proposal's {proposal.epoch}"
        refuse(record, msg, StaleEpochError(stale))
    if msg.epoch != proposal.epoch or msg.owner != proposal.owner:
        mismatch = f"{msg.owner} at {msg.epoch}, not {proposal.owner} at {proposal.epoch}"
        refuse(record, msg, ResolutionMismatchError(mismatch))
    held = highest_epoch_held(record)
    if proposal.epoch <= held:
        moved = f"{record.reference} has held epoch {held} since the proposal"
        refuse(record, msg, ResolutionEpochTooLowError(moved))
    _resolve(record, proposal, msg.coordinator, msg.reason, msg.at)


def receive_resolution_rejection(record: RecordCore, msg: ReceiveResolutionRejected) -> None:
    """The other party rejected our proposal; the record stays in conflict."""
    proposal = _answered_proposal(record, msg, msg.proposal_id)
    if msg.epoch != proposal.epoch:
        mismatch = f"epoch {msg.epoch}, not the proposal's {proposal.epoch}"
        refuse(record, msg, ResolutionMismatchError(mismatch))
    _answer(record, proposal, ResolutionOutcome.REJECTED, msg.coordinator, msg.reason)
    emit(
        record,
        ResolutionRejectedByPeer(
            reference=record.reference,
            force=record.held_by,
            at=msg.at,
            proposal_id=proposal.proposal_id,
            rejected_by=msg.sender,
            reason=msg.reason,
            coordinator=msg.coordinator,
        ),
    )


def _check_one_epoch(
    record: RecordCore, msg: ReceiveResolutionProposed | ReceiveResolutionConfirmed
) -> None:
    """Refuse a message whose body names another epoch than its envelope."""
    if msg.new_epoch is not None and msg.new_epoch != msg.epoch:
        two = f"the body names epoch {msg.new_epoch}, the envelope {msg.epoch}"
        refuse(record, msg, ResolutionMismatchError(two))


def _put_to_us(record: RecordCore, proposal_id: str) -> ResolutionProposal:
    proposal = pending_proposal(record, proposal_id, ours=False)
    if proposal is None:
        raise UnknownResolutionError(f"no proposal {proposal_id} awaits {record.held_by}")
    return proposal


def _answered_proposal(
    record: RecordCore, msg: ReceiveResolutionConfirmed | ReceiveResolutionRejected, named: str
) -> ResolutionProposal:
    """Our pending proposal ``named`` that ``msg`` answers, from the party it was put to."""
    check_addressed(record, msg)
    proposal = pending_proposal(record, named, ours=True)
    if proposal is None:
        refuse(record, msg, UnknownResolutionError(f"no proposal {named} of ours is pending"))
    if msg.sender != proposal.counterpart:
        party = f"{msg.sender} is not {proposal.counterpart}, the party proposal {named} asked"
        refuse(record, msg, NotAPartyError(party))
    return proposal


def _resolve(
    record: RecordCore, proposal: ResolutionProposal, confirmed_by: str, reason: str, at: datetime
) -> None:
    """Take the agreed owner and epoch; clear the conflicts and proposals between the two."""
    other = proposal.counterpart if proposal.proposer == record.held_by else proposal.proposer
    kept = [c for c in record.conflicts if not involves(c, other)]
    cleared = len(record.conflicts) - len(kept)
    record.conflicts[:] = kept
    _answer(record, proposal, ResolutionOutcome.CONFIRMED, confirmed_by, reason)
    _set_aside(record, other, lambda _p: True)
    change = OwnershipChange(
        proposal.epoch,
        proposal.owner,
        record.owner,
        at,
        ChangeKind.RESOLVED,
        source_message_id=proposal.proposal_id,
    )
    change_owner(record, change)
    ended = _end_older_transfers(record, proposal.epoch, confirmed_by, at)
    emit(
        record,
        ConflictResolved(
            reference=record.reference,
            force=record.held_by,
            at=at,
            proposal_id=proposal.proposal_id,
            proposer=proposal.proposer,
            counterpart=proposal.counterpart,
            owner=proposal.owner,
            epoch=proposal.epoch,
            proposed_by=proposal.coordinator,
            confirmed_by=confirmed_by,
            reason=reason,
            cleared=cleared,
            transfers_ended=ended,
        ),
    )


def _end_older_transfers(record: RecordCore, epoch: int, by: str, at: datetime) -> tuple[str, ...]:
    """End every transfer still live at an epoch below ``epoch``: the resolution moved the
    record past it, so no step of it can be taken, and it must not wait for ever. Each is
    logged as cancelled, saying why; the other force's view of it is closed by its own
    resolution, or by reconciliation and its own deadlines."""
    ended = []
    for transfer in record.transfers:
        if transfer.is_live and transfer.epoch < epoch:
            note = f"ended by the resolution of a conflict: the record moved to epoch {epoch}"
            transfer.end_locally(Step.CANCEL, TransferState.CANCELLED, by, at, note)
            ended.append(transfer.transfer_id)
    return tuple(ended)


def _answer(
    record: RecordCore,
    proposal: ResolutionProposal,
    outcome: ResolutionOutcome,
    by: str,
    reason: str,
) -> None:
    index = record.resolutions.index(proposal)
    record.resolutions[index] = replace(
        proposal, outcome=outcome, answered_by=by, answer_reason=reason
    )


def _set_aside(record: RecordCore, other: str, which: Callable[[ResolutionProposal], bool]) -> None:
    """Mark the pending proposals between this force and ``other`` that ``which`` picks
    superseded."""
    for index, proposal in enumerate(record.resolutions):
        between = other in (proposal.proposer, proposal.counterpart)
        if between and proposal.outcome is PENDING and which(proposal):
            record.resolutions[index] = replace(proposal, outcome=ResolutionOutcome.SUPERSEDED)
