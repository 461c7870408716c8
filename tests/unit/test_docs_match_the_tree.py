"""The README's layout table and docs/architecture.md name the folders the tree has.

Every package at the top of the repository and every sub-package of `interforce/` and
`ownership/` is named in both; every folder or file they name in backticks exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"`([a-z_]+(?:/[a-z_]+)*(?:/|\.py))`")
LAYERED = ("interforce", "ownership")


def packages() -> list[str]:
    """`name/` for each top-level package, and `name/sub/` one level into the layered ones."""
    found = [
        f"{p.parent.name}/"
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"tests", *LAYERED[1:]}
    ]
    for top in LAYERED:
        found += [f"{top}/{p.parent.name}/" for p in (ROOT / top).glob("*/__init__.py")]
    return sorted(found)


def layout_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Layout", 1)[1].split("\n## ", 1)[0]


def architecture() -> str:
    return (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def mentions(text: str, package: str) -> bool:
    """Whether `package` (e.g. `interforce/web/`) is named, whole or as `web/` in its row."""
    if f"`{package}`" in text:
        return True
    top, _, sub = package.partition("/")
    rows = [line for line in text.splitlines() if f"`{top}/`" in line]
    return bool(sub) and any(f"`{sub}`" in row for row in rows)


@pytest.mark.parametrize("document", ["README layout", "docs/architecture.md"])
def test_every_package_is_named(document: str) -> None:
    text = layout_table() if document == "README layout" else architecture()
    missing = [package for package in packages() if not mentions(text, package)]
    assert missing == [], f"{document} does not name {missing}"


def exists(name: str) -> bool:
    """Whether `name` is a path from the root, or from a package folder two levels down."""
    folders = [ROOT, *ROOT.glob("*/"), *ROOT.glob("*/*/")]
    return any((folder / name).exists() for folder in folders if ".git" not in folder.parts)


@pytest.mark.parametrize("document", ["README layout", "docs/architecture.md"])
def test_every_path_named_exists(document: str) -> None:
    text = layout_table() if document == "README layout" else architecture()
    absent = [name for name in NAMED.findall(text) if not exists(name)]
    assert absent == [], f"{document} names paths that do not exist: {absent}"
