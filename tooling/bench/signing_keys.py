"""Where the bench's signing keys come from: a directory given on the command line, else the
checkout's `tests/keys` (test keys only: the bench never needs a real force's key)."""

from __future__ import annotations

from pathlib import Path

from schemas.signing import SigningKey, load_signing_key

CHECKOUT_KEYS = Path(__file__).resolve().parents[2] / "tests" / "keys"


def keys_dir(given: Path | None) -> Path:
    """The key directory to use; `FileNotFoundError` if there is none."""
    folder = given or CHECKOUT_KEYS
    if not folder.is_dir():
        msg = f"no key directory at {folder}: pass --keys DIR (files named <force>-2024.json)"
        raise FileNotFoundError(msg)
    return folder


def key_file(folder: Path, force: str) -> Path:
    """A force's everyday test key file, e.g. `wmp-2024.json`."""
    return folder / f"{force.lower()}-2024.json"


def signing_key(folder: Path, force: str) -> SigningKey:
    """A force's signing key from the key directory."""
    return load_signing_key(key_file(folder, force))
