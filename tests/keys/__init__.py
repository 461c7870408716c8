"""Test and demo signing keys: the private halves of the packaged force directory's keys.

These keys are public knowledge (they are derived from their ids); they exist only so that the
tests and the demo can sign messages. Never list them in a real deployment's directory.
"""

from __future__ import annotations

from pathlib import Path

from schemas.signing import SigningKey, load_signing_key

KEYS_DIR = Path(__file__).parent


def key_path(kid: str) -> Path:
    """The key file of a test key, e.g. `tests/keys/wmp-2024.json`."""
    return KEYS_DIR / f"{kid}.json"


def load_test_key(kid: str) -> SigningKey:
    """A test signing key by id, e.g. `load_test_key("wmp-2024")`."""
    return load_signing_key(key_path(kid))


def current_kid(force: str) -> str:
    """The id of a force's everyday test key, e.g. `wmp-2024` for `WMP`."""
    return f"{force.lower()}-2024"
