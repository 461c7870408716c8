"""Property tests: whatever bytes arrive, the registry returns a message or one of its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.errors import MessageRejected
from schemas.models import MODELS
from schemas.models.transfer_notified import EXAMPLE_1_0, TransferNotified
from schemas.outgoing import build_body
from schemas.registry import ReceivedMessage, Registry
from schemas.schema_set import SchemaSet
from schemas.upcasters import upcast
from schemas.version import Version
from tests.corpus import load_corpus
from tests.corpus.generate import signed, unsigned

RegistryFor = Callable[[str | None], Registry]
GOOD = [case.raw for case in load_corpus() if case.reason is None]
ENVELOPES = [
    signed(unsigned(name, str(version)))
    for name, versions in MODELS.items()
    for version in versions
]
SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _outcome(registry: Registry, raw: bytes) -> ReceivedMessage | MessageRejected:
    try:
        return registry.receive(raw)
    except MessageRejected as rejection:
        return rejection


@SETTINGS
@given(raw=st.binary(max_size=2048))
def test_arbitrary_bytes_get_a_result_or_a_rejection(registry_for: RegistryFor, raw: bytes) -> None:
    assert isinstance(_outcome(registry_for("WMP"), raw), ReceivedMessage | MessageRejected)


@SETTINGS
@given(message=st.sampled_from(GOOD), data=st.data())
def test_byte_mutations_of_valid_messages_get_a_result_or_a_rejection(
    registry_for: RegistryFor, message: bytes, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(message) - 1))
    replacement = data.draw(st.binary(min_size=0, max_size=8))
    mutated = message[:position] + replacement + message[position + 1 :]
    outcome = _outcome(registry_for("WMP"), mutated)
    assert isinstance(outcome, ReceivedMessage | MessageRejected)


@SETTINGS
@given(envelope=st.sampled_from(ENVELOPES), data=st.data())
def test_structural_mutations_of_valid_messages_get_a_result_or_a_rejection(
    registry_for: RegistryFor, envelope: dict[str, Any], data: st.DataObject
) -> None:
    mutated = json.loads(json.dumps(envelope))
    target = mutated if data.draw(st.booleans()) else mutated["data"]
    key = data.draw(st.sampled_from(sorted(target)) | st.text(max_size=12))
    if data.draw(st.booleans()):
        target.pop(key, None)
    else:
        target[key] = data.draw(json_values)
    outcome = _outcome(registry_for("WMP"), json.dumps(mutated).encode())
    assert isinstance(outcome, ReceivedMessage | MessageRejected)
    if isinstance(outcome, ReceivedMessage):
        assert outcome.envelope.model_dump(mode="json", exclude_none=True) == mutated


@SETTINGS
@given(
    risk_level=st.sampled_from(["low", "medium", "high", "very_high"]),
    extras=st.fixed_dictionaries(
        {},
        optional={"interpreter_language": st.sampled_from(["Welsh", "Polish"]), "mappa": st.none()},
    ),
    version=st.sampled_from(["1.0", "1.1"]),
)
def test_1_x_bodies_upcast_to_valid_models_and_express_back_unchanged(
    schema_set: SchemaSet, risk_level: str, extras: dict[str, Any], version: str
) -> None:
    body = {**EXAMPLE_1_0, "risk_level": risk_level, **extras}
    body = {name: value for name, value in body.items() if value is not None}
    if version == "1.0":
        body.pop("interpreter_language", None)
    model = TransferNotified.model_validate(
        upcast("transfer.notified", Version.parse(version), body)
    )
    assert build_body(model, Version.parse(version), schema_set) == body
