"""What each live transfer, and each temporary move, is waiting for (the coordinators' list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ownership.domain.history import TemporaryMove
from ownership.domain.states import Side, TransferState
from ownership.domain.transfer import Transfer


class WaitingFor(StrEnum):
    """The next thing that must happen, and so who must act."""

    REVIEW = "review"
    NOTIFICATION = "notification"
    ACKNOWLEDGEMENT = "acknowledgement"
    CONSULTATION = "consultation"
    ACCEPTANCE = "acceptance"
    COMMIT = "commit"
    RETURN = "return"
    ANSWER = "answer"


@dataclass(frozen=True)
class PendingItem:
    """One thing outstanding on a record: what, by which force, since when, and when due."""

    reference: str
    transfer_id: str
    state: TransferState | None
    waiting_for: WaitingFor
    party: str
    since: datetime | None
    due: date | None = None
    overdue: bool = False


S = TransferState
_OWNER_WAITS = {
    S.DRAFT: WaitingFor.REVIEW,
    S.READY: WaitingFor.NOTIFICATION,
    S.NOTIFIED: WaitingFor.ACKNOWLEDGEMENT,
    S.AMENDED: WaitingFor.ACKNOWLEDGEMENT,
    S.ACKNOWLEDGED: WaitingFor.ACCEPTANCE,
    S.ACCEPTED: WaitingFor.COMMIT,
}
_RECEIVER_WAITS = {
    S.NOTIFIED: WaitingFor.ACKNOWLEDGEMENT,
    S.AMENDED: WaitingFor.ACKNOWLEDGEMENT,
    S.ACKNOWLEDGED: WaitingFor.ACCEPTANCE,
    S.ACCEPTED: WaitingFor.COMMIT,
}
_OWNER_ACTS = frozenset({WaitingFor.REVIEW, WaitingFor.NOTIFICATION, WaitingFor.COMMIT})


def waiting_for(transfer: Transfer) -> WaitingFor | None:
    """What a transfer waits for next, or None once it is in a terminal state."""
    table = _OWNER_WAITS if transfer.side is Side.OWNER else _RECEIVER_WAITS
    waits = table.get(transfer.state)
    consultation = transfer.consultation
    consulting = consultation is not None and not consultation.is_complete
    if waits is WaitingFor.ACCEPTANCE and transfer.side is Side.RECEIVER and consulting:
        return WaitingFor.CONSULTATION
    return waits


def acting_force(transfer: Transfer) -> str | None:
    """The force that must act next on the transfer, or None once it is terminal."""
    waits = waiting_for(transfer)
    if waits is None:
        return None
    return transfer.owner if waits in _OWNER_ACTS else transfer.receiver


def pending_transfer(reference: str, transfer: Transfer, today: date) -> PendingItem | None:
    """The pending item for one transfer, or None if it waits for nothing."""
    waits = waiting_for(transfer)
    party = acting_force(transfer)
    if waits is None or party is None:
        return None
    due = transfer.details.expected_date if waits is WaitingFor.ACCEPTANCE else None
    overdue = due is not None and today > due
    return PendingItem(
        reference,
        transfer.transfer_id,
        transfer.state,
        waits,
        party,
        transfer.last_step_at,
        due,
        overdue,
    )


def pending_return(reference: str, move: TemporaryMove, today: date) -> PendingItem:
    """The return from a temporary move, due on its end date."""
    return PendingItem(
        reference,
        move.transfer_id,
        None,
        WaitingFor.RETURN,
        move.away_force,
        None,
        move.return_due,
        move.is_overdue(today),
    )


def pending_items(
    reference: str,
    transfers: Iterable[Transfer],
    move: TemporaryMove | None,
    today: date,
) -> tuple[PendingItem, ...]:
    """Everything outstanding on a record, transfers first, then a due return."""
    items = [p for t in transfers if (p := pending_transfer(reference, t, today)) is not None]
    if move is not None:
        items.append(pending_return(reference, move, today))
    return tuple(items)
