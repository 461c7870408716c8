"""The message catalogue page (`docs/messages.md`), generated from the schema files."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from schemas.envelope import ENVELOPE_NAME, TYPE_PREFIX
from schemas.errors import REJECTIONS, CheckFailed
from schemas.files import SchemaKey
from schemas.kinds import MESSAGE_KINDS, MessageKind
from schemas.version import Version

Documents = Mapping[SchemaKey, Mapping[str, Any]]

_INTRO = """\
# Message catalogue

Generated from the JSON Schema files in `schemas/json/` by `interforce schemas docs`; do not
edit by hand. Every message is a signed CloudEvents 1.0 envelope whose `data` is the body.
A producer sends the highest version of a type that the recipient lists in the force directory;
consumers accept every version below and upcast it to the current one.
"""


def render_catalogue(documents: Documents) -> str:
    """The whole catalogue page as Markdown."""
    sections = [_INTRO, _envelope_section(documents), _reasons_section()]
    sections.extend(_kind_section(kind, documents) for kind in MESSAGE_KINDS)
    return "\n".join(sections)


def _envelope_section(documents: Documents) -> str:
    document = _latest(documents, ENVELOPE_NAME)
    lines = [
        "## The envelope",
        "",
        str(document["description"]),
        "",
        f"Schema: `{document['$id']}`",
        "",
        *_field_table(document),
    ]
    return "\n".join(lines) + "\n"


def _reasons_section() -> str:
    lines = [
        "## Why a message is refused",
        "",
        "The registry checks in this order; the first failure is the reason, which goes into",
        "the dead-letter headers and the audit log.",
        "",
        "| reason | meaning |",
        "|---|---|",
    ]
    lines.extend(f"| `{error.reason}` | {_one_line(error.__doc__)} |" for error in REJECTIONS)
    lines.extend(
        [
            "",
            "A message that meets a fault of the receiving node's own, while it is checked or",
            f"applied, is dead-lettered as `{CheckFailed.reason}` with the exception's type: it",
            "never blocks the messages behind it, and can be replayed once the fault is fixed.",
        ]
    )
    return "\n".join(lines) + "\n"


def _kind_section(kind: MessageKind, documents: Documents) -> str:
    versions = sorted(version for name, version in documents if name == kind.name)
    current = documents[(kind.name, versions[-1])]
    rules = ", ".join(
        f"`{attribute}` {kind.presence(attribute)}"
        for attribute in ("subject", "transferid", "epoch", "causationid")
    )
    lines = [
        f"## `{kind.name}`",
        "",
        f"{kind.sender} → {kind.recipient}. {kind.summary}",
        "",
        f"- CloudEvents type: `{TYPE_PREFIX}{kind.name}`",
        f"- Versions: {', '.join(_version_link(kind.name, v) for v in versions)}"
        f" (current {versions[-1]})",
        f"- Envelope: {rules}",
        "",
        str(current["description"]),
        "",
        *_field_table(current),
        "",
        "Example:",
        "",
        "```json",
        json.dumps(current["examples"][0], indent=2, ensure_ascii=False),
        "```",
    ]
    return "\n".join(lines) + "\n"


def _version_link(name: str, version: Version) -> str:
    return f"[{version}](../schemas/json/{name}/{version}.json)"


def _field_table(document: Mapping[str, Any]) -> list[str]:
    lines = ["| field | type | required | description |", "|---|---|---|---|"]
    for path, schema, required in _fields(document, document, ""):
        description = _one_line(schema.get("description", ""))
        lines.append(
            f"| `{path}` | {_type_of(schema)} | {'yes' if required else 'no'} | {description} |"
        )
    return lines


def _fields(
    schema: Mapping[str, Any], root: Mapping[str, Any], prefix: str
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    required = set(schema.get("required", []))
    for name, child in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        resolved = _resolve(child, root)
        yield path, {**resolved, **child}, name in required
        yield from _nested(resolved, root, path)


def _nested(
    schema: Mapping[str, Any], root: Mapping[str, Any], path: str
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    if "properties" in schema:
        yield from _fields(schema, root, path + ".")
    elif "items" in schema and "properties" in _resolve(schema["items"], root):
        yield from _fields(_resolve(schema["items"], root), root, path + "[].")
    for option in schema.get("oneOf", []):
        resolved = _resolve(option, root)
        kind = resolved.get("properties", {}).get("kind", {}).get("const", "?")
        yield from _fields(resolved, root, f"{path}({kind}).")


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = schema.get("$ref")
    if not isinstance(reference, str):
        return schema
    resolved: Mapping[str, Any] = root["$defs"][reference.rsplit("/", 1)[-1]]
    return resolved


def _type_of(schema: Mapping[str, Any]) -> str:
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
    if "oneOf" in schema:
        return "one of the forms below"
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return "list"
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _latest(documents: Documents, name: str) -> Mapping[str, Any]:
    return documents[(name, max(version for doc_name, version in documents if doc_name == name))]


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")
