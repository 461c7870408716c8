"""The s.96B note counts failed entries at the same premises, as the Act speaks of "the
premises": two failures at two different addresses are not grounds for a warrant."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ownership.domain import commands as c
from ownership.domain.events import WarrantMayBeConsidered
from ownership.domain.record import OffenderRecord
from ownership.domain.values import OffenderCategory
from ownership.domain.visits import (
    EntryOutcome,
    WarrantConsideration,
    same_premises,
    warrant_considerations,
)

from .builders import OWNER, REF, T0, local, register, visit

HOME, HOSTEL = "9 Old Road, York", "Unit 4, Riverside Hostel, Leeds"
RSO = OffenderCategory.REGISTERED_SEX_OFFENDER


def failed(record: OffenderRecord, visit_id: str, where: str) -> None:
    record.record_visit(
        local(c.RecordVisit, visit=visit(visit_id, EntryOutcome.REFUSED, at_address=where))
    )


def notes(record: OffenderRecord) -> list[WarrantMayBeConsidered]:
    return [e for e in record.events if isinstance(e, WarrantMayBeConsidered)]


def test_two_failed_entries_at_two_premises_are_no_grounds() -> None:
    record = register()
    failed(record, "V1", HOME)
    failed(record, "V2", HOSTEL)
    assert record.warrant is None
    assert record.warrants == ()
    assert notes(record) == []


def test_the_same_premises_written_differently_counts_as_one() -> None:
    record = register()
    failed(record, "V1", HOME)
    failed(record, "V2", HOSTEL)
    failed(record, "V3", "  9 OLD ROAD  york ")
    assert record.warrants == (WarrantConsideration(("V1", "V3"), HOME),)
    assert notes(record) == [
        WarrantMayBeConsidered(
            reference=REF, force=OWNER, at=T0, visit_ids=("V1", "V3"), address=HOME
        )
    ]


def test_each_premises_gets_its_own_note_once() -> None:
    record = register()
    for visit_id, where in [("V1", HOME), ("V2", HOSTEL), ("V3", HOSTEL), ("V4", HOME)]:
        failed(record, visit_id, where)
    failed(record, "V5", HOME)  # a third failure at home: already noted
    assert record.warrants == (
        WarrantConsideration(("V2", "V3"), HOSTEL),
        WarrantConsideration(("V1", "V4", "V5"), HOME),
    )
    assert record.warrant == record.warrants[0]
    assert [(n.visit_ids, n.address) for n in notes(record)] == [
        (("V2", "V3"), HOSTEL),
        (("V1", "V4"), HOME),
    ]


def test_different_numbers_on_one_street_are_different_premises() -> None:
    assert same_premises("9 Old Road, York") == same_premises("9 old road york")
    assert same_premises("9 Old Road, York") != same_premises("11 Old Road, York")


outcomes = st.sampled_from(list(EntryOutcome))
addresses = st.sampled_from([HOME, HOSTEL, "9 old road, YORK", "11 Old Road, York"])


@given(st.lists(st.tuples(outcomes, addresses), max_size=12))
def test_a_note_for_a_premises_exactly_when_it_saw_two_failed_entries(
    seen: list[tuple[EntryOutcome, str]],
) -> None:
    visits = [visit(f"V{i}", entry, at_address=where) for i, (entry, where) in enumerate(seen)]
    found = warrant_considerations(RSO, visits)
    failures: dict[str, list[str]] = {}
    for v in visits:
        if v.entry in {EntryOutcome.REFUSED, EntryOutcome.NO_ANSWER}:
            failures.setdefault(same_premises(v.address), []).append(v.visit_id)
    expected = {key: ids for key, ids in failures.items() if len(ids) >= 2}
    assert {same_premises(n.address): list(n.visit_ids) for n in found} == expected
    assert len(found) == len(expected)
    assert warrant_considerations(OffenderCategory.VIOLENT_OFFENDER, visits) == ()


@given(st.text(max_size=40))
def test_premises_ignore_case_punctuation_and_spacing_and_nothing_else(address: str) -> None:
    key = same_premises(address)
    assert same_premises(key) == key
    assert same_premises(f" {address.upper()}, ") == same_premises(address.upper())
    assert same_premises(address.casefold()) == key
    assert same_premises(address.replace(",", " ")) == key
    assert all(word.isalnum() for word in key.split(" ") if word)
    assert same_premises(f"{address} 2") != same_premises(f"{address} 3")
