"""Schema patterns read as ECMA-262 reads them: Python's `re` agrees with jsonschema-rs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemas.ecma_regex import ecma_regex, translate
from schemas.files import default_schema_root


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(item) for item in node))
    return set()


SCHEMA_FILES = sorted(default_schema_root().glob("*/*.json"))
PATTERNS = sorted(set().union(*(_patterns(json.loads(path.read_text())) for path in SCHEMA_FILES)))


@cache
def _rust(pattern: str) -> Any:
    return jsonschema_rs.validator_for({"type": "string", "pattern": pattern})


def test_the_schemas_have_patterns_to_check() -> None:
    assert len(PATTERNS) >= 10


# ECMA-262's \s takes in U+FEFF and not U+0085 or U+180E; the Rust engine behind
# jsonschema-rs reads Unicode's White_Space. Our translation follows ECMA-262.
_ENGINES_DIFFER = "\x85\u180e\ufeff"


@settings(max_examples=300, deadline=None)
@given(pattern=st.sampled_from(PATTERNS), data=st.data())
@example(pattern=r"^[A-Z]{2,6}$", data=None)
def test_python_reads_each_pattern_as_the_ecma_engine_does(
    pattern: str, data: st.DataObject | None
) -> None:
    texts = ["GMP\n", "GMP", "GMP\r", "G\u041cP"]
    if data is not None:
        seed = data.draw(st.from_regex(ecma_regex(pattern), fullmatch=False))
        # Lone surrogates (category Cs) are left out: the JSON reader refuses a message holding
        # one (schemas/jsonio.py) before any pattern sees it, and Rust cannot be handed one.
        noise = data.draw(st.text(st.characters(codec=None, exclude_categories=["Cs"]), max_size=3))
        texts = [seed, seed + noise, noise + seed, seed + "\n", seed.replace("@", "\n@")]
        if pattern.startswith("^") and pattern.endswith("$"):  # every schema pattern is anchored
            assert not ecma_regex(pattern).search(seed + "\n")
    for text in texts:
        if any(char in _ENGINES_DIFFER for char in text):
            continue
        assert bool(ecma_regex(pattern).search(text)) == _rust(pattern).is_valid(text), text


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^a$", r"^a\Z"),
        ("a.b", "a[^\\n\\r\\u2028\\u2029]b"),
        (r"\d", "[0-9]"),
        (r"[\d.]", "[0-9.]"),
        ("[]", "(?!)"),
        ("[^]", r"[\s\S]"),
        (r"[$]", "[$]"),
        (r"\$", r"\$"),
    ],
)
def test_translation(pattern: str, python: str) -> None:
    assert translate(pattern) == python


def test_a_negated_class_escape_in_brackets_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="not supported"):
        translate(r"[\S]")
