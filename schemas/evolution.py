"""The rules that keep the contract safe to evolve, each a function returning its problems.

- a released schema file never changes (its SHA-256 is in `json/released.json`);
- every schema is valid JSON Schema 2020-12, names its own `$id`, and its examples validate;
- a minor version only adds optional properties to the version before it;
- every major version after the first has an upcaster from, and an expresser into, the previous;
- the files are exactly what the pydantic models generate;
- no schema allows a float or an integer beyond 2^53 - 1 (RFC 8785 cannot sign them exactly);
- the force directory lists only versions that exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from schemas.directory import ForceDirectory
from schemas.envelope import ENVELOPE_NAME, schema_id
from schemas.expressers import EXPRESSERS
from schemas.files import (
    SchemaKey,
    default_schema_root,
    file_digest,
    load_schema_documents,
    read_released,
)
from schemas.generation import expected_documents
from schemas.models.common import MAX_SAFE_INTEGER
from schemas.upcasters import UPCASTERS
from schemas.validation import compile_validator, json_pointer

Documents = Mapping[SchemaKey, Mapping[str, Any]]
ANNOTATIONS = frozenset({"$id", "title", "description", "examples", "$comment"})


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one rule: no problems means it holds."""

    name: str
    problems: tuple[str, ...]


def check_released(root: Path) -> list[str]:
    """Every released file has its recorded digest, and every schema file is released."""
    released = read_released(root)
    problems = []
    for relative, digest in released.items():
        path = root / relative
        if not path.exists():
            problems.append(f"{relative} was released but is missing")
        elif file_digest(path) != digest:
            problems.append(f"{relative} changed after release; add a new version instead")
    for path in sorted(root.glob("*/*.json")):
        if path.relative_to(root).as_posix() not in released:
            problems.append(f"{path.relative_to(root).as_posix()} is not released yet")
    return problems


def check_metaschema(documents: Documents) -> list[str]:
    """Every document is valid JSON Schema 2020-12 and its `$id` matches its file."""
    problems = []
    for (name, version), document in documents.items():
        label = f"{name} {version}"
        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(document):
            problems.append(f"{label}: {error.message} at {json_pointer(error.absolute_path)}")
        if document.get("$id") != schema_id(name, str(version)):
            problems.append(f"{label}: $id is not {schema_id(name, str(version))}")
    return problems


def check_examples(documents: Documents) -> list[str]:
    """Every document has at least one example, and every example validates."""
    problems = []
    for (name, version), document in documents.items():
        examples = document.get("examples", [])
        if not examples:
            problems.append(f"{name} {version}: no example")
        validator = compile_validator(document)
        for index, example in enumerate(examples):
            for error in validator.iter_errors(example):
                where = json_pointer(error.absolute_path)
                problems.append(f"{name} {version}: example {index}: {error.message} at {where}")
    return problems


def check_minor_versions(documents: Documents) -> list[str]:
    """Each minor version only adds optional properties to the version before it."""
    problems = []
    for (name, version), document in sorted(documents.items()):
        if version.minor == 0:
            continue
        previous = _previous_minor(documents, name, version)
        if previous is None:
            problems.append(f"{name} {version}: no earlier {version.major}.x version")
            continue
        label = f"{name} {version}"
        problems.extend(f"{label}: {problem}" for problem in _additive(previous, document, ""))
    return problems


def check_major_versions(documents: Documents) -> list[str]:
    """Every major version after the first has an upcaster from, and an expresser into, the last."""
    problems = []
    for name in sorted({name for name, _ in documents if name != ENVELOPE_NAME}):
        majors = sorted({version.major for doc_name, version in documents if doc_name == name})
        for major in majors[1:]:
            if (name, major - 1) not in UPCASTERS:
                problems.append(f"{name} {major}.x has no upcaster from {major - 1}.x")
            if (name, major) not in EXPRESSERS:
                problems.append(f"{name} {major}.x has no expresser into {major - 1}.x")
    return problems


def check_models_in_step(documents: Documents) -> list[str]:
    """The schema files are exactly what the models generate."""
    expected = expected_documents()
    problems = [
        f"{name} {version}: the model differs from the file; release a new version"
        for (name, version), document in expected.items()
        if documents.get((name, version)) != document
    ]
    problems.extend(
        f"{name} {version}: a file with no model"
        for name, version in documents
        if (name, version) not in expected
    )
    return problems


