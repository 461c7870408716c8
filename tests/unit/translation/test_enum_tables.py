"""Every member of every enumeration on both sides has a row in its table."""

from __future__ import annotations

from enum import Enum
from typing import Any, get_args

import pytest

from consumers.translation import enums as incoming
from ownership.domain import values as domain
from ownership.domain.absence import AbsenceSource
from ownership.domain.arrival import ArrivalCheck
from ownership.domain.held_views import Position
from ownership.domain.pending import WaitingFor
from ownership.domain.review import ReviewItem
from ownership.domain.review_report import (
    CHECK_MADE_BY,
    ReviewCheck,
    ReviewMethod,
    ReviewOutcome,
)
from ownership.domain.transfer import CancelReason, DeclineReason, RefusalReason
from schemas.models import arrival as wire_arrival
from schemas.models import common as wire
from schemas.models import offender as wire_offender
from schemas.models import ownership as wire_ownership
from schemas.models import transfer as wire_transfer
from wire_enums import tables as outgoing


def _literal(model: Any, field: str) -> set[Any]:
    return set(get_args(model.model_fields[field].annotation))


# (name, domain members, wire members, outgoing table, incoming table)
TABLES: list[tuple[str, set[Any], set[Any], Any, Any]] = [
    (
        "offender category",
        set(domain.OffenderCategory),
        set(wire.OffenderCategory),
        outgoing.OFFENDER_CATEGORY,
        incoming.OFFENDER_CATEGORY,
    ),
    (
        "MAPPA category",
        set(domain.MappaCategory),
        _literal(wire.MappaDetails, "category"),
        outgoing.MAPPA_CATEGORY,
        incoming.MAPPA_CATEGORY,
    ),
    (
        "MAPPA level",
        set(domain.MappaLevel),
        _literal(wire.MappaDetails, "level"),
        outgoing.MAPPA_LEVEL,
        incoming.MAPPA_LEVEL,
    ),
    (
        "lead agency",
        set(domain.LeadAgency),
        set(wire.LeadAgency),
        outgoing.LEAD_AGENCY,
        incoming.LEAD_AGENCY,
    ),
    (
        "risk level",
        set(domain.RiskLevel),
        set(wire.RiskLevel),
        outgoing.RISK_LEVEL,
        incoming.RISK_LEVEL,
    ),
    ("risk tool", set(domain.RiskTool), set(wire.RiskTool), outgoing.RISK_TOOL, incoming.RISK_TOOL),
    (
        "review method",
        set(ReviewMethod),
        set(wire.ReviewMethod),
        outgoing.REVIEW_METHOD,
        incoming.REVIEW_METHOD,
    ),
    (
        "review outcome",
        set(ReviewOutcome),
        set(wire.ReviewOutcome),
        outgoing.REVIEW_OUTCOME,
        incoming.REVIEW_OUTCOME,
    ),
    (
        "review check",
        set(ReviewCheck),
        set(wire.ReviewChecklist.model_fields),
        outgoing.REVIEW_CHECK,
        incoming.REVIEW_CHECK,
    ),
    (
        "decline reason",
        set(DeclineReason),
        set(wire_transfer.DeclineReason),
        outgoing.DECLINE_REASON,
        incoming.DECLINE_REASON,
    ),
    (
        "cancel reason",
        set(CancelReason),
        set(wire_transfer.CancelReason),
        outgoing.CANCEL_REASON,
        incoming.CANCEL_REASON,
    ),
    (
        "refusal reason",
        set(RefusalReason),
        set(wire_ownership.RefusalReason),
        outgoing.REFUSAL_REASON,
        incoming.REFUSAL_REASON,
    ),
    (
        "position",
        set(Position),
        set(get_args(get_args(wire_ownership.RecordStatus.model_fields["state"].annotation)[0])),
        outgoing.POSITION,
        incoming.POSITION,
    ),
    (
        "absence source",
        set(AbsenceSource),
        set(wire_offender.AbsenceSource),
        outgoing.ABSENCE_SOURCE,
        incoming.ABSENCE_SOURCE,
    ),
    (
        "arrival check",
        set(ArrivalCheck),
        set(wire_arrival.ArrivalCheck),
        outgoing.ARRIVAL_CHECK,
        incoming.ARRIVAL_CHECK,
    ),
]


@pytest.mark.parametrize(("name", "ours", "theirs", "out", "back"), TABLES, ids=lambda t: t)
def test_each_table_maps_every_member_both_ways(
    name: str, ours: set[Any], theirs: set[Any], out: Any, back: Any
) -> None:
    assert set(out) == ours, f"{name}: domain members without a wire member"
    assert set(out.values()) == theirs, f"{name}: wire members no domain member maps to"
    assert set(back) == theirs, f"{name}: wire members the consumer cannot read"
    assert all(out[back[member]] == member for member in theirs)


def test_every_table_is_checked() -> None:
    checked = {name for name, *_ in TABLES} | {"overdue"}
    assert checked == set(outgoing.ENUM_TABLES)


def test_every_wait_says_whether_a_reminder_chases_it() -> None:
    overdue = _literal(wire_transfer.TransferReminder, "overdue")
    assert set(outgoing.OVERDUE) == set(WaitingFor)
    assert {v for v in outgoing.OVERDUE.values() if v is not None} == overdue
    assert set(incoming.OVERDUE) == overdue
    assert all(outgoing.OVERDUE[incoming.OVERDUE[word]] == word for word in overdue)


def test_every_review_item_says_which_check_it_makes() -> None:
    assert set(CHECK_MADE_BY) == set(ReviewItem)
    assert {c for c in CHECK_MADE_BY.values() if c is not None} == set(ReviewCheck)


def test_wire_enumerations_are_enums() -> None:
    for _, _, theirs, _, _ in TABLES:
        assert all(isinstance(member, Enum | int | str) for member in theirs)
