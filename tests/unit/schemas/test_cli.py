"""`interforce schemas` and `interforce message`, through their Typer sub-apps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interforce.cli import message, schemas
from schemas.models import MODELS
from schemas.version import Version
from tests.corpus import load_corpus
from tests.corpus.generate import unsigned
from tests.keys import key_path

RUNNER = CliRunner()
EXAMPLES = [
    (name, version, index)
    for name, versions in MODELS.items()
    for version in versions
    for index, _ in enumerate(versions[version].model_json_schema()["examples"])
]


@pytest.mark.parametrize(("name", "version", "index"), EXAMPLES, ids=str)
def test_every_example_signed_then_checked_is_ok(
    tmp_path: Path, name: str, version: Version, index: int
) -> None:
    envelope = unsigned(name, str(version))
    envelope["data"] = MODELS[name][version].model_json_schema()["examples"][index]
    draft, signed = tmp_path / "draft.json", tmp_path / "signed.json"
    draft.write_text(json.dumps(envelope), encoding="utf-8")
    sign = RUNNER.invoke(
        message.build(), ["sign", str(draft), "--key", str(key_path("gmp-2024")), "-o", str(signed)]
    )
    assert sign.exit_code == 0, sign.output
    check = RUNNER.invoke(message.build(), ["check", str(signed), "--as", "WMP"])
    assert (check.exit_code, check.stdout) == (0, f"ok {name} {version}\n")


def test_sign_writes_to_stdout_and_fills_the_kid(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(unsigned("transfer.cancelled")), encoding="utf-8")
    result = RUNNER.invoke(
        message.build(), ["sign", str(draft), "--key", str(key_path("gmp-2024"))]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kid"] == "gmp-2024"


def test_sign_refuses_a_key_of_another_force(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(unsigned("transfer.cancelled")), encoding="utf-8")
    result = RUNNER.invoke(
        message.build(), ["sign", str(draft), "--key", str(key_path("wmp-2024"))]
    )
    assert result.exit_code == 1
    assert "source is not WMP" in result.stderr


def test_check_prints_the_reason_and_exits_non_zero(tmp_path: Path) -> None:
    case = next(case for case in load_corpus() if case.reason == "signature-invalid")
    path = tmp_path / "bad.json"
    path.write_bytes(case.raw)
    result = RUNNER.invoke(message.build(), ["check", str(path), "--as", case.recipient])
    assert result.exit_code == 1
    assert result.stderr.startswith("signature-invalid: ")


def test_check_as_another_force_is_misaddressed(tmp_path: Path) -> None:
    case = next(case for case in load_corpus() if case.reason is None)
    path = tmp_path / "good.json"
    path.write_bytes(case.raw)
    result = RUNNER.invoke(message.build(), ["check", str(path), "--as", "MPS"])
    assert (result.exit_code, result.stderr.split(":")[0]) == (1, "misaddressed")


def test_schemas_check_passes() -> None:
    result = RUNNER.invoke(schemas.build(), ["check"])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    assert result.output.count("ok  ") == 8


def test_the_checked_in_docs_are_up_to_date() -> None:
    result = RUNNER.invoke(schemas.build(), ["docs", "--check"])
    assert (result.exit_code, result.output) == (0, "")


def test_docs_writes_the_catalogue_and_asyncapi(tmp_path: Path) -> None:
    result = RUNNER.invoke(schemas.build(), ["docs", "--docs-dir", str(tmp_path)])
    assert result.exit_code == 0
    asyncapi = json.loads((tmp_path / "asyncapi.json").read_text(encoding="utf-8"))
    assert asyncapi["asyncapi"] == "3.0.0"
    assert (
        len([name for name in asyncapi["channels"] if name.startswith("interforce.{force}.inbox:")])
        == 19
    )
    assert "TransferNotifiedMessage" in asyncapi["components"]["schemas"]
    catalogue = (tmp_path / "messages.md").read_text(encoding="utf-8")
    assert all(f"## `{name}`" in catalogue for name in MODELS)


def test_stale_docs_are_reported(tmp_path: Path) -> None:
    (tmp_path / "messages.md").write_text("old\n", encoding="utf-8")
    result = RUNNER.invoke(schemas.build(), ["docs", "--check", "--docs-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "out of date" in result.output


def test_every_command_has_help() -> None:
    for app, commands in (
        (schemas.build(), ["check", "docs", "generate", "release"]),
        (message.build(), ["check", "sign"]),
    ):
        for command in commands:
            result = RUNNER.invoke(app, [command, "--help"])
            assert result.exit_code == 0
            assert len(result.output) > 200
