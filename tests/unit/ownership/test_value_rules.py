"""The rules value objects enforce on what they are given, each with its exact refusal.

A refusal's text is what a coordinator reads, so each is matched whole; each rule is also
tried at its boundary, where the value just passes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from ownership.domain.consultation import Consultation, ConsultationParty, PartyKind
from ownership.domain.deadlines import ServiceLevels
from ownership.domain.errors import (
    ConsultationIncompleteError,
    ConsultationNotOpenError,
    DomainError,
    InvalidDetailsError,
)
from ownership.domain.places import Address, RegularPlace
from ownership.domain.values import MoveDetails, MoveKind, RiskLevel
from ownership.domain.visits import EntryOutcome, Visitor

from .builders import T0, TODAY, address, move, visit


def refused(error: type[DomainError], text: str) -> Any:
    """Expect exactly this refusal, its whole text."""
    return pytest.raises(error, match=f"^{re.escape(text)}$")


# -- visits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"visitors": ()}, "a visit has at least one visitor"),
        (
            {"visitors": (Visitor("PC1", "PC One"), Visitor("PC1", "PC One again"))},
            "a visitor is listed twice",
        ),
        ({"ended_at": T0 - timedelta(seconds=1)}, "a visit cannot end before it starts"),
        ({"risk_assessment": "  "}, "a visit records its risk assessment"),
        (
            {"risk_assessed_at": T0 + timedelta(seconds=1)},
            "the risk assessment is made before the visit starts",
        ),
    ],
)
def test_a_visit_refuses_what_cannot_have_happened(change: dict[str, Any], text: str) -> None:
    with refused(InvalidDetailsError, text):
        replace(visit(), **change)


def test_a_visit_may_be_assessed_as_it_starts_and_end_as_it_starts() -> None:
    instant = replace(visit(), risk_assessed_at=T0, ended_at=T0)
    assert (instant.started_at, instant.ended_at, instant.risk_assessed_at) == (T0, T0, T0)


def test_a_visit_that_kept_to_the_guidance_has_no_compliance_issues() -> None:
    assert visit().compliance_issues() == ()
    assert visit().meets_two_person_rule
    assert visit().control_room_informed


def test_a_visit_lists_every_way_it_departed_from_the_guidance() -> None:
    alone = replace(
        visit(two_people=False),
        control_room_start_reported_at=None,
        control_room_end_reported_at=None,
    )
    assert alone.compliance_issues() == (
        "not two visitors with an accredited offender manager",
        "start not reported to the force control room",
        "end not reported to the force control room",
    )
    assert not alone.control_room_informed


def test_two_visitors_without_an_accredited_manager_break_the_two_person_rule() -> None:
    pair = replace(visit(), visitors=(Visitor("PC1", "PC One"), Visitor("PC2", "PC Two")))
    assert not pair.meets_two_person_rule
    only_end_missing = replace(visit(), control_room_end_reported_at=None)
    assert only_end_missing.compliance_issues() == ("end not reported to the force control room",)
    assert not only_end_missing.control_room_informed


@pytest.mark.parametrize(
    ("entry", "obtained", "not_obtained"),
    [
        (EntryOutcome.OBTAINED, True, False),
        (EntryOutcome.REFUSED, False, True),
        (EntryOutcome.NO_ANSWER, False, True),
        (EntryOutcome.NOT_SOUGHT, False, False),
    ],
)
def test_entry_refused_or_unanswered_counts_as_not_obtained(
    entry: EntryOutcome, obtained: bool, not_obtained: bool
) -> None:
    outcome = visit(entry=entry)
    assert (outcome.entry_obtained, outcome.entry_not_obtained) == (obtained, not_obtained)


# -- moves and places ------------------------------------------------------------------------


def _move(**fields: Any) -> MoveDetails:
    base: dict[str, Any] = {
        "kind": MoveKind.PERMANENT,
        "expected_date": TODAY,
        "risk_level": RiskLevel.HIGH,
        "new_address": address(),
    }
    return MoveDetails(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"new_address": None}, "a move needs a new address or a place regularly found"),
        (
            {"place_regularly_found": RegularPlace("the bandstand", "Leeds")},
            "a move needs a new address or a place regularly found",
        ),
        ({"kind": MoveKind.TEMPORARY}, "a temporary move needs an end date"),
        (
            {"kind": MoveKind.TEMPORARY, "end_date": TODAY - timedelta(days=1)},
            "a temporary move cannot end before it starts",
        ),
        ({"end_date": TODAY}, "a permanent move has no end date"),
    ],
)
def test_a_move_refuses_details_that_contradict_each_other(
    fields: dict[str, Any], text: str
) -> None:
    with refused(InvalidDetailsError, text):
        _move(**fields)


def test_a_temporary_move_may_end_the_day_it_starts_and_a_place_may_replace_an_address() -> None:
    assert _move(kind=MoveKind.TEMPORARY, end_date=TODAY).end_date == TODAY
    place = RegularPlace("the bandstand", "Leeds")
    assert _move(new_address=None, place_regularly_found=place).place_regularly_found == place
    assert move().end_date is None


@pytest.mark.parametrize("lines", [(), ("1", "2", "3", "4", "5")])
def test_an_address_has_one_to_four_street_lines(lines: tuple[str, ...]) -> None:
    with refused(InvalidDetailsError, "an address has one to four street lines"):
        Address(lines, "Leeds", "LS1 4AP")


def test_addresses_and_places_read_as_one_line() -> None:
    assert str(Address(("1", "2", "3", "4"), "Leeds", "LS1 4AP")) == "1, 2, 3, 4, Leeds, LS1 4AP"
    assert str(RegularPlace("the bandstand", "Leeds")) == "the bandstand, Leeds"
    assert str(RegularPlace("the bandstand", "Leeds", "LS1")) == "the bandstand, Leeds, LS1"


# -- service levels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"acknowledge_days": -1}, "a service level cannot be negative"),
        ({"accept_days_after_move": -1}, "a service level cannot be negative"),
        ({"return_days_after_end": -1}, "a service level cannot be negative"),
        ({"escalate_every_days": 0}, "rungs of the ladder must be at least a day apart"),
        (
            {"escalate_every_days": 3, "expire_days_after_due": 6},
            "the final deadline must come after the last rung",
        ),
    ],
)
def test_service_levels_refuse_a_ladder_that_cannot_be_climbed(
    fields: dict[str, int], text: str
) -> None:
    with refused(InvalidDetailsError, text):
        ServiceLevels(**fields)


def test_service_levels_at_their_limits_are_accepted_and_date_the_ladder() -> None:
    levels = ServiceLevels(
        acknowledge_days=0,
        accept_days_after_move=0,
        return_days_after_end=0,
        escalate_every_days=1,
        expire_days_after_due=3,
    )
    assert [levels.rung_date(TODAY, rung) for rung in range(3)] == [
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=2),
        TODAY + timedelta(days=3),
    ]
    assert levels.final_deadline(TODAY) == TODAY + timedelta(days=3)
    assert ServiceLevels() == ServiceLevels(5, 7, 2, 3, 14)


# -- consultation --------------------------------------------------------------------------


def _party(
    kind: PartyKind = PartyKind.PROBATION, outcome: str = "no concerns"
) -> ConsultationParty:
    return ConsultationParty("Probation", kind, outcome, "officer", T0)


def test_a_consulted_party_needs_its_outcome() -> None:
    with refused(InvalidDetailsError, "a consultation party's outcome is recorded"):
        Consultation(T0, "officer").record_party(_party(outcome=" "))


def test_a_consultation_needs_a_party_and_for_mappa_the_lead_agency() -> None:
    consultation = Consultation(T0, "officer")
    with refused(ConsultationIncompleteError, "no party has been consulted"):
        consultation.complete("officer", T0, "done", mappa_case=False)
    consultation.record_party(_party())
    with refused(ConsultationIncompleteError, "a MAPPA case needs the lead agency consulted"):
        consultation.complete("officer", T0, "done", mappa_case=True)
    consultation.record_party(_party(PartyKind.MAPPA_LEAD_AGENCY))
    consultation.complete("lead", T0 + timedelta(hours=1), "all heard", mappa_case=True)
    assert (consultation.completed_at, consultation.completed_by, consultation.summary) == (
        T0 + timedelta(hours=1),
        "lead",
        "all heard",
    )
    assert consultation.is_complete


def test_a_completed_consultation_takes_nothing_more() -> None:
    consultation = Consultation(T0, "officer", [_party()])
    consultation.complete("officer", T0, "done", mappa_case=False)
    with refused(ConsultationNotOpenError, "the consultation is already recorded as done"):
        consultation.record_party(_party())
    with refused(ConsultationNotOpenError, "the consultation is already recorded as done"):
        consultation.complete("officer", T0, "again", mappa_case=False)
    assert len(consultation.parties) == 1
