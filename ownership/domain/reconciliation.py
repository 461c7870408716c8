"""Reconciliation: compare this force's view of who owns a record with a counterpart's.

Each force asks the forces it shares offenders with which owner and epoch they hold, and
compares each answer with its own record. Views that agree, or that merely lag behind a
record that has moved on between other forces, are left alone; every disagreement about
who owns the record is a conflict for coordinators: two owners, no owner, or a departure
with no arrival (one force handed the record over and the other never received it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from ownership.domain.held_views import Discrepancy, HeldView, Position
from ownership.domain.history import ChangeKind, ConflictKind
from ownership.domain.message_ids import SENT_MESSAGE_NAMESPACE
from ownership.domain.record_core import RecordCore, RecordStatus

QUERY_LIMIT = 500
"""The most offenders one ``ownership.query`` may name."""


def counterparts(record: RecordCore) -> frozenset[str]:
    """The other forces a record names in its ownership history or its transfers."""
    named = {change.owner for change in record.history}
    named |= {c.previous_owner for c in record.history if c.previous_owner is not None}
    named |= {force for t in record.transfers for force in (t.owner, t.receiver)}
    by_hand = {t.receiver for t in record.transfers if t.manual is not None}
    return frozenset(named - {record.held_by} - by_hand)


def last_moved(record: RecordCore) -> datetime | None:
    """When the record's owner or any of its transfers last changed."""
    times = [change.changed_at for change in record.history]
    times += [transfer.last_step_at for transfer in record.transfers]
    return max(times, default=None)


def shared_offenders(
    records: Iterable[RecordCore], settled_before: datetime | None = None
) -> dict[str, list[str]]:
    """Each counterpart force and the offenders shared with it, sorted.

    A record that moved after ``settled_before`` is left out: a message about it may still
    be on its way, and comparing now would raise a conflict that is only a delay.
    """
    return _by_counterpart(r for r in records if not _unsettled(r, settled_before))


def unsettled_offenders(
    records: Iterable[RecordCore], settled_before: datetime | None
) -> dict[str, list[str]]:
    """Each counterpart force and the shared offenders ``shared_offenders`` leaves out
    because they moved after ``settled_before``: they wait for the next run."""
    return _by_counterpart(r for r in records if _unsettled(r, settled_before))


def _unsettled(record: RecordCore, settled_before: datetime | None) -> bool:
    moved = last_moved(record)
    return settled_before is not None and moved is not None and moved > settled_before


def _by_counterpart(records: Iterable[RecordCore]) -> dict[str, list[str]]:
    shared: dict[str, list[str]] = {}
    for record in records:
        for force in counterparts(record):
            shared.setdefault(force, []).append(record.reference)
    return {force: sorted(refs) for force, refs in sorted(shared.items())}


def position(record: RecordCore) -> Position:
    """This force's own position on the record, as an answer reports it."""
    if record.status in {RecordStatus.TRANSFERRING_OUT, RecordStatus.TRANSFERRING_IN}:
        return Position.TRANSFER_PENDING
    return Position.OWNED if record.is_owner else Position.TRANSFERRED_AWAY


def held_view(record: RecordCore | None, reference: str, asker: str) -> HeldView:
    """The answer about one offender: known only to a force the record names (need to know)."""
    if record is None or asker not in counterparts(record):
        return HeldView(reference, known=False)
    return HeldView(reference, True, record.owner, record.epoch, position(record))


def compare(record: RecordCore, peer: str, theirs: HeldView) -> Discrepancy | None:
    """The disagreement between this force's record and ``peer``'s view of it, if any."""
    if not theirs.known or theirs.owner is None or theirs.epoch is None:
        return _unknown_to_peer(record, peer)
    if (theirs.owner, theirs.epoch) == (record.owner, record.epoch):
        return None
    me = record.held_by
    kind: ConflictKind | None = None
    if record.owner == peer and theirs.owner == me:
        kind = ConflictKind.NO_OWNER if theirs.epoch == record.epoch else _DEPARTED
    elif record.is_owner and theirs.owner == peer:
        kind = ConflictKind.TWO_OWNERS
    if kind is None:
        return None
    return Discrepancy(kind, max(record.epoch, theirs.epoch), record.owner, theirs.owner)


_DEPARTED = ConflictKind.DEPARTURE_WITHOUT_ARRIVAL


def _unknown_to_peer(record: RecordCore, peer: str) -> Discrepancy | None:
    if record.owner != peer:
        return None
    handed_over = any(
        c.kind is ChangeKind.TRANSFERRED and c.owner == peer and c.previous_owner == record.held_by
        for c in record.history
    )
    kind = _DEPARTED if handed_over else ConflictKind.NO_OWNER
    return Discrepancy(kind, record.epoch, record.owner, None)


def query_id(force: str, recipient: str, at: datetime, part: int) -> str:
    """The id of part ``part`` of a query ``force`` sends ``recipient`` at ``at``."""
    name = f"{force}/ownership.query/{recipient}/{at.isoformat()}/{part}"
    return str(uuid.uuid5(SENT_MESSAGE_NAMESPACE, name))


def status_id(force: str, query_message_id: str) -> str:
    """The id of ``force``'s answer to a query: a redelivered query gets the same answer id."""
    return str(uuid.uuid5(SENT_MESSAGE_NAMESPACE, f"{force}/ownership.status/{query_message_id}"))


def in_parts(references: list[str]) -> list[tuple[str, ...]]:
    """The references in queries of at most ``QUERY_LIMIT``."""
    return [tuple(references[i : i + QUERY_LIMIT]) for i in range(0, len(references), QUERY_LIMIT)]
