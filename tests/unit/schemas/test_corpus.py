"""The bad-message corpus: each file refused with its own reason; the good ones accepted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from schemas.errors import REJECTIONS, MessageRejected
from schemas.registry import Registry
from tests.corpus import CORPUS_DIR, CorpusCase, load_corpus
from tests.corpus.generate import write_corpus

CASES = load_corpus()
BAD = [case for case in CASES if case.reason is not None]
GOOD = [case for case in CASES if case.reason is None]

RegistryFor = Callable[[str | None], Registry]


def test_the_corpus_has_at_least_sixty_bad_messages_covering_every_reason() -> None:
    assert len(BAD) >= 60
    assert {case.reason for case in BAD} == {rejection.reason for rejection in REJECTIONS}


def test_the_corpus_covers_the_required_kinds_of_fault() -> None:
    slugs = " ".join(case.name for case in BAD)
    for fault in (
        "truncated",
        "extra-property",
        "notified-3.0",
        "tampered-body",
        "forged-with-mps-key",
        "expired-key",
        "addressed-to-mps",
        "padded-to-70k",
        "epoch-string",
        "version-1.01",
        "version-01.0",
        "epoch-5000-digits",
        "huge-integer-deep-in-data",
        "nul-in-signed-reason",
        "lone-surrogate",
        "source-newline",
        "member-name-60k",
        "dated-2035",
    ):
        assert fault in slugs


@pytest.mark.parametrize("case", BAD, ids=lambda case: case.name)
def test_each_bad_message_is_refused_with_its_reason(
    registry_for: RegistryFor, case: CorpusCase
) -> None:
    with pytest.raises(MessageRejected) as caught:
        registry_for(case.recipient).receive(case.raw)
    assert caught.value.reason == case.reason


@pytest.mark.parametrize("case", GOOD, ids=lambda case: case.name)
def test_each_good_message_is_accepted(registry_for: RegistryFor, case: CorpusCase) -> None:
    received = registry_for(case.recipient).receive(case.raw)
    assert (received.message_type, str(received.version)) == (case.message_type, case.version)


def test_the_checked_in_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    regenerated = {
        case.name: (case.raw, case.reason, case.recipient) for case in load_corpus(tmp_path)
    }
    checked_in = {case.name: (case.raw, case.reason, case.recipient) for case in CASES}
    assert regenerated == checked_in
    assert (tmp_path / "manifest.json").read_bytes() == (CORPUS_DIR / "manifest.json").read_bytes()


def test_corpus_file_names_are_unique() -> None:
    assert max(Counter(case.name for case in CASES).values()) == 1
