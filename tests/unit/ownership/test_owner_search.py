"""The search for the owner of an offender who registered unannounced, by identity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ownership.domain.errors import InvalidDetailsError, UnaskedAnswerError
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from ownership.domain.owner_search import (
    OwnerSearch,
    SearchOutcome,
    forces_to_ask,
    identity_queries,
)

from .builders import T0
from .test_identity_lookup import PNC

WHO = IdentityKey(PNC, "VN-0042137")
DAYS = timedelta(days=5)
REF = "GMP-2019-004512"


def search() -> OwnerSearch:
    return OwnerSearch("R-1", WHO, frozenset({"GMP", "MPS", "WYP"}), T0)


def test_every_federated_force_but_the_asker_and_the_authorities_is_asked() -> None:
    asked = forces_to_ask(["GMP", "WMP", "MPS", "NCA"], "WMP", frozenset({"NCA"}))
    assert asked == frozenset({"GMP", "MPS"})


def test_a_search_asks_at_least_one_force() -> None:
    with pytest.raises(InvalidDetailsError):
        OwnerSearch("R-1", WHO, frozenset(), T0)


def test_before_any_answer_the_search_waits() -> None:
    assert search().outcome(T0, DAYS) is SearchOutcome.WAITING


def test_an_answer_naming_the_owner_finds_it() -> None:
    found = search()
    found.answer("MPS", IdentityView(WHO))
    found.answer("GMP", IdentityView(WHO, REF, "GMP", 3))
    assert found.outcome(T0, DAYS) is SearchOutcome.FOUND
    assert found.owners_named == {"GMP": REF}


def test_a_force_that_handed_the_record_on_names_the_owner_too() -> None:
    found = search()
    found.answer("WYP", IdentityView(WHO, REF, "GMP", 3))
    assert found.outcome(T0, DAYS) is SearchOutcome.FOUND
    assert found.owners_named == {"GMP": REF}


def test_two_owners_named_is_a_conflict_never_a_pick() -> None:
    torn = search()
    torn.answer("GMP", IdentityView(WHO, REF, "GMP", 3))
    torn.answer("MPS", IdentityView(WHO, "MPS-2020-000001", "MPS", 1))
    assert torn.outcome(T0, DAYS) is SearchOutcome.CONFLICTING


def test_nobody_naming_an_owner_by_the_deadline_is_not_found() -> None:
    quiet = search()
    quiet.answer("GMP", IdentityView(WHO))
    assert quiet.outcome(T0 + DAYS - timedelta(seconds=1), DAYS) is SearchOutcome.WAITING
    assert quiet.outcome(T0 + DAYS, DAYS) is SearchOutcome.NOT_FOUND


def test_every_force_answering_none_is_not_found_at_once() -> None:
    quiet = search()
    for force in ("GMP", "MPS", "WYP"):
        quiet.answer(force, IdentityView(WHO))
    assert quiet.outcome(T0, DAYS) is SearchOutcome.NOT_FOUND


def test_an_answer_from_a_force_never_asked_is_refused() -> None:
    with pytest.raises(UnaskedAnswerError):
        search().answer("BTP", IdentityView(WHO, REF, "BTP", 1))


def test_an_answer_about_another_identity_is_refused() -> None:
    with pytest.raises(UnaskedAnswerError):
        search().answer("GMP", IdentityView(IdentityKey(PNC), REF, "GMP", 1))


def test_one_query_goes_to_each_force_asked_with_a_stable_id() -> None:
    queries = identity_queries(search(), "WMP", "WMP-2026-000311", T0)
    assert [q.recipient for q in queries] == ["GMP", "MPS", "WYP"]
    assert all(q.identities == (WHO,) and q.offenders == ("WMP-2026-000311",) for q in queries)
    again = identity_queries(search(), "WMP", "WMP-2026-000311", T0 + DAYS)
    assert [q.message_id for q in queries] == [q.message_id for q in again]
    assert len({q.message_id for q in queries}) == 3
