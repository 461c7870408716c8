"""`transfer start --to`: a force, an authority that runs no node, or a refusal naming the
nearest codes; and the times a hand-over by hand is recorded with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from interforce.cli import build_app
from interforce.cli.handover import exchange

RUNNER = CliRunner()
NOW = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
START = [
    "transfer", "start", "GMP-2026-000101", "--expected", "2026-08-01",
    "--address", "Flat 2", "--town", "Birmingham", "--postcode", "B4 6NQ",
    "-f", "GMP", "--as", "dc.shah",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERFORCE_ENVIRONMENT", "development")
    monkeypatch.delenv("INTERFORCE_DIRECTORY", raising=False)


@pytest.mark.parametrize(("typed", "nearest"), [("WMPP", "WMP"), ("wmpp", "WMP"), ("PSO", "PSOS")])
def test_a_code_in_neither_list_is_refused_with_the_nearest(typed: str, nearest: str) -> None:
    result = RUNNER.invoke(build_app(), [*START, "--to", typed])
    assert result.exit_code == 1
    assert "refused: unknown_receiver:" in result.stderr
    assert f"did you mean {nearest}" in result.stderr
    assert "Traceback" not in result.output


def test_a_code_like_nothing_is_refused_without_a_guess() -> None:
    result = RUNNER.invoke(build_app(), [*START, "--to", "QQQQQ"])
    assert result.exit_code == 1
    assert "QQQQQ is neither a force nor an authority" in result.stderr
    assert "did you mean" not in result.stderr


def test_the_authorities_are_listed() -> None:
    result = RUNNER.invoke(build_app(), ["transfer", "authorities"])
    assert result.exit_code == 0
    for code in ("PSOS", "PSNI", "IOM", "JSY", "GSY", "NCA"):
        assert code in result.stdout


def test_the_help_says_how_a_hand_over_by_hand_goes() -> None:
    result = RUNNER.invoke(build_app(), ["transfer", "--help"])
    for command in ("handover-told", "handover-acknowledged", "handover-accepted"):
        assert command in result.stdout


def test_a_time_without_an_offset_is_uk_time() -> None:
    recorded = exchange("DS Roe", "2026-07-01 10:30", "telephone", now=NOW)
    assert recorded.at == datetime(2026, 7, 1, 10, 30, tzinfo=ZoneInfo("Europe/London"))
    assert recorded.at.utcoffset() == timedelta(hours=1)


def test_no_time_means_now() -> None:
    assert exchange("DS Roe", None, now=NOW).at == NOW


def test_a_time_in_the_future_is_refused() -> None:
    with pytest.raises(typer.BadParameter, match="future"):
        exchange("DS Roe", "2026-08-02T09:00+00:00", now=NOW)


def test_nobody_named_is_refused() -> None:
    with pytest.raises(typer.BadParameter, match="who"):
        exchange("  ", None, now=NOW)


@given(st.text(max_size=40))
def test_any_text_is_a_time_or_a_bad_parameter(text: str) -> None:
    try:
        recorded = exchange("DS Roe", text, now=NOW)
    except typer.BadParameter:
        return
    assert recorded.at.tzinfo is not None
    assert recorded.at <= NOW


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2026, 7, 31), timezones=st.just(UTC)
    )
)
def test_a_past_time_reads_back_as_written(when: datetime) -> None:
    assert exchange("DS Roe", when.isoformat(), now=NOW).at == when
