"""A coordinator's input that no message could carry is refused before it is written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interforce.node.casework_input import LONGEST_TEXT, refuse_unfit_input, texts_in
from ownership.domain import commands as c
from ownership.domain.errors import InvalidDetailsError
from ownership.domain.values import OffenderCategory, OffenderIdentity, OffenderProfile
from schemas.ecma_regex import ecma_regex
from schemas.files import load_schema_documents
from schemas.schema_set import ENVELOPE_KEY

AT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def register(reference: str = "GMP-2026-000101", family_name: str = "Example") -> c.Command:
    identity = OffenderIdentity(family_name, "Alan James", date(1979, 3, 14))
    profile = OffenderProfile(OffenderCategory.REGISTERED_SEX_OFFENDER, identity=identity)
    return c.RegisterOffender(reference=reference, by="dc.shah", at=AT, profile=profile)


def test_a_plain_registration_passes() -> None:
    refuse_unfit_input(register())


@pytest.mark.parametrize(
    "reference",
    ["GMP-2026-0001\n", "GMP-2026-0001\nx", "gmp-2026-0001", "ABC", "-GMP-1", "G" * 33, ""],
)
def test_a_reference_the_envelope_refuses_is_refused(reference: str) -> None:
    with pytest.raises(InvalidDetailsError, match="the reference must be"):
        refuse_unfit_input(register(reference=reference))


@given(st.text(max_size=40))
def test_the_reference_rule_is_the_envelopes(reference: str) -> None:
    pattern = load_schema_documents()[ENVELOPE_KEY]["properties"]["subject"]["pattern"]
    fits = ecma_regex(pattern).search(reference) is not None
    try:
        refuse_unfit_input(register(reference=reference))
    except InvalidDetailsError:
        assert not fits
    else:
        assert fits


@pytest.mark.parametrize(
    ("family_name", "complaint"),
    [
        ("A\x00B", "cannot be stored"),
        ("A\ud800B", "cannot be stored"),
        ("A\x1bB", "control character"),
        ("A\x7fB", "control character"),
        ("A" * (LONGEST_TEXT + 1), "at most"),
    ],
)
def test_a_text_no_message_could_carry_is_refused_naming_the_field(
    family_name: str, complaint: str
) -> None:
    with pytest.raises(InvalidDetailsError, match=complaint) as refused:
        refuse_unfit_input(register(family_name=family_name))
    assert "profile.identity.family_name" in str(refused.value)
    assert family_name not in str(refused.value)


def test_free_text_may_have_line_breaks() -> None:
    refuse_unfit_input(register(family_name="Line one\r\nline two\tand a tab"))


def test_every_string_of_a_command_is_walked() -> None:
    command = register()
    found = dict(texts_in(command))
    assert found["reference"] == "GMP-2026-000101"
    assert found["profile.identity.family_name"] == "Example"
    assert found["by"] == "dc.shah"
    assert found["profile.identity.given_names"] == "Alan James"
