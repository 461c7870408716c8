"""Schema files are generated from the pydantic models, so the two cannot drift apart.

A released file is never regenerated in place: `interforce schemas check` compares the model
with the file and fails when they differ, which means a new version is due.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from schemas.envelope import ENVELOPE_NAME, Envelope, schema_id
from schemas.files import dump_schema, read_released, schema_path
from schemas.kinds import KINDS_BY_NAME
from schemas.models import MODELS
from schemas.models.common import WireModel
from schemas.version import Version

METASCHEMA = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_VERSION = Version(1, 0)


class _WireSchemaGenerator(GenerateJsonSchema):
    """pydantic's generator, tuned for a wire contract.

    An optional field is absent rather than null, so `x: T | None = None` becomes plain `T`;
    property titles repeat the names and are left out.
    """

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        inner = schema["schema"]
        if schema.get("default", ...) is None and inner["type"] == "nullable":
            return self.generate_inner(inner["schema"])
        return super().default_schema(schema)

    def field_title_should_be_set(self, schema: CoreSchema | Any) -> bool:
        return False


def generate_schema(
    model: type[WireModel], name: str, version: Version, title: str
) -> dict[str, Any]:
    """The JSON Schema document of one model as the file of `name` at `version`."""
    generated = _strip_discriminators(
        model.model_json_schema(schema_generator=_WireSchemaGenerator)
    )
    header = {
        "$schema": METASCHEMA,
        "$id": schema_id(name, str(version)),
        "title": title,
        "description": generated.pop("description"),
    }
    generated.pop("title", None)
    examples = generated.pop("examples")
    return {**header, **generated, "examples": examples}


def expected_documents() -> dict[tuple[str, Version], dict[str, Any]]:
    """Every schema document the models describe, the envelope included."""
    documents = {
        (ENVELOPE_NAME, ENVELOPE_VERSION): generate_schema(
            Envelope, ENVELOPE_NAME, ENVELOPE_VERSION, "interforce CloudEvents envelope 1.0"
        )
    }
    for name, versions in MODELS.items():
        for version, model in versions.items():
            title = f"{name} {version}: {KINDS_BY_NAME[name].summary.split(':')[0].rstrip('.')}"
            documents[(name, version)] = generate_schema(model, name, version, title)
    return documents


def write_unreleased(root: Path) -> list[Path]:
    """Write the schema file of every model version not yet released; released files stay."""
    released = read_released(root)
    written = []
    for (name, version), document in expected_documents().items():
        path = schema_path(root, name, version)
        if path.relative_to(root).as_posix() in released:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_schema(document), encoding="utf-8")
        written.append(path)
    return written


def _strip_discriminators(value: Any) -> Any:
    """Drop OpenAPI's `discriminator`, which is not JSON Schema; `oneOf` + `const` says it all."""
    if isinstance(value, Mapping):
        return {
            key: _strip_discriminators(item)
            for key, item in value.items()
            if key != "discriminator"
        }
    if isinstance(value, list):
        return [_strip_discriminators(item) for item in value]
    return value
