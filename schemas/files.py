"""The released JSON Schema files under `schemas/json/<name>/<major>.<minor>.json`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from schemas.version import Version

RELEASED_FILE = "released.json"
"""The checked-in list of released schema files and the SHA-256 of each."""

SchemaKey = tuple[str, Version]


def default_schema_root() -> Path:
    """The folder of schema files inside the installed `schemas` package."""
    return Path(str(resources.files("schemas"))) / "json"


def schema_path(root: Path, name: str, version: Version) -> Path:
    """Where the schema of a type (or `envelope`) at a version lives."""
    return root / name / f"{version}.json"


@lru_cache(maxsize=4)
def load_schema_documents(root: Path | None = None) -> Mapping[SchemaKey, Mapping[str, Any]]:
    """Every schema file under `root`, read once, keyed by (name, version)."""
    folder = root or default_schema_root()
    documents: dict[SchemaKey, Mapping[str, Any]] = {}
    for path in sorted(folder.glob("*/*.json")):
        version = Version.parse_exact(path.stem)
        documents[(path.parent.name, version)] = json.loads(path.read_text(encoding="utf-8"))
    return MappingProxyType(documents)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_released(root: Path) -> dict[str, str]:
    """The released list: schema file path relative to `root` → its SHA-256."""
    path = root / RELEASED_FILE
    if not path.exists():
        return {}
    released: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return released


def write_released(root: Path, released: Mapping[str, str]) -> None:
    """Write the released list, sorted, one file per line."""
    text = json.dumps(dict(sorted(released.items())), indent=2) + "\n"
    (root / RELEASED_FILE).write_text(text, encoding="utf-8")


def dump_schema(document: Mapping[str, Any]) -> str:
    """The text a schema file is written as."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def release_unreleased(root: Path) -> list[str]:
    """Record the digest of every schema file not yet released; released entries never change."""
    released = read_released(root)
    added = [
        path.relative_to(root).as_posix()
        for path in sorted(root.glob("*/*.json"))
        if path.relative_to(root).as_posix() not in released
    ]
    for relative in added:
        released[relative] = file_digest(root / relative)
    write_released(root, released)
    return added
