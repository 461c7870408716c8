"""Finding a record by PNC ID and ViSOR reference, as an identity query asks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ownership.domain.commands import RegisterOffender
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.identifiers import pnc_check_letter
from ownership.domain.identity_lookup import (
    IdentityKey,
    IdentityView,
    identity_view,
    matches,
    same_pnc_id,
)
from ownership.domain.record import OffenderRecord
from ownership.domain.values import OffenderCategory, OffenderIdentity, OffenderProfile

from .builders import T0

PNC = "98/123456" + pnc_check_letter("98", "123456")
OTHER_PNC = "98/123457" + pnc_check_letter("98", "123457")
IDENTITY = OffenderIdentity("Example", "Alan", date(1979, 3, 14), PNC, "VN-0042137")


def record(reference: str, identity: OffenderIdentity | None, force: str = "GMP") -> OffenderRecord:
    profile = OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER, identity=identity)
    cmd = RegisterOffender(reference=reference, by="officer", at=T0, profile=profile)
    return OffenderRecord.register(cmd, force)


def test_an_identity_names_a_pnc_id_or_a_visor_reference() -> None:
    with pytest.raises(InvalidDetailsError):
        IdentityKey()


def test_a_record_matches_by_either_identifier() -> None:
    assert matches(IDENTITY, IdentityKey(pnc_id=PNC))
    assert matches(IDENTITY, IdentityKey(visor_reference="vn-0042137"))
    assert matches(IDENTITY, IdentityKey(PNC, "VN-0042137"))


def test_a_record_whose_identifier_differs_is_not_claimed() -> None:
    assert not matches(IDENTITY, IdentityKey(OTHER_PNC))
    assert not matches(IDENTITY, IdentityKey(PNC, "VN-9999999"))


def test_a_record_without_the_identifier_asked_is_not_claimed() -> None:
    assert not matches(replace(IDENTITY, visor_reference=None), IdentityKey(None, "VN-0042137"))
    assert not matches(None, IdentityKey(PNC))


def test_the_view_names_the_reference_owner_and_epoch_of_the_record_found() -> None:
    found = identity_view([record("GMP-2019-004512", IDENTITY)], IdentityKey(PNC))
    assert found == IdentityView(IdentityKey(PNC), "GMP-2019-004512", "GMP", 1)
    assert found.held


def test_a_force_holding_no_such_record_says_so() -> None:
    none = identity_view([record("GMP-2019-004512", None)], IdentityKey(PNC))
    assert none == IdentityView(IdentityKey(PNC))
    assert not none.held


def test_the_record_this_force_owns_is_named_before_one_it_handed_away() -> None:
    away = record("AAA-1", IDENTITY)
    away.owner = "WMP"
    owned = record("ZZZ-1", IDENTITY)
    assert identity_view([away, owned], IdentityKey(PNC)).reference == "ZZZ-1"


@given(st.integers(0, 99), st.integers(0, 9_999_999))
def test_a_pnc_id_with_a_four_digit_year_or_padded_serial_is_the_same(
    year: int, serial: int
) -> None:
    short, padded = str(serial), str(serial).zfill(7)
    letter = pnc_check_letter(f"{year:02d}", short)
    assert same_pnc_id(f"{year:02d}/{short}{letter}", f"19{year:02d}/{padded}{letter}")


@given(st.text(max_size=20), st.text(max_size=20))
def test_comparing_any_text_as_pnc_ids_never_raises(first: str, second: str) -> None:
    assert same_pnc_id(first, second) in {True, False}
    assert not same_pnc_id(first, first) or same_pnc_id(first.lower(), first.upper())
