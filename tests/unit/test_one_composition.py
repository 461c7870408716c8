"""The message bus and the batching loop are each built in one place.

Every caller (the inbox, casework from the CLI and the dashboard, reconciliation, the bench)
gets its bus from `message_bus(uow)`, which wires each command to its handler, and shares a
batch's records through `StagedCommands`; a `MessageBus(...)` or `RecordStage(...)` built by
hand anywhere else in the packages is a second wiring that can drift from the first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "canonical",
    "schemas",
    "ownership",
    "wire_enums",
    "producers",
    "consumers",
    "interforce",
    "tooling",
)
BUILT_ONLY_IN = {
    "MessageBus": {"ownership/service_layer/messagebus.py"},
    "RecordStage": {"ownership/adapters/staged_commands.py", "ownership/adapters/unit_of_work.py"},
}


def calls_to(name: str, tree: ast.AST) -> Iterator[int]:
    """The line of each call of `name` (plain or as an attribute) in `tree`."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if (isinstance(called, ast.Name) and called.id == name) or (
            isinstance(called, ast.Attribute) and called.attr == name
        ):
            yield node.lineno


def built_elsewhere(name: str, allowed: set[str]) -> list[str]:
    """`path:line` of each call of `name` in the packages outside the `allowed` files."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in allowed:
                continue
            tree = ast.parse(path.read_text(), filename=relative)
            found += [f"{relative}:{line}" for line in calls_to(name, tree)]
    return found


@pytest.mark.parametrize("name", sorted(BUILT_ONLY_IN))
def test_built_in_one_place_only(name: str) -> None:
    assert built_elsewhere(name, BUILT_ONLY_IN[name]) == []


def test_a_call_by_attribute_or_by_name_is_found() -> None:
    tree = ast.parse("bus = messagebus.MessageBus(uow, {})\nother = MessageBus(uow, {})\n")
    assert list(calls_to("MessageBus", tree)) == [1, 2]
