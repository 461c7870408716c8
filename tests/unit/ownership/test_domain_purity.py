"""The domain imports nothing but the standard library and itself."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
from pathlib import Path

import pytest

import ownership.domain
from ownership.domain import commands, events
from ownership.domain.record import OffenderRecord

DOMAIN = Path(ownership.domain.__file__).parent


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_only_the_standard_library(path: Path) -> None:
    foreign = {
        root
        for root in _imported_roots(path)
        if root not in sys.stdlib_module_names and root not in {"ownership", "__future__"}
    }
    assert foreign == set()


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_only_the_domain_of_our_own(path: Path) -> None:
    ours = {
        node.module
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ownership")
    }
    assert all(module.startswith("ownership.domain") for module in ours)


def _public_classes(module: object) -> list[type]:
    return [obj for _, obj in inspect.getmembers(module, inspect.isclass)]


@pytest.mark.parametrize(
    "cls", _public_classes(commands) + _public_classes(events), ids=lambda c: c.__name__
)
def test_commands_and_events_are_frozen_dataclasses(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_the_record_is_a_dataclass_with_a_version() -> None:
    names = {f.name for f in dataclasses.fields(OffenderRecord)}
    assert {"reference", "owner", "epoch", "status", "history", "transfers", "version"} <= names
