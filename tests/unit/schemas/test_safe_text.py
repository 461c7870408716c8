"""Refusal details are bounded and escaped, whatever the sender wrote, and the registry's say so."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.errors import POINTER_LIMIT, EnvelopeInvalid, MessageRejected
from schemas.registry import Registry
from schemas.safe_text import DETAIL_LIMIT, safe_text
from tests.corpus import CorpusCase, load_corpus

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
BAD = [case for case in load_corpus() if case.reason is not None]


@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=2000))
def test_safe_text_is_bounded_printable_and_stable(text: str) -> None:
    safe = safe_text(text)
    assert len(safe) <= DETAIL_LIMIT
    assert safe.isprintable()
    assert _UNSAFE.search(safe) is None
    assert safe_text(safe) == safe


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GMP\n", "GMP\\n"),
        ("a\x00b", "a\\x00b"),
        ("\r\n\t", "\\r\\n\\t"),
        ("\u202eGMP", "\\u202eGMP"),
        ("\ud800", "\\ud800"),
        ("Zoë Llanwrtyd", "Zoë Llanwrtyd"),
    ],
)
def test_safe_text_escapes_as_python_writes_escapes(text: str, expected: str) -> None:
    assert safe_text(text) == expected


def test_a_long_text_is_cut_with_its_length() -> None:
    safe = safe_text("k" * 60_000)
    assert len(safe) <= DETAIL_LIMIT
    assert safe.endswith("... (60000 characters)")


def test_a_rejection_bounds_its_detail_and_pointer() -> None:
    rejection = EnvelopeInvalid("x\n" * 10_000, pointer="/" + "y" * 10_000)
    assert len(rejection.detail) <= DETAIL_LIMIT
    assert rejection.pointer is not None
    assert len(rejection.pointer) <= POINTER_LIMIT
    assert "\n" not in str(rejection)


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name)
def test_no_refusal_of_the_corpus_echoes_more_than_a_few_hundred_safe_characters(
    registry_for: Callable[[str | None], Registry], case: CorpusCase
) -> None:
    with pytest.raises(MessageRejected) as caught:
        registry_for(case.recipient).receive(case.raw)
    text = str(caught.value)
    assert len(text) <= DETAIL_LIMIT + POINTER_LIMIT + 40
    assert _UNSAFE.search(text) is None
