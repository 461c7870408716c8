"""No function in the packages runs over about a screen: a long one is split, not grown."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGES = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
"""Every package the wheel ships."""
MAX_LINES = 60
"""`end_lineno - lineno` of a `def`, its decorators not counted."""


def functions(
    tree: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method in `tree`, with its dotted name (`Node.start`)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield name, node
            yield from functions(node, f"{name}.")
        else:
            yield from functions(node, prefix)


def too_long() -> dict[str, int]:
    found = {}
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
            for name, node in functions(tree):
                lines = (node.end_lineno or node.lineno) - node.lineno
                if lines > MAX_LINES:
                    found[f"{file.relative_to(ROOT)}::{name}"] = lines
    return found


def test_no_function_is_longer_than_the_limit() -> None:
    assert "interforce" in PACKAGES
    assert too_long() == {}


def test_a_method_is_named_with_its_class_and_measured() -> None:
    body = "\n".join(f"        x = {i}" for i in range(MAX_LINES + 1))
    source = f"class Node:\n    async def start(self) -> None:\n{body}\n"
    [(name, node)] = list(functions(ast.parse(source)))
    assert name == "Node.start"
    assert (node.end_lineno or 0) - node.lineno == MAX_LINES + 1
