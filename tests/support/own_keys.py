"""Directories of forces' own keys, as a deployment has them: no key's private half published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from schemas.directory import default_directory_path
from schemas.signing import SigningKey, dump_signing_key


def packaged_document() -> dict[str, Any]:
    """The packaged directory as JSON."""
    document: dict[str, Any] = json.loads(default_directory_path().read_text(encoding="utf-8"))
    return document


def entry(document: dict[str, Any], code: str) -> dict[str, Any]:
    """The entry of the force `code` in a directory document."""
    found: dict[str, Any] = next(force for force in document["forces"] if force["code"] == code)
    return found


def own_key(folder: Path, force: str) -> tuple[Path, dict[str, str]]:
    """A fresh key of `force` in `folder`, and its directory entry."""
    key = SigningKey(f"{force.lower()}-own", force, Ed25519PrivateKey.generate())
    file = folder / f"{key.kid}.json"
    file.write_text(dump_signing_key(key), encoding="utf-8")
    listed = {
        "kid": key.kid,
        "algorithm": "Ed25519",
        "public_key": key.public_key_text(),
        "not_before": "2024-01-01T00:00:00Z",
        "not_after": "2040-01-01T00:00:00Z",
    }
    return file, listed


def directory_of_own_keys(folder: Path, forces: tuple[str, ...]) -> tuple[Path, dict[str, Path]]:
    """A directory file of `forces`, each with one fresh key only, and each force's key file."""
    files = {}
    kept = []
    for force in packaged_document()["forces"]:
        if force["code"] in forces:
            files[force["code"]], key = own_key(folder, force["code"])
            kept.append({**force, "keys": [key]})
    path = folder / "directory.json"
    path.write_text(json.dumps({"forces": kept}, indent=2), encoding="utf-8")
    return path, files


def add_published_key(path: Path, force: str, published: str, *, kid: str | None = None) -> None:
    """List the packaged directory's key of `published` (a force code) under `force` too."""
    document = json.loads(path.read_text(encoding="utf-8"))
    key = entry(packaged_document(), published)["keys"][0]
    entry(document, force)["keys"].append({**key, "kid": kid or key["kid"]})
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
