"""Reconciliation leaves out records that moved inside the settle window, and says which."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from ownership.domain.reconciliation import shared_offenders, unsettled_offenders
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState

from .builders import RECEIVER, REF, at, owner_in


def moved_at(minutes: int, reference: str) -> OffenderRecord:
    record = owner_in(TransferState.NOTIFIED)
    record.reference = reference
    steps = record.transfers[0].steps
    steps[-1] = replace(steps[-1], at=at(minutes))
    return record


def test_the_records_left_out_are_the_ones_that_moved_after_the_cut() -> None:
    quiet, moving = owner_in(TransferState.NOTIFIED), moved_at(60, "VIS-0002")
    assert unsettled_offenders([quiet, moving], settled_before=at(59)) == {RECEIVER: ["VIS-0002"]}
    assert unsettled_offenders([quiet, moving], settled_before=at(60)) == {}
    assert unsettled_offenders([quiet, moving], settled_before=None) == {}
    assert shared_offenders([quiet, moving], settled_before=at(59)) == {RECEIVER: [REF]}


@given(st.lists(st.integers(min_value=0, max_value=120), max_size=8), st.integers(0, 120))
def test_every_shared_offender_is_either_asked_about_or_left_to_settle(
    moves: list[int], cut: int
) -> None:
    records = [moved_at(m, f"VIS-{i:04d}") for i, m in enumerate(moves)]
    asked = shared_offenders(records, settled_before=at(cut))
    left = unsettled_offenders(records, settled_before=at(cut))
    everyone = shared_offenders(records)
    for force in everyone:
        assert sorted(asked.get(force, []) + left.get(force, [])) == everyone[force]
        assert not set(asked.get(force, [])) & set(left.get(force, []))
    assert sum(map(len, left.values())) == sum(1 for m in moves if at(m) > at(cut))
