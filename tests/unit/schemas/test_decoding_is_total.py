"""Decoding is total: whatever a sender writes, the registry and the inbox decoder either
accept it or refuse it with a reason of their own, and `message check` answers in one line.

Nothing else may come out: a `ValueError`, a `KeyError` or an `OverflowError` escaping a
decoder would stop the inbox partition behind it (the processor would dead-letter it as
`internal-error`, but that is our fault, and these tests say none is left).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consumers.decoding import InboxDecoder
from consumers.inbox_processor import Accepted
from consumers.records import InboxRecord
from consumers.refusal import INTERNAL_ERROR, Refused
from interforce.cli import message
from schemas.directory import ForceDirectory
from schemas.ecma_regex import ecma_regex
from schemas.envelope import Envelope
from schemas.errors import REJECTIONS, CheckFailed, MessageRejected
from schemas.models import MODELS
from schemas.registry import ReceivedMessage, Registry
from schemas.safe_text import DETAIL_LIMIT
from schemas.schema_set import SchemaSet
from schemas.version import Version
from tests.corpus import load_corpus
from tests.corpus.generate import signed, unsigned
from tests.keys import key_path
from tests.support.hostile_json import (
    Literal,
    Members,
    json_values,
    mutated,
    to_json,
    with_extreme_leaf,
)
from tests.unit.schemas.conftest import NOW

REASONS = frozenset(rejection.reason for rejection in REJECTIONS)
ENVELOPES = [
    signed(unsigned(name, str(version)))
    for name, versions in MODELS.items()
    for version in versions
]
SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RUNNER = CliRunner()
GMP_KEY = key_path("gmp-2024")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@pytest.fixture(scope="module")
def decoder(directory: ForceDirectory, schema_set: SchemaSet) -> InboxDecoder:
    return InboxDecoder(
        lambda found: Registry(found, force="WMP", schemas=schema_set, clock=lambda: NOW),
        lambda: directory,
        clock=lambda: NOW,
    )


RegistryFor = Callable[[str | None], Registry]


def assert_accepted_or_refused(registry: Registry, decoder: InboxDecoder, raw: bytes) -> None:
    """The registry returns a message or raises a rejection of its own, bounded and escaped;
    the inbox decoder, translation and all, returns a command or raises `Refused`."""
    received = registry_outcome(registry, raw)
    if isinstance(received, MessageRejected):
        assert received.reason in REASONS
        assert_safe(str(received))
    decoded = decoder_outcome(decoder, raw)
    if isinstance(decoded, Refused):
        assert decoded.reason != INTERNAL_ERROR
        assert_safe(decoded.detail)
        if isinstance(received, ReceivedMessage):  # valid, but not a type this node handles
            assert decoded.reason == "unhandled-type"
    event(decoded.reason if isinstance(decoded, Refused) else "accepted")


def registry_outcome(registry: Registry, raw: bytes) -> ReceivedMessage | MessageRejected:
    try:
        return registry.receive(raw)
    except MessageRejected as rejection:
        return rejection


def decoder_outcome(decoder: InboxDecoder, raw: bytes) -> Accepted[Any] | Refused:
    try:
        return decoder(InboxRecord("interforce.wmp.inbox", 0, 0, None, raw))
    except Refused as refusal:
        return refusal


def assert_safe(text: str) -> None:
    """A refusal's text may be logged and stored: a few hundred characters, no control ones."""
    assert len(text) <= 2 * DETAIL_LIMIT
    assert _CONTROL.search(text) is None


def resigned(document: Any) -> bytes:
    """The document signed again as GMP when it can be, so mutations reach past the signature."""
    if isinstance(document, dict) and document.get("source") == "GMP":
        try:
            return to_json(signed(document)).encode("utf-8", "surrogatepass")
        except (rfc8785.CanonicalizationError, ValueError, TypeError, KeyError):
            pass  # not signable (a lone surrogate, a huge integer): sent as it is
    return to_json(document).encode("utf-8", "surrogatepass")


@SETTINGS
@given(raw=st.binary(max_size=4096))
@example(raw=b'{"epoch": ' + b"9" * 5000 + b"}")
@example(raw=b'"\\u0000"')
def test_arbitrary_bytes_are_accepted_or_refused(
    registry_for: RegistryFor, decoder: InboxDecoder, raw: bytes
) -> None:
    assert_accepted_or_refused(registry_for("WMP"), decoder, raw)


@SETTINGS
@given(value=json_values())
def test_arbitrary_json_is_accepted_or_refused(
    registry_for: RegistryFor, decoder: InboxDecoder, value: Any
) -> None:
    raw = to_json(value).encode("utf-8", "surrogatepass")
    assert_accepted_or_refused(registry_for("WMP"), decoder, raw)


