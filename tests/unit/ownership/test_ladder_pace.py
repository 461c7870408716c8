"""The ladder's pace: one rung a pass and an interval, however long a step is overdue.

A scheduler that was down, or a step first seen long after it was due, used to climb a rung
on each pass until the ladder was done (three passes, minutes apart). Now each rung stands
``escalate_every_days`` before the next, and the transfer lapses only once the last has too.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ownership.domain import commands as c
from ownership.domain.deadlines import LADDER, ServiceLevels
from ownership.domain.events import DeadlineEscalated, TransferCancelled
from ownership.domain.record import OffenderRecord
from ownership.domain.states import TransferState

from .builders import REF, TID, TODAY, owner_in

S = TransferState
ACK_DUE = TODAY + timedelta(days=5)  # the builders notify on TODAY; five days to acknowledge


def chase(record: OffenderRecord, at: datetime, levels: ServiceLevels) -> list[object]:
    record.events.clear()
    record.chase(c.ChaseDeadlines(reference=REF, by="scheduler", at=at, levels=levels))
    return list(record.events)


def on(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def test_a_step_a_month_overdue_climbs_one_rung_then_waits_the_interval() -> None:
    levels = ServiceLevels()
    record = owner_in(S.NOTIFIED)
    late = ACK_DUE + timedelta(days=30)
    climbed = [chase(record, on(late, hour), levels) for hour in range(9, 13)]
    assert [sum(isinstance(e, DeadlineEscalated) for e in did) for did in climbed] == [1, 0, 0, 0]
    assert not record.needs_chasing(late + timedelta(days=2), levels)
    assert record.needs_chasing(late + timedelta(days=3), levels)
    chase(record, on(late + timedelta(days=3)), levels)
    chase(record, on(late + timedelta(days=6)), levels)
    assert [e.level for e in record.escalations] == list(LADDER)
    assert chase(record, on(late + timedelta(days=8)), levels) == []  # the last rung's interval
    assert record.transfer(TID).state is S.NOTIFIED
    lapsed = chase(record, on(late + timedelta(days=9)), levels)
    assert isinstance(lapsed[-1], TransferCancelled)
    assert record.transfer(TID).state is S.EXPIRED


def test_on_time_the_ladder_keeps_its_days_and_lapses_on_the_day_after_the_final_deadline() -> None:
    levels = ServiceLevels()
    record = owner_in(S.NOTIFIED)
    for day in range(1, 16):
        chase(record, on(ACK_DUE + timedelta(days=day)), levels)
    assert [(e.at.date() - ACK_DUE).days for e in record.escalations] == [1, 4, 7]
    assert record.transfer(TID).steps[-1].at.date() == ACK_DUE + timedelta(days=15)
    assert record.transfer(TID).state is S.EXPIRED


passes = st.lists(st.integers(min_value=0, max_value=24 * 60), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    overdue_by=st.integers(min_value=1, max_value=400),
    every=st.integers(min_value=1, max_value=5),
    gaps=passes,
)
def test_for_any_overdue_span_one_pass_climbs_at_most_one_rung_an_interval_apart(
    overdue_by: int, every: int, gaps: list[int]
) -> None:
    """Passes at any times (``gaps`` in minutes), the first ``overdue_by`` days late."""
    levels = ServiceLevels(escalate_every_days=every, expire_days_after_due=every * 3 + 1)
    record = owner_in(S.NOTIFIED)
    at = on(ACK_DUE + timedelta(days=overdue_by))
    for gap in gaps:
        at += timedelta(minutes=gap)
        did = chase(record, at, levels)
        assert sum(isinstance(e, DeadlineEscalated) for e in did) <= 1
    reached = record.escalations
    assert [e.level for e in reached] == list(LADDER[: len(reached)])
    for rung, escalation in enumerate(reached):
        assert escalation.at.date() >= levels.rung_date(ACK_DUE, rung)
    for below, above in itertools.pairwise(reached):
        assert (above.at.date() - below.at.date()).days >= every
    if record.transfer(TID).state is S.EXPIRED:
        assert len(reached) == len(LADDER)
        lapsed = record.transfer(TID).steps[-1].at.date()
        assert (lapsed - reached[-1].at.date()).days >= every
        assert lapsed > levels.final_deadline(ACK_DUE)
