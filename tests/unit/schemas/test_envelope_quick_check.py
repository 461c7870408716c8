"""The envelope's quick check reads it with an empty body: sound only while the envelope
schema asks of `data` no more than that it be an object, and answering as the full check."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.errors import MessageNotJson, TextNotStorable
from schemas.files import load_schema_documents
from schemas.jsonio import parse_message_bytes
from schemas.schema_set import ENVELOPE_KEY, SchemaSet
from schemas.validation import first_envelope_fault, first_fault
from tests.corpus import load_corpus


def test_the_envelope_schema_asks_of_data_only_that_it_be_an_object() -> None:
    schema = load_schema_documents()[ENVELOPE_KEY]
    data = dict(schema["properties"]["data"])
    data.pop("description", None)
    assert data == {"type": "object", "additionalProperties": True}
    assert not any(key in schema for key in ("allOf", "anyOf", "oneOf", "if", "dependentSchemas"))


def _corpus_documents() -> list[Any]:
    documents = []
    for case in load_corpus():
        try:
            documents.append(parse_message_bytes(case.raw))
        except (MessageNotJson, TextNotStorable):
            continue
    return documents


@pytest.mark.parametrize(
    "envelope",
    [
        {"data": {"a": 1}},
        {"data": []},
        {"data": "text"},
        [],
        *_corpus_documents(),
    ],
)
def test_it_finds_the_same_fault_as_the_full_check(envelope: Any) -> None:
    validator = SchemaSet.load().envelope_validator()
    assert first_envelope_fault(validator, envelope) == first_fault(validator, envelope)
