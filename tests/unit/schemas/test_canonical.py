"""The quick canonical form is byte for byte the RFC 8785 library's, wherever it is used."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from canonical.json import canonical_json
from schemas.errors import MessageNotJson, TextNotStorable
from schemas.jsonio import parse_message_bytes
from tests.corpus import load_corpus

scalars = st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.text(max_size=12)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(documents)
def test_canonical_json_is_rfc_8785(document: Any) -> None:
    try:
        expected = rfc8785.dumps(document)
    except rfc8785.CanonicalizationError:
        return
    assert canonical_json(document) == expected


def test_canonical_json_is_rfc_8785_on_every_corpus_message() -> None:
    for case in load_corpus():
        try:
            document = parse_message_bytes(case.raw)
            expected = rfc8785.dumps(document)
        except (MessageNotJson, TextNotStorable, rfc8785.CanonicalizationError):
            continue
        assert canonical_json(document) == expected, case.name
