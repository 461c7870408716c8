"""Shared fixtures: the packaged directory, the schema set, and helpers to build messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.directory import ForceDirectory, load_directory
from schemas.registry import Registry
from schemas.schema_set import SchemaSet

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def directory() -> ForceDirectory:
    return load_directory()


@pytest.fixture(scope="session")
def schema_set() -> SchemaSet:
    return SchemaSet.load()


@pytest.fixture(scope="session")
def registry_for(
    directory: ForceDirectory, schema_set: SchemaSet
) -> Callable[[str | None], Registry]:
    registries: dict[str | None, Registry] = {}

    def build(force: str | None) -> Registry:
        if force not in registries:
            registries[force] = Registry(
                directory, force=force, schemas=schema_set, clock=lambda: NOW
            )
        return registries[force]

    return build


def as_dict(value: Any) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value
