"""Signing over RFC 8785 canonical JSON, key files, and the force directory."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas.directory import ForceDirectory, default_directory_path, load_directory
from schemas.signing import (
    canonical_bytes,
    dump_signing_key,
    load_signing_key,
    parse_public_key,
    sign_envelope,
    signature_verifies,
)
from tests.keys import KEYS_DIR, current_kid, load_test_key
from tests.keys.regenerate import FORCES, derive_private_key, regenerate


def test_canonical_form_sorts_members_and_leaves_out_the_signature() -> None:
    envelope = {"b": 1, "a": "é", "signature": "x"}
    assert canonical_bytes(envelope) == '{"a":"é","b":1}'.encode()


def test_a_signed_envelope_names_its_key_and_verifies() -> None:
    key = load_test_key("gmp-2024")
    signed = sign_envelope({"source": "GMP", "data": {"n": 1}}, key)
    assert signed["kid"] == "gmp-2024"
    assert signature_verifies(signed, key.private_key.public_key())
    assert not signature_verifies({**signed, "data": {"n": 2}}, key.private_key.public_key())


@given(data=st.dictionaries(st.text(max_size=8), st.text(max_size=20) | st.integers(0, 99)))
def test_libsodium_signs_exactly_as_cryptography_and_each_verifies_the_other(
    data: dict[str, object],
) -> None:
    key = load_test_key("gmp-2024")
    signed = sign_envelope({"source": "GMP", "data": data}, key)
    by_cryptography = key.private_key.sign(canonical_bytes(signed))
    assert base64.urlsafe_b64decode(signed["signature"] + "==") == by_cryptography
    key.private_key.public_key().verify(by_cryptography, canonical_bytes(signed))
    assert signature_verifies(signed, key.private_key.public_key())


def test_a_signature_from_another_key_or_garbled_does_not_verify() -> None:
    key, other = load_test_key("gmp-2024"), load_test_key("wmp-2024")
    signed = sign_envelope({"source": "GMP", "data": {"n": 1}}, key)
    assert not signature_verifies(signed, other.private_key.public_key())
    assert not signature_verifies(
        {**signed, "signature": "not base64!"}, key.private_key.public_key()
    )
    assert not signature_verifies({**signed, "signature": "AAAA"}, key.private_key.public_key())


def test_a_signature_does_not_depend_on_member_order_or_whitespace() -> None:
    key = load_test_key("gmp-2024")
    signed = sign_envelope({"source": "GMP", "data": {"a": 1, "b": [1, 2]}}, key)
    reordered = json.loads(json.dumps(dict(reversed(list(signed.items()))), indent=4))
    assert signature_verifies(reordered, key.private_key.public_key())


def test_a_key_file_round_trips(tmp_path: Path) -> None:
    key = load_test_key("wmp-2024")
    path = tmp_path / "key.json"
    path.write_text(dump_signing_key(key), encoding="utf-8")
    again = load_signing_key(path)
    assert (again.kid, again.force, again.public_key_text()) == (
        key.kid,
        key.force,
        key.public_key_text(),
    )


def test_the_directory_lists_44_forces_with_their_topics(directory: ForceDirectory) -> None:
    assert len(directory.forces) == len(FORCES) == 44
    assert {"MPS", "WMP", "GMP", "BTP"} <= {force.code for force in directory.forces}
    wmp = directory.force("WMP")
    assert wmp is not None
    assert (wmp.name, wmp.inbox, wmp.dead_letter) == (
        "West Midlands Police",
        "interforce.wmp.inbox",
        "interforce.wmp.dlq",
    )


def test_every_directory_key_is_the_public_half_of_a_test_key(directory: ForceDirectory) -> None:
    for force in directory.forces:
        for key in force.keys:
            test_key = load_test_key(key.kid)
            assert test_key.force == force.code
            assert test_key.public_key_text() == key.public_key
            assert parse_public_key(key.public_key) is not None
    assert all(directory.key(current_kid(force.code)) for force in directory.forces)


def test_regenerating_keys_and_directory_is_deterministic(tmp_path: Path) -> None:
    target = tmp_path / "directory.json"
    regenerate(target)
    assert target.read_bytes() == default_directory_path().read_bytes()
    assert derive_private_key("wmp-2024").public_key() is not None


def test_private_keys_live_only_under_tests() -> None:
    repository = KEYS_DIR.parent.parent
    for folder in ("schemas", "interforce", "docs"):
        for path in (repository / folder).rglob("*"):
            if path.is_file() and path.suffix in {".json", ".pem", ".md", ".py"}:
                assert "PRIVATE KEY-----" not in path.read_text(
                    encoding="utf-8", errors="ignore"
                ), path


def test_the_loader_takes_the_directory_path(tmp_path: Path) -> None:
    document = json.loads(default_directory_path().read_text(encoding="utf-8"))
    document["forces"] = document["forces"][:2]
    path = tmp_path / "two.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert [force.code for force in load_directory(path).forces] == ["ASP", "BEDS"]


def test_a_directory_with_wrong_topics_or_duplicate_codes_is_refused(tmp_path: Path) -> None:
    document = json.loads(default_directory_path().read_text(encoding="utf-8"))
    document["forces"][0]["inbox"] = "somewhere.else"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"topics must be interforce\.asp\.inbox"):
        load_directory(path)
    document = json.loads(default_directory_path().read_text(encoding="utf-8"))
    document["forces"].append(document["forces"][0])
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValidationError, match="must each be unique"):
        load_directory(path)
