"""Move dates that make sense: a past expected move date is refused unless a reason is given.

"Today" is the command's date: the builders' commands are made at T0 (TODAY at 09:00 UTC).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ownership.domain import commands as c
from ownership.domain.errors import PastEndDateError, PastMoveDateError
from ownership.domain.events import TransferAmended, TransferStarted
from ownership.domain.move_dates import check_end_date, past_date_reason
from ownership.domain.states import TransferState
from ownership.domain.values import MoveKind, RiskLevel

from .builders import RECEIVER, REF, T0, TID, TODAY, local, move, owner_in, register

S = TransferState
YESTERDAY = TODAY - timedelta(days=1)


def start_on(expected: date, reason: str | None = None) -> c.StartTransfer:
    details = replace(move(), expected_date=expected)
    return c.StartTransfer(
        reference=REF,
        by="officer",
        at=T0,
        transfer_id=TID,
        receiver=RECEIVER,
        details=details,
        past_date_reason=reason,
    )


def test_a_transfer_expected_yesterday_is_refused_without_a_reason() -> None:
    record = register()
    text = (
        f"the expected move date {YESTERDAY} is 1 day before today ({TODAY}):"
        " give a reason for a past date, or correct it"
    )
    with pytest.raises(PastMoveDateError, match=f"^{re.escape(text)}$"):
        record.start_transfer(start_on(YESTERDAY))
    assert record.transfers == []
    assert record.events == []
    assert PastMoveDateError.code == "past_move_date"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_a_blank_reason_is_no_reason(blank: str) -> None:
    record = register()
    with pytest.raises(PastMoveDateError, match="30 days before today"):
        record.start_transfer(start_on(TODAY - timedelta(days=30), blank))
    assert record.transfers == []


def test_a_past_date_with_a_reason_starts_the_transfer_and_keeps_the_reason() -> None:
    record = register()
    record.start_transfer(start_on(YESTERDAY, "  moved before we were told  "))
    transfer = record.transfer(TID)
    assert transfer.details.expected_date == YESTERDAY
    assert transfer.past_date_reason == "moved before we were told"
    started = record.events[-1]
    assert isinstance(started, TransferStarted)
    assert started.past_date_reason == "moved before we were told"


@pytest.mark.parametrize("days", [0, 1, 14])
def test_today_or_later_needs_no_reason_and_keeps_none(days: int) -> None:
    record = register()
    record.start_transfer(start_on(TODAY + timedelta(days=days), "ignored: not past"))
    assert record.transfer(TID).past_date_reason is None
    started = record.events[-1]
    assert isinstance(started, TransferStarted)
    assert started.past_date_reason is None


def amend_to(expected: date, reason: str | None = None) -> c.AmendTransfer:
    return c.AmendTransfer(
        reference=REF,
        by="officer",
        at=T0,
        transfer_id=TID,
        details=replace(move(), expected_date=expected),
        reason="date corrected",
        past_date_reason=reason,
    )


def test_an_amendment_moving_the_date_into_the_past_is_refused_without_a_reason() -> None:
    record = owner_in(S.NOTIFIED)
    before = record.transfer(TID).details
    with pytest.raises(PastMoveDateError, match=f"^the expected move date {YESTERDAY} is 1 day"):
        record.amend(amend_to(YESTERDAY))
    assert record.transfer(TID).details == before
    assert record.transfer(TID).revision == 1
    assert record.events == []


def test_an_amendment_into_the_past_with_a_reason_is_sent_and_the_reason_kept() -> None:
    record = owner_in(S.NOTIFIED)
    record.amend(amend_to(YESTERDAY, "moved a day early"))
    transfer = record.transfer(TID)
    assert (transfer.details.expected_date, transfer.revision) == (YESTERDAY, 2)
    assert transfer.past_date_reason == "moved a day early"
    assert isinstance(record.events[-1], TransferAmended)
    record.amend(amend_to(TODAY + timedelta(days=3)))  # back to the future: nothing to explain
    assert record.transfer(TID).past_date_reason is None


def test_an_amendment_that_leaves_a_date_now_past_alone_needs_no_reason() -> None:
    record = owner_in(S.NOTIFIED)
    expected = record.transfer(TID).details.expected_date
    later = local(
        c.AmendTransfer,
        transfer_id=TID,
        details=replace(record.transfer(TID).details, risk_level=RiskLevel.VERY_HIGH),
        reason="risk reassessed",
        at=T0 + timedelta(days=30),
    )
    assert expected < later.at.date()
    record.amend(later)
    assert record.transfer(TID).revision == 2
    assert record.transfer(TID).past_date_reason is None


@given(
    expected=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    reason=st.one_of(st.none(), st.text(max_size=20)),
)
def test_a_date_is_refused_exactly_when_it_is_past_and_no_reason_is_given(
    expected: date, today: date, reason: str | None
) -> None:
    given_reason = (reason or "").strip()
    if expected < today and not given_reason:
        with pytest.raises(PastMoveDateError):
            past_date_reason(expected, today, reason)
        return
    kept = past_date_reason(expected, today, reason)
    assert kept == (given_reason if expected < today else None)


def temporary(expected: date, end: date, reason: str | None = None) -> c.StartTransfer:
    details = replace(move(), kind=MoveKind.TEMPORARY, expected_date=expected, end_date=end)
    return replace(start_on(expected, reason), details=details)


def test_a_temporary_move_already_over_is_refused_even_with_a_reason() -> None:
    record = register()
    week_ago = TODAY - timedelta(days=7)
    text = (
        f"the temporary move ends on {YESTERDAY}, before today ({TODAY}):"
        " a move already over is not transferred; correct the end date"
    )
    with pytest.raises(PastEndDateError, match=f"^{re.escape(text)}$"):
        record.start_transfer(temporary(week_ago, YESTERDAY, "moved before we were told"))
    assert record.transfers == []
    assert record.events == []
    assert PastEndDateError.code == "past_end_date"


def test_a_temporary_move_that_began_but_ends_today_or_later_may_start_with_a_reason() -> None:
    record = register()
    record.start_transfer(temporary(YESTERDAY, TODAY, "moved before we were told"))
    assert record.transfer(TID).details.end_date == TODAY


def test_an_amendment_ending_a_temporary_move_in_the_past_is_refused() -> None:
    record = owner_in(S.NOTIFIED)
    before = record.transfer(TID).details
    over = replace(
        before, kind=MoveKind.TEMPORARY, expected_date=YESTERDAY - timedelta(days=3),
        end_date=YESTERDAY,
    )  # fmt: skip
    with pytest.raises(PastEndDateError):
        record.amend(replace(amend_to(YESTERDAY, "moved early"), details=over))
    assert record.transfer(TID).details == before
    assert record.transfer(TID).revision == 1


@given(
    end=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_an_end_date_is_refused_exactly_when_it_is_before_today(end: date, today: date) -> None:
    if end < today:
        with pytest.raises(PastEndDateError):
            check_end_date(end, today)
    else:
        check_end_date(end, today)
    check_end_date(None, today)
