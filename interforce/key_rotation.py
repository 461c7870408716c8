"""Key rotation: add a force's new signing key to the directory file, or revoke one.

The private key goes into the force's key folder (mode 0600, never printed); its public half
goes into the force's directory entry with a validity window. The directory file is written
whole to a temporary file beside it and renamed over it, so a node reading it at that moment
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schemas.directory import ForceDirectory
from schemas.signing import SigningKey, dump_signing_key


class KeyAdminError(RuntimeError):
    """The rotation or revocation cannot be done as asked."""


@dataclass(frozen=True)
class Rotated:
    """The new key: its id, where its private half is, and its window."""

    kid: str
    key_file: Path
    not_before: datetime
    not_after: datetime


def rotate(
    directory_file: Path, keys_dir: Path, force: str, not_before: datetime, valid_days: int
) -> Rotated:
    """Make a key for `force`, write it to `keys_dir`, list it in the directory file."""
    document = _read(directory_file)
    entry = _entry(document, force)
    kid = f"{force.lower()}-{not_before:%Y%m%d}-{secrets.token_hex(3)}"
    not_after = not_before + timedelta(days=valid_days)
    key = SigningKey(kid=kid, force=force, private_key=Ed25519PrivateKey.generate())
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_file = keys_dir / f"{kid}.json"
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(dump_signing_key(key))
    entry["keys"].append(
        {
            "kid": kid,
            "algorithm": "Ed25519",
            "public_key": key.public_key_text(),
            "not_before": _text(not_before),
            "not_after": _text(not_after),
        }
    )
    try:
        _write(directory_file, document)
    except Exception:
        key_file.unlink(missing_ok=True)
        raise
    return Rotated(kid, key_file, not_before, not_after)


def revoke(directory_file: Path, force: str, kid: str, at: datetime) -> None:
    """Set `revoked_at` on one of `force`'s keys; from `at` on, no message signed with it counts."""
    document = _read(directory_file)
    entry = _entry(document, force)
    for key in entry["keys"]:
        if key["kid"] == kid:
            key["revoked_at"] = _text(at)
            _write(directory_file, document)
            return
    raise KeyAdminError(f"{force} has no key {kid}")


def _read(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    ForceDirectory.model_validate_json(text)
    document: dict[str, Any] = json.loads(text)
    return document


def _entry(document: dict[str, Any], force: str) -> dict[str, Any]:
    for entry in document["forces"]:
        if entry["code"] == force:
            found: dict[str, Any] = entry
            return found
    raise KeyAdminError(f"{force} is not a force in the directory")


def _write(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    ForceDirectory.model_validate_json(text)
    mode = path.stat().st_mode & 0o777
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
