"""Reconciliation's rules on one record, each case written out: which views disagree and how.

A owns the record at epoch 1 (``register``); B is the counterpart it names (a transfer
to B); C is a force the record never names.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ownership.domain.events import ConflictRaised
from ownership.domain.held_views import Discrepancy, HeldView, Position
from ownership.domain.history import ChangeKind, Conflict, ConflictKind, OwnershipChange
from ownership.domain.reconciliation import (
    QUERY_LIMIT,
    compare,
    held_view,
    in_parts,
    last_moved,
    position,
    shared_offenders,
)
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState

from .builders import (
    OTHER,
    OWNER,
    RECEIVER,
    REF,
    T0,
    at,
    notification,
    owner_in,
    receiver_in,
    register,
)

S = TransferState
DEPARTED = ConflictKind.DEPARTURE_WITHOUT_ARRIVAL


def committed() -> OffenderRecord:
    """A's record after handing it to B: B owns epoch 2."""
    return owner_in(S.COMMITTED)


def view(owner: str | None, epoch: int | None, known: bool = True) -> HeldView:
    return HeldView(REF, known, owner, epoch)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.DRAFT, Position.TRANSFER_PENDING),
        (S.CANCELLED, Position.OWNED),
        (S.COMMITTED, Position.TRANSFERRED_AWAY),
    ],
)
def test_a_forces_own_position_on_a_record(state: TransferState, expected: Position) -> None:
    assert position(owner_in(state)) is expected


def test_a_receiver_expecting_the_record_reports_a_pending_transfer() -> None:
    assert position(receiver_in(S.NOTIFIED)) is Position.TRANSFER_PENDING
    assert position(receiver_in(S.DECLINED)) is Position.TRANSFERRED_AWAY


def test_only_a_force_the_record_names_is_told_what_it_holds() -> None:
    record = owner_in(S.COMMITTED)
    assert held_view(record, REF, RECEIVER) == HeldView(
        REF, True, RECEIVER, 2, Position.TRANSFERRED_AWAY
    )
    assert held_view(record, REF, OTHER) == HeldView(REF, known=False)
    assert held_view(None, REF, RECEIVER) == HeldView(REF, known=False)


@pytest.mark.parametrize(
    ("theirs", "expected"),
    [
        (view(RECEIVER, 2), None),
        # B says A owns epoch 2 while A handed it to B: nobody thinks they own it
        (view(OWNER, 2), Discrepancy(ConflictKind.NO_OWNER, 2, RECEIVER, OWNER)),
        # B never heard of the handover A committed
        (view(OWNER, 1), Discrepancy(DEPARTED, 2, RECEIVER, OWNER)),
        (view(None, None, known=False), Discrepancy(DEPARTED, 2, RECEIVER, None)),
        (view(OWNER, None), Discrepancy(DEPARTED, 2, RECEIVER, None)),
        (view(None, 2), Discrepancy(DEPARTED, 2, RECEIVER, None)),
        # B has moved on to C: a lag, not a conflict
        (view(OTHER, 3), None),
    ],
)
def test_after_a_handover_each_answer_of_the_new_owner(
    theirs: HeldView, expected: Discrepancy | None
) -> None:
    assert compare(committed(), RECEIVER, theirs) == expected


def test_a_record_observed_at_the_peer_unknown_to_it_has_no_owner() -> None:
    msg = notification(sender=RECEIVER, recipient=OWNER, epoch=3)
    record = OffenderRecord.first_heard(msg, OWNER, register().profile)
    assert compare(record, RECEIVER, view(None, None, known=False)) == Discrepancy(
        ConflictKind.NO_OWNER, 3, RECEIVER, None
    )


@pytest.mark.parametrize(
    ("theirs", "expected"),
    [
        (view(OWNER, 1), None),
        (view(RECEIVER, 1), Discrepancy(ConflictKind.TWO_OWNERS, 1, OWNER, RECEIVER)),
        (view(RECEIVER, 4), Discrepancy(ConflictKind.TWO_OWNERS, 4, OWNER, RECEIVER)),
        (view(OTHER, 2), None),
        (view(None, None, known=False), None),
    ],
)
def test_while_owning_each_answer_of_the_counterpart(
    theirs: HeldView, expected: Discrepancy | None
) -> None:
    assert compare(owner_in(S.NOTIFIED), RECEIVER, theirs) == expected


def test_a_disagreement_is_raised_once_as_a_conflict_for_coordinators() -> None:
    record = committed()
    record.events.clear()
    record.reconcile_with(RECEIVER, view(OWNER, 2), "q1", at(5))
    record.reconcile_with(RECEIVER, view(OWNER, 2), "q2", at(6))
    assert record.conflicts == [
        Conflict(2, RECEIVER, OWNER, RECEIVER, "q1", at(5), ConflictKind.NO_OWNER)
    ]
    assert record.events == [
        ConflictRaised(
            reference=REF,
            force=OWNER,
            at=at(5),
            epoch=2,
            held_owner=RECEIVER,
            claimed_owner=OWNER,
            claimed_by=RECEIVER,
            message_id="q1",
            kind=ConflictKind.NO_OWNER,
        )
    ]


def test_an_answer_from_a_force_the_record_does_not_name_changes_nothing() -> None:
    record = committed()
    record.reconcile_with(OTHER, view(OTHER, 9), "q1", at(5))
    assert record.conflicts == []


def test_records_shared_with_each_counterpart_leave_out_those_still_moving() -> None:
    quiet = register()
    quiet.history.append(OwnershipChange(2, RECEIVER, OWNER, T0, ChangeKind.TRANSFERRED))
    moving = owner_in(S.NOTIFIED)
    moving.reference = "VIS-0002"
    steps = moving.transfers[0].steps
    steps[-1] = replace(steps[-1], at=at(60))
    assert last_moved(moving) == at(60)
    assert last_moved(quiet) == T0
    assert shared_offenders([quiet, moving]) == {RECEIVER: [REF, "VIS-0002"]}
    assert shared_offenders([quiet, moving], settled_before=at(59)) == {RECEIVER: [REF]}
    assert shared_offenders([quiet, moving], settled_before=at(60)) == {RECEIVER: [REF, "VIS-0002"]}


def test_queries_are_split_at_the_limit() -> None:
    references = [f"R{i}" for i in range(QUERY_LIMIT * 2 + 1)]
    parts = in_parts(references)
    assert [len(p) for p in parts] == [QUERY_LIMIT, QUERY_LIMIT, 1]
    assert parts[2] == (references[-1],)
    assert in_parts([]) == []
    assert QUERY_LIMIT == 500


def test_a_record_with_no_history_has_never_moved() -> None:
    assert last_moved(OffenderRecord(REF, OWNER, register().profile, OWNER, 1)) is None


def test_a_record_still_moving_does_not_hide_the_records_after_it() -> None:
    quiet = register()
    quiet.history.append(OwnershipChange(2, RECEIVER, OWNER, T0, ChangeKind.TRANSFERRED))
    moving = owner_in(S.NOTIFIED)
    moving.reference = "VIS-0002"
    steps = moving.transfers[0].steps
    steps[-1] = replace(steps[-1], at=at(60))
    assert shared_offenders([moving, quiet], settled_before=at(59)) == {RECEIVER: [REF]}