@settings(SETTINGS, max_examples=600)
@given(envelope=st.sampled_from(ENVELOPES), data=st.data(), sign_again=st.booleans())
def test_mutated_genuine_envelopes_are_accepted_or_refused(
    registry_for: RegistryFor,
    decoder: InboxDecoder,
    envelope: dict[str, Any],
    data: st.DataObject,
    sign_again: bool,
) -> None:
    document = data.draw(mutated(envelope))
    raw = resigned(document) if sign_again else to_json(document).encode("utf-8", "surrogatepass")
    assert_accepted_or_refused(registry_for("WMP"), decoder, raw)


@settings(SETTINGS, max_examples=400)
@given(envelope=st.sampled_from(ENVELOPES), data=st.data())
def test_genuine_envelopes_with_extreme_values_are_accepted_or_refused(
    registry_for: RegistryFor, decoder: InboxDecoder, envelope: dict[str, Any], data: st.DataObject
) -> None:
    raw = resigned(data.draw(with_extreme_leaf(envelope)))
    assert_accepted_or_refused(registry_for("WMP"), decoder, raw)


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("dataschema", "https://interforce.police.uk/schemas/transfer.cancelled/1.01.json"),
        ("dataschema", "https://interforce.police.uk/schemas/transfer.cancelled/01.0.json"),
        ("epoch", Literal("9" * 5000)),
        ("data", Members((("reason", "x"), ("reason_code", Literal("-" + "1" * 5000))))),
        ("time", "2035-06-15T10:00:00Z"),
        ("source", "GMP\n"),
        ("x" * 60_000, 1),
    ],
    ids=["1.01", "01.0", "huge-epoch", "huge-in-data", "2035", "newline", "long-name"],
)
def test_the_poison_records_found_are_refused(
    registry_for: RegistryFor, decoder: InboxDecoder, member: str, value: Any
) -> None:
    document = {**ENVELOPES[0], member: value}
    for raw in (to_json(document).encode(), resigned(document)):
        with pytest.raises(MessageRejected) as caught:
            registry_for("WMP").receive(raw)
        assert_safe(str(caught.value))


@settings(SETTINGS, max_examples=400)
@given(text=st.text(st.characters(codec="ascii"), max_size=12))
@example(text="1.01")
@example(text="01.0")
@example(text="1.0\n")
@example(text="0001.9999")
def test_the_version_parser_reads_exactly_what_the_envelope_pattern_allows(
    schema_set: SchemaSet, text: str
) -> None:
    url = f"https://interforce.police.uk/schemas/transfer.notified/{text}.json"
    pattern = Envelope.model_json_schema()["properties"]["dataschema"]["pattern"]
    envelope = schema_set.envelope_validator()
    allowed = not any(
        list(error.absolute_path) == ["dataschema"]
        for error in envelope.iter_errors({**ENVELOPES[0], "dataschema": url})
    )
    assert allowed == bool(ecma_regex(pattern).search(url))
    try:
        Version.parse(text)
    except ValueError:
        parsed = False
    else:
        parsed = True
    assert parsed == allowed


@settings(SETTINGS, max_examples=30)
@given(envelope=st.sampled_from(ENVELOPES), data=st.data())
def test_message_check_answers_in_one_line_whatever_the_file(
    tmp_path_factory: pytest.TempPathFactory, envelope: dict[str, Any], data: st.DataObject
) -> None:
    raw = resigned(data.draw(mutated(envelope)))
    path = tmp_path_factory.mktemp("check") / "message.json"
    path.write_bytes(raw)
    assert_one_line_answer(path)
    signing = RUNNER.invoke(message.build(), ["sign", str(path), "--key", str(GMP_KEY)])
    assert signing.exception is None or isinstance(signing.exception, SystemExit)
    assert signing.exit_code in (0, 1, 2)
    assert "Traceback" not in signing.output


def test_message_check_answers_in_one_line_for_every_corpus_file(tmp_path: Path) -> None:
    for case in load_corpus():
        path = tmp_path / "message.json"
        path.write_bytes(case.raw)
        assert_one_line_answer(path, case.recipient)


def assert_one_line_answer(path: Path, as_force: str = "WMP") -> None:
    result = RUNNER.invoke(message.build(), ["check", str(path), "--as", as_force])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    answer = result.stdout if result.exit_code == 0 else result.stderr
    assert answer.count("\n") == 1
    assert not answer.startswith(INTERNAL_ERROR)


POISON_FILES = ["version-1.01", "epoch-5000-digits", "nul-in-signed-reason"]


