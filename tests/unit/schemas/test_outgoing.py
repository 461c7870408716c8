"""Outgoing messages: the recipient's highest version, the body written in it, signed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from schemas.directory import ForceDirectory
from schemas.errors import NoCommonVersionError, VersionNotExpressibleError
from schemas.models.transfer import CancelReason, TransferCancelled
from schemas.models.transfer_notified import EXAMPLE_1_0, EXAMPLE_2_0, TransferNotified
from schemas.outgoing import (
    Addressing,
    build_body,
    choose_version,
    compose_envelope,
    prepare_message,
)
from schemas.registry import Registry
from schemas.schema_set import SchemaSet
from schemas.upcasters import upcast
from schemas.version import Version
from tests.keys import load_test_key

RegistryFor = Callable[[str | None], Registry]
TRANSFER = "3b0e7f4c-2d6a-4f1b-8c9d-5e4a3b2c1d0e"


def _addressing(recipient: str) -> Addressing:
    return Addressing("GMP", recipient, subject="GMP-2019-004512", transferid=TRANSFER, epoch=3)


def _expressible() -> TransferNotified:
    """The 1.0 example upcast: a current body with one contact and a bare risk level."""
    return TransferNotified.model_validate(upcast("transfer.notified", Version(1, 0), EXAMPLE_1_0))


@pytest.mark.parametrize(
    ("recipient", "expected"), [("WMP", "2.1"), ("BTP", "1.1"), ("DPP", "1.0")]
)
def test_the_highest_version_the_recipient_lists_is_chosen(
    directory: ForceDirectory, schema_set: SchemaSet, recipient: str, expected: str
) -> None:
    chosen = choose_version(directory, recipient, "transfer.notified", schema_set)
    assert chosen == Version.parse(expected)


def test_no_common_version_is_a_clear_error(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    with pytest.raises(NoCommonVersionError, match=r"ZZZ lists no version of transfer\.notified"):
        choose_version(directory, "ZZZ", "transfer.notified", schema_set)


def test_a_body_built_for_1_0_upcasts_back_to_the_same_model(schema_set: SchemaSet) -> None:
    body = _expressible()
    written = build_body(body, Version(1, 0), schema_set)
    assert written == EXAMPLE_1_0
    assert (
        TransferNotified.model_validate(upcast("transfer.notified", Version(1, 0), written)) == body
    )


def test_a_body_built_for_the_current_version_is_the_model_dump(schema_set: SchemaSet) -> None:
    body = TransferNotified.model_validate(EXAMPLE_2_0)
    assert build_body(body, Version(2, 0), schema_set) == EXAMPLE_2_0


def test_several_contacts_cannot_be_expressed_in_1_x(schema_set: SchemaSet) -> None:
    body = TransferNotified.model_validate(EXAMPLE_2_0)
    with pytest.raises(VersionNotExpressibleError, match="risk assessed_on, assessment_tool"):
        build_body(body, Version(1, 1), schema_set)
    plain_risk = body.model_copy(update={"risk": _expressible().risk})
    with pytest.raises(VersionNotExpressibleError, match="exactly one contact"):
        build_body(plain_risk, Version(1, 1), schema_set)


def test_a_1_1_field_cannot_be_expressed_in_1_0(schema_set: SchemaSet) -> None:
    body = _expressible().model_copy(update={"interpreter_language": "Welsh"})
    assert build_body(body, Version(1, 1), schema_set)["interpreter_language"] == "Welsh"
    with pytest.raises(
        VersionNotExpressibleError, match=r"cannot carry this body.*/interpreter_language"
    ):
        build_body(body, Version(1, 0), schema_set)


def test_prepare_message_sends_what_each_recipient_accepts(
    directory: ForceDirectory, schema_set: SchemaSet, registry_for: RegistryFor
) -> None:
    body = _expressible()
    for recipient, version in (("WMP", "2.1"), ("BTP", "1.1"), ("DPP", "1.0")):
        raw = prepare_message(
            body,
            _addressing(recipient),
            directory=directory,
            key=load_test_key("gmp-2024"),
            schemas=schema_set,
            time=datetime(2025, 6, 15, tzinfo=UTC),
        )
        received = registry_for(recipient).receive(raw)
        assert (str(received.version), received.body) == (version, body)


def test_prepare_message_refuses_a_key_of_another_force(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    with pytest.raises(ValueError, match="belongs to MPS"):
        prepare_message(
            _expressible(),
            _addressing("WMP"),
            directory=directory,
            key=load_test_key("mps-2024"),
            schemas=schema_set,
        )


def test_compose_enforces_the_types_extension_rules() -> None:
    body = {"reason_code": "other", "reason": "x"}
    with pytest.raises(ValueError, match=r"transferid is required in transfer\.cancelled"):
        compose_envelope(
            "transfer.cancelled", Version(1, 0), body, Addressing("GMP", "WMP", subject="GMP-1234")
        )
    with pytest.raises(ValueError, match=r"subject is not allowed in ownership\.query"):
        compose_envelope(
            "ownership.query",
            Version(1, 0),
            {"offenders": ["GMP-1234"]},
            Addressing("GMP", "WMP", subject="GMP-1234"),
        )


def test_a_model_of_no_message_type_cannot_be_built(schema_set: SchemaSet) -> None:
    with pytest.raises(KeyError, match="not the current model"):
        build_body(_expressible().contacts[0], Version(1, 0), schema_set)


def test_compose_writes_time_in_utc_with_z() -> None:
    envelope = compose_envelope(
        "transfer.cancelled",
        Version(1, 0),
        TransferCancelled(reason_code=CancelReason.OTHER, reason="x").model_dump(),
        _addressing("WMP"),
        time=datetime(2025, 6, 15, 10, 0, tzinfo=UTC),
    )
    assert envelope["time"] == "2025-06-15T10:00:00Z"
