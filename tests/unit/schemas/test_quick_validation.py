"""The quick validator (jsonschema-rs) never vouches for a document the reference refuses.

The registry's answers (reasons and pointers) are the reference's by construction; this
checks the one thing that could break that: the quick check saying "valid" wrongly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from schemas.envelope import message_type, parse_schema_id
from schemas.errors import MessageNotJson, TextNotStorable
from schemas.jsonio import parse_message_bytes
from schemas.schema_set import SchemaSet
from schemas.validation import SchemaValidator
from schemas.version import Version
from tests.corpus import load_corpus

CASES = load_corpus()


def _pairs(document: Any, schema_set: SchemaSet) -> list[tuple[SchemaValidator, Any]]:
    pairs = [(schema_set.envelope_validator(), document)]
    try:
        name = message_type(document["type"])
        version = Version.parse(parse_schema_id(document["dataschema"])[1])
        pairs.append((schema_set.validator(name, version), document["data"]))
    except (KeyError, TypeError, ValueError):
        pass
    return pairs


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_quick_check_agrees_with_the_reference_on_the_corpus(
    case: Any, schema_set: SchemaSet
) -> None:
    try:
        document = parse_message_bytes(case.raw)
    except (MessageNotJson, TextNotStorable):
        return
    for validator, instance in _pairs(document, schema_set):
        reference_valid = not any(True for _ in validator.iter_errors(instance))
        if validator.plainly_valid(instance):
            assert reference_valid


@pytest.mark.parametrize(
    "value",
    [Decimal("1.0"), "GMP-1234\x1c", "GMP-1234\n", "Zoë", "\u2028"],
)
def test_documents_the_quick_check_cannot_vouch_for_go_to_the_reference(
    value: object, schema_set: SchemaSet
) -> None:
    envelope = schema_set.envelope_validator()
    assert not envelope.plainly_valid({"subject": value})
