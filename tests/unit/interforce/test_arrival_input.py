"""`--tried CHECK,WHEN,OUTCOME`: every well-formed value reads back, anything else is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interforce.cli.arrival_input import AttemptSyntaxError, parse_attempt
from ownership.domain.arrival import ArrivalCheck

outcomes = st.text(min_size=1).map(str.strip).filter(bool)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@given(check=st.sampled_from(ArrivalCheck), when=moments, outcome=outcomes)
def test_a_well_formed_value_reads_back_as_written(
    check: ArrivalCheck, when: datetime, outcome: str
) -> None:
    attempt = parse_attempt(f"{check},{when.isoformat()},{outcome}")
    assert (attempt.check, attempt.at, attempt.outcome) == (check, when, outcome)


@given(when=moments)
def test_a_time_without_an_offset_is_utc_and_one_with_an_offset_keeps_it(when: datetime) -> None:
    naive = parse_attempt(f"telephoned,{when.replace(tzinfo=None).isoformat()},no answer")
    assert naive.at == when
    plus_one = when.astimezone(timezone(timedelta(hours=1)))
    assert parse_attempt(f"telephoned,{plus_one.isoformat()},no answer").at == when


@given(text=st.text())
def test_any_text_is_an_attempt_or_a_one_line_refusal(text: str) -> None:
    refusal = None
    try:
        attempt = parse_attempt(text)
    except AttemptSyntaxError as error:
        refusal = str(error)
    if refusal is not None:
        assert refusal.startswith("--tried")
        assert "\n" not in refusal
    else:
        assert attempt.outcome
        assert attempt.at.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("address_visited,2026-07-16T10:30", "CHECK,WHEN,OUTCOME"),
        ("knocked,2026-07-16T10:30,no answer", "the check is one of"),
        ("telephoned,yesterday,no answer", "WHEN is a time"),
        ("telephoned,2026-07-16T10:30,  ", "say what came of it"),
    ],
)
def test_each_malformed_part_is_named(text: str, says: str) -> None:
    with pytest.raises(AttemptSyntaxError, match=says):
        parse_attempt(text)


def test_the_outcome_may_hold_commas() -> None:
    attempt = parse_attempt("other,2026-07-16T10:30,spoke to the sister, who has not seen him")
    assert attempt.outcome == "spoke to the sister, who has not seen him"