def check_number_domain(documents: Documents) -> list[str]:
    """No schema admits a float, and every integer is bounded within ±(2^53 - 1)."""
    problems: list[str] = []
    for (name, version), document in documents.items():
        for pointer, schema in _subschemas(document, ""):
            problems.extend(f"{name} {version}{pointer}: {p}" for p in _number_problems(schema))
    return problems


def check_directory(directory: ForceDirectory, documents: Documents) -> list[str]:
    """The directory lists only message types and versions that have a schema."""
    return [
        f"{force.code} lists {name} {version}, which has no schema"
        for force in directory.forces
        for name in force.supports
        for version in force.supported_versions(name)
        if (name, version) not in documents
    ]


def run_checks(
    root: Path | None = None, directory: ForceDirectory | None = None
) -> list[CheckResult]:
    """Every rule over the schema files under `root` (the packaged ones by default)."""
    folder = root or default_schema_root()
    documents = load_schema_documents(folder)
    rules: list[tuple[str, Callable[[], list[str]]]] = [
        ("released files unchanged", lambda: check_released(folder)),
        ("valid JSON Schema 2020-12", lambda: check_metaschema(documents)),
        ("examples valid", lambda: check_examples(documents)),
        ("minor versions only add optional properties", lambda: check_minor_versions(documents)),
        ("major versions have upcasters", lambda: check_major_versions(documents)),
        ("models in step with files", lambda: check_models_in_step(documents)),
        ("no floats or unbounded integers", lambda: check_number_domain(documents)),
    ]
    if directory is not None:
        rules.append(
            ("directory lists known versions", lambda: check_directory(directory, documents))
        )
    return [CheckResult(name, tuple(rule())) for name, rule in rules]


def _previous_minor(documents: Documents, name: str, version: Any) -> Mapping[str, Any] | None:
    earlier = [v for n, v in documents if n == name and v.major == version.major and v < version]
    return documents[(name, max(earlier))] if earlier else None


def _additive(old: Any, new: Any, where: str) -> list[str]:
    """What `new` does beyond adding optional properties to `old`."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return _additive_object(old, new, where)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            p
            for index, pair in enumerate(zip(old, new, strict=True))
            for p in _additive(*pair, f"{where}/{index}")
        ]
    return [] if old == new else [f"{where or '/'} changed"]


def _additive_object(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    for key in sorted((set(old) | set(new)) - ANNOTATIONS):
        at = f"{where}/{key}"
        if key not in new:
            problems.append(f"{at} removed")
        elif key not in old and key != "$defs":
            problems.append(f"{at} added")
        elif key in {"properties", "$defs"}:
            # Members may be added: `required` must stay the same, so added ones are optional.
            problems.extend(_additive_members(old.get(key, {}), new[key], at))
        elif key == "required":
            if set(old[key]) != set(new[key]):
                problems.append(f"{at} changed: a minor version adds only optional properties")
        else:
            problems.extend(_additive(old[key], new[key], at))
    return problems


def _additive_members(old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> list[str]:
    problems = [f"{where}/{name} removed" for name in old if name not in new]
    for name in old:
        if name in new:
            problems.extend(_additive(old[name], new[name], f"{where}/{name}"))
    return problems


def _subschemas(schema: Any, where: str) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(schema, Mapping):
        return []
    found: list[tuple[str, Mapping[str, Any]]] = [(where, schema)]
    for key, value in schema.items():
        if key in {"properties", "$defs"} and isinstance(value, Mapping):
            for name, child in value.items():
                found.extend(_subschemas(child, f"{where}/{key}/{name}"))
        elif key in {"items", "additionalProperties", "not"}:
            found.extend(_subschemas(value, f"{where}/{key}"))
        elif key in {"oneOf", "anyOf", "allOf", "prefixItems"} and isinstance(value, list):
            for index, child in enumerate(value):
                found.extend(_subschemas(child, f"{where}/{key}/{index}"))
    return found


def _number_problems(schema: Mapping[str, Any]) -> list[str]:
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "number" in types:
        return ["admits floats (type number)"]
    if "integer" not in types:
        return []
    listed = schema.get("enum", [schema["const"]] if "const" in schema else None)
    if listed is not None:
        fits = all(abs(value) <= MAX_SAFE_INTEGER for value in listed)
        return [] if fits else ["integer value beyond ±(2^53 - 1)"]
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is None or high is None or low < -MAX_SAFE_INTEGER or high > MAX_SAFE_INTEGER:
        return ["integer not bounded within ±(2^53 - 1)"]
    return []
