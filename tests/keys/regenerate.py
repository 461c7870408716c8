"""Regenerate the packaged force directory and the test keys behind it.

    python -m tests.keys.regenerate

Keys are derived from their ids (SHA-256 of a fixed label and the id), so running this again
writes the same keys and the same directory: the output is stable and reviewable.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schemas.directory import default_directory_path
from schemas.models import MODELS
from schemas.signing import SigningKey, dump_signing_key
from tests.keys import KEYS_DIR, current_kid

FORCES: tuple[tuple[str, str], ...] = (
    ("ASP", "Avon and Somerset Constabulary"),
    ("BEDS", "Bedfordshire Police"),
    ("CAMBS", "Cambridgeshire Constabulary"),
    ("CHES", "Cheshire Constabulary"),
    ("COLP", "City of London Police"),
    ("CLEV", "Cleveland Police"),
    ("CUMB", "Cumbria Constabulary"),
    ("DERBYS", "Derbyshire Constabulary"),
    ("DCP", "Devon and Cornwall Police"),
    ("DOR", "Dorset Police"),
    ("DUR", "Durham Constabulary"),
    ("DPP", "Dyfed-Powys Police"),
    ("ESSEX", "Essex Police"),
    ("GLOS", "Gloucestershire Constabulary"),
    ("GMP", "Greater Manchester Police"),
    ("GWENT", "Gwent Police"),
    ("HIOW", "Hampshire and Isle of Wight Constabulary"),
    ("HERTS", "Hertfordshire Constabulary"),
    ("HUMB", "Humberside Police"),
    ("KENT", "Kent Police"),
    ("LANCS", "Lancashire Constabulary"),
    ("LEICS", "Leicestershire Police"),
    ("LINCS", "Lincolnshire Police"),
    ("MERS", "Merseyside Police"),
    ("MPS", "Metropolitan Police Service"),
    ("NORF", "Norfolk Constabulary"),
    ("NWP", "North Wales Police"),
    ("NYP", "North Yorkshire Police"),
    ("NHANTS", "Northamptonshire Police"),
    ("NBRIA", "Northumbria Police"),
    ("NOTTS", "Nottinghamshire Police"),
    ("SWP", "South Wales Police"),
    ("SYP", "South Yorkshire Police"),
    ("STAFFS", "Staffordshire Police"),
    ("SUFF", "Suffolk Constabulary"),
    ("SURREY", "Surrey Police"),
    ("SUSSEX", "Sussex Police"),
    ("TVP", "Thames Valley Police"),
    ("WARKS", "Warwickshire Police"),
    ("WMC", "West Mercia Police"),
    ("WMP", "West Midlands Police"),
    ("WYP", "West Yorkshire Police"),
    ("WILTS", "Wiltshire Police"),
    ("BTP", "British Transport Police"),
)
"""The 43 territorial police forces of England and Wales, and British Transport Police."""

ONLY_VERSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "BTP": {"transfer.notified": ("1.0", "1.1")},
    "DPP": {"transfer.notified": ("1.0",), "transfer.acknowledged": ("1.0",)},
}
"""Forces whose systems have not taken every version yet, so version choice is exercised."""

EVERYDAY_WINDOW = ("2024-01-01T00:00:00Z", "2036-01-01T00:00:00Z")
EXTRA_KEYS: dict[str, tuple[dict[str, str], ...]] = {
    "WMP": (
        {
            "kid": "wmp-2022",
            "not_before": "2022-01-01T00:00:00Z",
            "not_after": "2024-01-01T00:00:00Z",
        },
    ),
    "MPS": (
        {
            "kid": "mps-2026",
            "not_before": "2026-01-01T00:00:00Z",
            "not_after": "2038-01-01T00:00:00Z",
        },
    ),
    "GMP": (
        {
            "kid": "gmp-2023",
            "not_before": "2023-01-01T00:00:00Z",
            "not_after": "2036-01-01T00:00:00Z",
            "revoked_at": "2025-03-01T00:00:00Z",
        },
    ),
}
"""Keys that exercise rotation: one expired (WMP), one not yet valid (MPS), one revoked (GMP)."""


def derive_private_key(kid: str) -> Ed25519PrivateKey:
    """The test private key of an id; the same id always gives the same key."""
    seed = hashlib.sha256(b"interforce test key\x00" + kid.encode("ascii")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _key_entries(code: str) -> list[dict[str, str]]:
    everyday = {
        "kid": current_kid(code),
        "not_before": EVERYDAY_WINDOW[0],
        "not_after": EVERYDAY_WINDOW[1],
    }
    return [everyday, *EXTRA_KEYS.get(code, ())]


def _supports(code: str) -> dict[str, list[str]]:
    supports = {
        name: [str(version) for version in sorted(versions)] for name, versions in MODELS.items()
    }
    for name, versions in ONLY_VERSIONS.get(code, {}).items():
        supports[name] = list(versions)
    return supports


def _force_entry(code: str, name: str) -> dict[str, object]:
    keys = []
    for entry in _key_entries(code):
        key = SigningKey(kid=entry["kid"], force=code, private_key=derive_private_key(entry["kid"]))
        (KEYS_DIR / f"{key.kid}.json").write_text(dump_signing_key(key), encoding="utf-8")
        keys.append(
            {"kid": key.kid, "algorithm": "Ed25519", "public_key": key.public_key_text(), **entry}
        )
    lower = code.lower()
    return {
        "code": code,
        "name": name,
        "inbox": f"interforce.{lower}.inbox",
        "dead_letter": f"interforce.{lower}.dlq",
        "keys": keys,
        "supports": _supports(code),
    }


def regenerate(directory_path: Path) -> None:
    """Write every test key file and the directory that lists their public halves."""
    forces = [_force_entry(code, name) for code, name in FORCES]
    document = {"forces": forces}
    directory_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    regenerate(default_directory_path())