def test_the_installed_command_answers_the_poison_files_in_one_line(tmp_path: Path) -> None:
    cases = [case for case in load_corpus() if any(s in case.name for s in POISON_FILES)]
    assert len(cases) == len(POISON_FILES)
    for case in cases:
        path = tmp_path / "message.json"
        path.write_bytes(case.raw)
        done = subprocess.run(
            [sys.executable, "-m", "interforce", "message", "check", str(path), "--as", "WMP"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (1, ""), done.stderr
        assert done.stderr.startswith(f"{case.reason}: ")
        assert done.stderr.count("\n") == 1


def test_message_check_reports_a_fault_of_its_own_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_registry: Registry, _raw: bytes) -> ReceivedMessage:
        raise KeyError("a bug\nwith a second line")

    monkeypatch.setattr(Registry, "receive", broken)
    path = tmp_path / "message.json"
    path.write_bytes(json.dumps(ENVELOPES[0]).encode())
    result = RUNNER.invoke(message.build(), ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("internal-error: KeyError while checking: ")
    assert result.stderr.count("\n") == 1


def test_message_check_of_a_missing_file_says_so_in_one_line(tmp_path: Path) -> None:
    result = RUNNER.invoke(message.build(), ["check", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot read ")
    assert "Traceback" not in result.output


def test_a_message_within_the_clock_skew_is_accepted_and_beyond_it_refused(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    def sent_at(ahead: timedelta) -> bytes:
        envelope = unsigned("transfer.cancelled", label=str(ahead))
        envelope["time"] = (NOW + ahead).isoformat().replace("+00:00", "Z")
        return to_json(signed(envelope)).encode()

    registry = Registry(
        directory,
        force="WMP",
        schemas=schema_set,
        clock=lambda: NOW,
        max_clock_skew=timedelta(seconds=60),
    )
    assert registry.receive(sent_at(timedelta(seconds=60))).message_type == "transfer.cancelled"
    with pytest.raises(MessageRejected) as caught:
        registry.receive(sent_at(timedelta(seconds=61)))
    assert (caught.value.reason, caught.value.pointer) == ("time-skew", "/time")
    late = Registry(directory, force="WMP", schemas=schema_set, clock=lambda: NOW + timedelta(1))
    assert late.receive(sent_at(timedelta(seconds=61))).message_type == "transfer.cancelled"


def test_the_decoder_stamps_each_command_with_its_arrival(
    directory: ForceDirectory, schema_set: SchemaSet
) -> None:
    arrived = datetime(2025, 6, 15, 10, 3, tzinfo=UTC)
    decoder = InboxDecoder(
        lambda found: Registry(found, force="WMP", schemas=schema_set, clock=lambda: arrived),
        lambda: directory,
        clock=lambda: arrived,
    )
    envelope = unsigned("transfer.notified", label="stamped")
    envelope["time"] = "2025-06-15T10:04:00Z"  # the sender's clock runs a minute ahead
    accepted = decoder(InboxRecord("t", 0, 0, None, to_json(signed(envelope)).encode()))
    command = accepted.message
    assert command.received_at == arrived
    assert command.clock_starts_at == arrived


def test_message_check_with_a_broken_directory_says_so_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "directory.json"
    broken.write_text('{"forces": [{"code": "GMP\\n"}]}', encoding="utf-8")
    path = tmp_path / "message.json"
    path.write_bytes(json.dumps(ENVELOPES[0]).encode())
    result = RUNNER.invoke(message.build(), ["check", str(path), "--directory", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot read the force directory {broken}: ")
    assert result.stderr.count("\n") == 1


def test_a_fault_of_ours_inside_the_registry_is_refused_as_internal_error(
    directory: ForceDirectory, schema_set: SchemaSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_upcast(*_args: object) -> dict[str, Any]:
        raise ZeroDivisionError("an upcaster bug")

    monkeypatch.setattr("schemas.registry.upcast", broken_upcast)
    registry = Registry(directory, force="WMP", schemas=schema_set, clock=lambda: NOW)
    raw = to_json(ENVELOPES[0]).encode()
    with pytest.raises(CheckFailed) as caught:
        registry.receive(raw)
    assert caught.value.reason == INTERNAL_ERROR
    assert caught.value.detail == "ZeroDivisionError while checking: an upcaster bug"
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    decoder = InboxDecoder(lambda _found: registry, lambda: directory, clock=lambda: NOW)
    with pytest.raises(Refused) as refused:
        decoder(InboxRecord("interforce.wmp.inbox", 0, 0, None, raw))
    assert refused.value.reason == INTERNAL_ERROR
    assert isinstance(refused.value.fault, ZeroDivisionError)  # its traceback is logged once
