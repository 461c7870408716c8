"""The runtime's list of published test keys is exactly the keys in `tests/keys`."""

from __future__ import annotations

from pathlib import Path

from interforce.node import published_keys as module
from interforce.node.published_keys import PUBLISHED_TEST_KEYS
from schemas.directory import load_directory
from schemas.signing import load_signing_key
from tests.keys import KEYS_DIR
from tests.keys.regenerate import published_keys, published_keys_module


def test_the_list_names_every_key_file_in_tests_keys_and_nothing_else() -> None:
    keys = [load_signing_key(path) for path in sorted(KEYS_DIR.glob("*.json"))]
    assert len(keys) >= 44
    assert {key.public_key_text(): key.kid for key in keys} == PUBLISHED_TEST_KEYS


def test_the_list_is_as_the_regenerator_writes_it() -> None:
    assert Path(module.__file__).read_text(encoding="utf-8") == published_keys_module(
        published_keys()
    )


def test_every_key_of_the_packaged_directory_is_on_the_list() -> None:
    listed = [key for force in load_directory().forces for key in force.keys]
    assert listed
    assert all(PUBLISHED_TEST_KEYS.get(key.public_key) == key.kid for key in listed)
