"""The schema files: valid, exemplified, released, evolved by the rules, in step with the models."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from schemas import evolution
from schemas.directory import ForceDirectory
from schemas.envelope import ENVELOPE_NAME
from schemas.files import default_schema_root, load_schema_documents
from schemas.kinds import MESSAGE_KINDS
from schemas.models import MODELS
from schemas.version import Version

DOCUMENTS = load_schema_documents()
NOTIFIED_1_0 = ("transfer.notified", Version(1, 0))
NOTIFIED_1_1 = ("transfer.notified", Version(1, 1))


def test_every_message_kind_has_a_schema_and_a_model() -> None:
    names = {name for name, _ in DOCUMENTS} - {ENVELOPE_NAME}
    assert names == {kind.name for kind in MESSAGE_KINDS} == set(MODELS)
    assert len(names) == 19


def test_transfer_notified_ships_four_versions() -> None:
    assert [str(v) for v in sorted(MODELS["transfer.notified"])] == ["1.0", "1.1", "2.0", "2.1"]


def test_every_schema_is_valid_2020_12_with_its_own_id() -> None:
    assert evolution.check_metaschema(DOCUMENTS) == []


def test_every_schema_has_a_title_a_description_and_valid_examples() -> None:
    assert all(document["title"] and document["description"] for document in DOCUMENTS.values())
    assert evolution.check_examples(DOCUMENTS) == []


def test_every_object_in_every_schema_is_closed() -> None:
    for key, document in DOCUMENTS.items():
        for pointer, schema in evolution._subschemas(document, ""):
            if schema.get("type") == "object" and "properties" in schema:
                assert schema.get("additionalProperties") is False, (key, pointer)


def test_released_files_are_unchanged() -> None:
    assert evolution.check_released(default_schema_root()) == []


def test_a_changed_released_file_is_caught(tmp_path: Path) -> None:
    root = _copy_schemas(tmp_path)
    path = root / "transfer.cancelled" / "1.0.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace("The move is off", "Off"), encoding="utf-8"
    )
    assert evolution.check_released(root) == [
        "transfer.cancelled/1.0.json changed after release; add a new version instead"
    ]


def test_an_unreleased_file_is_reported(tmp_path: Path) -> None:
    root = _copy_schemas(tmp_path)
    (root / "transfer.cancelled" / "1.1.json").write_text("{}", encoding="utf-8")
    assert evolution.check_released(root) == ["transfer.cancelled/1.1.json is not released yet"]


def test_minor_versions_only_add_optional_properties() -> None:
    assert evolution.check_minor_versions(DOCUMENTS) == []


def test_a_minor_version_that_adds_a_required_property_is_caught() -> None:
    documents = dict(DOCUMENTS)
    changed = _mutable(DOCUMENTS[NOTIFIED_1_1])
    changed["required"].append("interpreter_language")
    documents[NOTIFIED_1_1] = changed
    assert evolution.check_minor_versions(documents) == [
        "transfer.notified 1.1: /required changed: a minor version adds only optional properties"
    ]


def test_a_minor_version_that_changes_a_type_or_removes_a_property_is_caught() -> None:
    documents = dict(DOCUMENTS)
    changed = _mutable(DOCUMENTS[NOTIFIED_1_1])
    changed["$defs"]["Contact"]["properties"]["phone"]["type"] = "integer"
    del changed["properties"]["contact"]
    documents[NOTIFIED_1_1] = changed
    assert evolution.check_minor_versions(documents) == [
        "transfer.notified 1.1: /$defs/Contact/properties/phone/type changed",
        "transfer.notified 1.1: /properties/contact removed",
    ]


def test_a_minor_version_that_adds_a_constraint_is_caught() -> None:
    documents = dict(DOCUMENTS)
    changed = _mutable(DOCUMENTS[NOTIFIED_1_1])
    changed["$defs"]["Contact"]["properties"]["name"]["pattern"] = "^[A-Z]"
    documents[NOTIFIED_1_1] = changed
    assert evolution.check_minor_versions(documents) == [
        "transfer.notified 1.1: /$defs/Contact/properties/name/pattern added"
    ]


def test_every_major_version_has_an_upcaster_and_an_expresser() -> None:
    assert evolution.check_major_versions(DOCUMENTS) == []


def test_a_major_version_without_an_upcaster_is_caught() -> None:
    documents = dict(DOCUMENTS)
    documents[("transfer.cancelled", Version(2, 0))] = DOCUMENTS[
        ("transfer.cancelled", Version(1, 0))
    ]
    assert evolution.check_major_versions(documents) == [
        "transfer.cancelled 2.x has no upcaster from 1.x",
        "transfer.cancelled 2.x has no expresser into 1.x",
    ]


def test_files_are_exactly_what_the_models_generate() -> None:
    assert evolution.check_models_in_step(DOCUMENTS) == []


def test_a_file_out_of_step_with_its_model_is_caught() -> None:
    documents = dict(DOCUMENTS)
    changed = _mutable(DOCUMENTS[NOTIFIED_1_0])
    changed["properties"]["risk_level"]["description"] = "Something else."
    documents[NOTIFIED_1_0] = changed
    assert evolution.check_models_in_step(documents) == [
        "transfer.notified 1.0: the model differs from the file; release a new version"
    ]


def test_no_schema_admits_floats_or_unbounded_integers() -> None:
    assert evolution.check_number_domain(DOCUMENTS) == []


def test_a_float_or_unbounded_integer_is_caught() -> None:
    changed = _mutable(DOCUMENTS[("ownership.refused", Version(1, 0))])
    changed["properties"]["reason"] = {"type": "number"}
    del changed["properties"]["epoch"]["maximum"]
    problems = evolution.check_number_domain({("ownership.refused", Version(1, 0)): changed})
    assert problems == [
        "ownership.refused 1.0/properties/reason: admits floats (type number)",
        "ownership.refused 1.0/properties/epoch: integer not bounded within ±(2^53 - 1)",
    ]


def test_the_directory_lists_only_versions_that_exist(directory: ForceDirectory) -> None:
    assert evolution.check_directory(directory, DOCUMENTS) == []


def test_run_checks_passes_on_the_packaged_schemas(directory: ForceDirectory) -> None:
    results = evolution.run_checks(directory=directory)
    assert len(results) == 8
    assert [result.problems for result in results] == [()] * 8


def _copy_schemas(tmp_path: Path) -> Path:
    root = tmp_path / "json"
    for path in default_schema_root().rglob("*.json"):
        target = root / path.relative_to(default_schema_root())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return root


def _mutable(document: Any) -> dict[str, Any]:
    copied: dict[str, Any] = copy.deepcopy(json.loads(json.dumps(document)))
    return copied
