"""Seals and checkpoints: signed with the force's key, checked by kid, and read back from any
bytes a topic may hold without raising anything but a refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interforce.audit.signers import KeySigner, directory_keys
from interforce.audit.topic import TopicCheckpoints, _take
from ownership.adapters.audit_signing import (
    AuditKey,
    Checkpoint,
    CheckpointError,
    checkpoint_from_document,
    seal_message,
    sign_checkpoint,
    signature_verifies,
)
from schemas.directory import load_directory
from tests.keys import load_test_key

GMP = KeySigner(load_test_key("gmp-2024"))
KEYS = directory_keys(load_directory())
AT = datetime(2026, 12, 2, 14, 2, 11, 123456, tzinfo=UTC)


def checkpoint() -> Checkpoint:
    return sign_checkpoint(GMP, "interforce_gmp", 45, bytes(range(32)), AT)


def test_a_seal_verifies_with_the_directorys_key_and_only_for_what_it_sealed() -> None:
    message = seal_message("GMP", 41, 45, bytes(32))
    kid, signature = GMP.sign(message)
    key = KEYS(kid)
    assert key is not None
    assert key.force == "GMP"
    assert signature_verifies(key, message, signature)
    assert not signature_verifies(key, seal_message("GMP", 40, 45, bytes(32)), signature)
    assert not signature_verifies(key, seal_message("WMP", 41, 45, bytes(32)), signature)


def test_a_checkpoint_round_trips_through_its_document_and_verifies() -> None:
    signed = checkpoint()
    document = orjson.loads(orjson.dumps(signed.document()))
    assert checkpoint_from_document(document) == signed
    assert signed.verifies(KEYS)
    assert signed.describe() == "checkpoint at 2026-12-02 14:02:11 UTC"


@pytest.mark.parametrize(
    ("field", "value"),
    [("length", 46), ("head_hash", "00" * 32), ("database", "interforce_wmp"), ("force", "WMP")],
)
def test_a_checkpoint_changed_in_any_signed_field_no_longer_verifies(
    field: str, value: object
) -> None:
    document = {**checkpoint().document(), field: value}
    assert not checkpoint_from_document(document).verifies(KEYS)


def test_a_key_revoked_before_a_checkpoint_does_not_vouch_for_it() -> None:
    signed = checkpoint()
    key = KEYS(signed.kid)
    assert key is not None
    revoked = AuditKey(key.force, key.public_key, revoked_at=AT - timedelta(seconds=1))
    assert not signed.verifies(lambda kid: revoked)
    later = AuditKey(key.force, key.public_key, revoked_at=AT + timedelta(seconds=1))
    assert signed.verifies(lambda kid: later)


def test_an_unknown_kid_does_not_verify() -> None:
    assert not checkpoint().verifies(lambda kid: None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)


def mutations() -> st.SearchStrategy[dict[str, Any]]:
    """A genuine checkpoint's document with members replaced, dropped or added."""
    genuine = checkpoint().document()
    return st.builds(
        lambda replaced, dropped, added: {
            **{k: v for k, v in genuine.items() if k not in dropped},
            **replaced,
            **added,
        },
        st.dictionaries(st.sampled_from(sorted(genuine)), json_values, max_size=3),
        st.sets(st.sampled_from(sorted(genuine)), max_size=3),
        st.dictionaries(st.text(max_size=8), json_values, max_size=2),
    )


@given(document=json_values | mutations())
def test_any_document_is_a_checkpoint_or_refused_with_a_reason(document: object) -> None:
    try:
        found = checkpoint_from_document(document)
    except CheckpointError as refusal:
        outcome = f"refused: {refusal}"
    else:
        outcome = f"verifies: {found.verifies(KEYS)}"  # never raises either
    assert outcome.startswith(("refused: ", "verifies: "))
    assert len(outcome) > len("refused: ")  # a refusal says why


@given(value=st.binary(max_size=300) | st.none())
def test_any_bytes_on_the_topic_are_counted_or_read(value: bytes | None) -> None:
    found = TopicCheckpoints("t.gmp.audit")
    _take(value, found)
    assert len(found.checkpoints) + found.not_checkpoints == 1
