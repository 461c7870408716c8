"""The schema files with one compiled validator each, built on first use and kept."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schemas.envelope import ENVELOPE_NAME
from schemas.files import SchemaKey, load_schema_documents
from schemas.validation import SchemaValidator, compile_validator
from schemas.version import Version

ENVELOPE_KEY: SchemaKey = (ENVELOPE_NAME, Version(1, 0))


class SchemaSet:
    """Every released schema, each compiled once per instance."""

    def __init__(self, documents: Mapping[SchemaKey, Mapping[str, Any]]) -> None:
        self._documents = documents
        self._validators: dict[SchemaKey, SchemaValidator] = {}

    @classmethod
    def load(cls, root: Path | None = None) -> SchemaSet:
        """The schema files under `root` (the packaged ones by default)."""
        return cls(load_schema_documents(root))

    def versions(self, message_type: str) -> tuple[Version, ...]:
        """The released versions of a type, lowest first; empty if the type is unknown."""
        return tuple(sorted(v for name, v in self._documents if name == message_type))

    def validator(self, name: str, version: Version) -> SchemaValidator:
        """The compiled validator of a schema; `KeyError` if there is no such schema."""
        key = (name, version)
        validator = self._validators.get(key)
        if validator is None:
            validator = compile_validator(self._documents[key])
            self._validators[key] = validator
        return validator

    def envelope_validator(self) -> SchemaValidator:
        """The compiled validator of the envelope schema."""
        return self.validator(*ENVELOPE_KEY)
