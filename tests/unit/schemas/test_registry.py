"""The registry: every released version accepted and upcast; each fault its own error."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from schemas import errors
from schemas.directory import ForceDirectory
from schemas.models import MODELS, current_model
from schemas.models.common import Contact, RiskLevel
from schemas.models.transfer_notified import EXAMPLE_1_0, EXAMPLE_1_1, TransferNotified
from schemas.registry import Registry
from schemas.schema_set import SchemaSet
from schemas.version import Version
from tests.corpus.generate import signed, unsigned, wire

RegistryFor = Callable[[str | None], Registry]


@pytest.mark.parametrize(
    ("name", "version"),
    [(name, version) for name, versions in MODELS.items() for version in versions],
    ids=str,
)
def test_every_released_version_is_accepted_as_the_current_model(
    registry_for: RegistryFor, name: str, version: Version
) -> None:
    received = registry_for("WMP").receive(wire(signed(unsigned(name, str(version)))))
    assert (received.message_type, received.version) == (name, version)
    assert type(received.body) is current_model(name)
    assert received.envelope.source == "GMP"


def test_transfer_notified_1_0_is_upcast_to_2_0(registry_for: RegistryFor) -> None:
    received = registry_for("WMP").receive(wire(signed(unsigned("transfer.notified", "1.0"))))
    body = received.body
    assert isinstance(body, TransferNotified)
    assert body.risk.level is RiskLevel.MEDIUM
    assert body.contacts == [Contact.model_validate(EXAMPLE_1_0["contact"])]
    assert body.interpreter_language is None


def test_transfer_notified_1_1_keeps_its_optional_fields(registry_for: RegistryFor) -> None:
    received = registry_for("WMP").receive(wire(signed(unsigned("transfer.notified", "1.1"))))
    assert isinstance(received.body, TransferNotified)
    assert received.body.interpreter_language == EXAMPLE_1_1["interpreter_language"]
    assert str(received.body.registration_due_by) == EXAMPLE_1_1["registration_due_by"]


def test_a_registry_without_a_force_accepts_any_listed_recipient(registry_for: RegistryFor) -> None:
    raw = wire(signed(unsigned("transfer.cancelled", recipient="BTP")))
    assert registry_for(None).receive(raw).envelope.recipient == "BTP"


def test_body_faults_carry_the_pointer_of_the_first_fault(registry_for: RegistryFor) -> None:
    envelope = unsigned("transfer.notified")
    envelope["data"]["review"]["checklist"]["visor_record_updated"] = "yes"
    with pytest.raises(errors.BodyInvalid) as caught:
        registry_for("WMP").receive(wire(signed(envelope)))
    assert caught.value.pointer == "/data/review/checklist/visor_record_updated"
    assert caught.value.reason == "body-invalid"


def test_fault_details_never_repeat_personal_data(registry_for: RegistryFor) -> None:
    envelope = unsigned("transfer.notified")
    envelope["data"]["offender"]["name"]["family_name"] = "Confidential" * 30
    with pytest.raises(errors.BodyInvalid) as caught:
        registry_for("WMP").receive(wire(signed(envelope)))
    assert "Confidential" not in str(caught.value)
    assert caught.value.pointer == "/data/offender/name/family_name"


def test_a_message_over_the_size_limit_is_refused_unread(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    registry = Registry(directory, force="WMP", schemas=schema_set, max_message_bytes=10)
    with pytest.raises(errors.MessageOversize):
        registry.receive(b"{" + b" " * 10 + b"}")


def test_a_key_revoked_in_the_future_still_verifies_today(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    before_revocation = datetime(2025, 2, 1, tzinfo=UTC)
    registry = Registry(directory, force="WMP", schemas=schema_set, clock=lambda: before_revocation)
    envelope = unsigned("transfer.cancelled")
    envelope["time"] = "2025-01-31T10:00:00Z"  # sent before the receiver's now, as it must be
    raw = wire(signed(envelope, "gmp-2023"))
    assert registry.receive(raw).message_type == "transfer.cancelled"


def test_rotation_keeps_old_and_new_keys_valid_while_they_overlap(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    today = datetime(2026, 6, 1, 12, tzinfo=UTC)
    registry = Registry(directory, force="WMP", schemas=schema_set, clock=lambda: today)
    for kid in ("mps-2024", "mps-2026"):
        envelope = unsigned("transfer.cancelled", source="MPS", label=kid)
        envelope["time"] = "2026-06-01T09:00:00Z"
        assert registry.receive(wire(signed(envelope, kid))).envelope.kid == kid


def test_a_float_anywhere_is_refused_rather_than_rounded(registry_for: RegistryFor) -> None:
    raw = wire(signed(unsigned("ownership.refused"))).replace(b'{"epoch":3,', b'{"epoch":3.0,')
    with pytest.raises(errors.BodyInvalid) as caught:
        registry_for("WMP").receive(raw)
    assert caught.value.pointer == "/data/epoch"


def test_the_registry_reads_each_schema_file_once(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    registry = Registry(directory, force="WMP", schemas=schema_set)
    raw = wire(signed(unsigned("transfer.cancelled")))
    registry.receive(raw)
    validator = schema_set.validator("transfer.cancelled", Version(1, 0))
    registry.receive(raw)
    assert schema_set.validator("transfer.cancelled", Version(1, 0)) is validator


def test_every_rejection_has_a_distinct_stable_reason() -> None:
    reasons = [rejection.reason for rejection in errors.REJECTIONS]
    assert len(set(reasons)) == len(reasons) == 17
    assert all(issubclass(rejection, errors.MessageRejected) for rejection in errors.REJECTIONS)
    assert errors.KeyExpired("x").reason == "key-expired"


def test_the_received_envelope_keeps_the_body_as_sent(registry_for: RegistryFor) -> None:
    envelope = signed(unsigned("transfer.notified", "1.0"))
    received = registry_for("WMP").receive(wire(envelope))
    assert received.envelope.data == json.loads(json.dumps(envelope["data"]))
    assert "risk_level" in received.envelope.data
