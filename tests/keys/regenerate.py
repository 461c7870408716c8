"""Regenerate the packaged force directory, the test keys behind it, and the list of them.

    python -m tests.keys.regenerate

The list (`interforce/node/published_keys.py`) names every public key whose private half is
in this folder, so that a node outside development mode can refuse to trust one without the
tests being installed. Keys are derived from their ids (SHA-256 of a fixed label and the id),
so running this again writes the same keys, directory and list: the output is stable and
reviewable.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import interforce.node
from schemas.directory import default_directory_path
from schemas.models import MODELS
from schemas.signing import SigningKey, dump_signing_key, load_signing_key
from tests.keys import KEYS_DIR, current_kid

# Authorities outside the federation: they run no node and hold no key here; a transfer
# to one is a hand-over by hand.
AUTHORITIES = (
    {"code": "PSOS", "name": "Police Scotland", "covers": "Scotland"},
    {"code": "PSNI", "name": "Police Service of Northern Ireland", "covers": "Northern Ireland"},
    {"code": "IOM", "name": "Isle of Man Constabulary", "covers": "the Isle of Man"},
    {"code": "JSY", "name": "States of Jersey Police", "covers": "Jersey"},
    {"code": "GSY", "name": "States of Guernsey Police", "covers": "the Bailiwick of Guernsey"},
    {
        "code": "NCA",
        "name": "National Crime Agency",
        "covers": "moves abroad, through its UK International Crime Bureau",
    },
)

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
    document = {"forces": forces, "authorities": [dict(a) for a in AUTHORITIES]}
    directory_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


PUBLISHED_KEYS_MODULE = Path(interforce.node.__file__).parent / "published_keys.py"
PUBLISHED_KEYS_HEADER = '''\
"""Public keys whose private halves are published with interforce, in `tests/keys`.

Anyone with a copy of this repository can sign as the force a directory gives one of these
keys to, so a node outside development mode refuses a directory that lists any of them.
Written by `python -m tests.keys.regenerate`; a unit test checks it against `tests/keys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PUBLISHED_TEST_KEYS: Final[Mapping[str, str]] = {
'''


def published_keys(folder: Path = KEYS_DIR) -> dict[str, str]:
    """Public key (as the directory writes it) -> key id, of every key file in `folder`."""
    keys = (load_signing_key(path) for path in sorted(folder.glob("*.json")))
    return {key.public_key_text(): key.kid for key in keys}


def published_keys_module(keys: dict[str, str]) -> str:
    """The text of `interforce/node/published_keys.py` listing `keys`, sorted by key id."""
    lines = [f'    "{public}": "{kid}",\n' for public, kid in sorted(keys.items(), key=_by_kid)]
    return PUBLISHED_KEYS_HEADER + "".join(lines) + "}\n"


def _by_kid(item: tuple[str, str]) -> str:
    return item[1]


if __name__ == "__main__":
    regenerate(default_directory_path())
    PUBLISHED_KEYS_MODULE.write_text(published_keys_module(published_keys()), encoding="utf-8")
