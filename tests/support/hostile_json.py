"""Hostile JSON for property tests: what a sender can write that `json.dumps` will not.

Values are built from plain Python values plus three stand-ins for what no JSON library
writes for us: `Members` (an object whose member names may repeat), `Literal` (a number
written exactly as given: 5,000 digits, `1e999999`, `-0`, `NaN`) and strings holding lone
surrogates (written as `\\udxxx` escapes). `to_json` writes them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Members:
    """A JSON object as its members in order; a name may appear twice."""

    pairs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Literal:
    """A number (or a token) written into the JSON exactly as `text`."""

    text: str


def to_json(value: Any) -> str:
    """The JSON text of a value built from plain values, `Members` and `Literal`."""
    if isinstance(value, Literal):
        return value.text
    if isinstance(value, Members):
        return _object(value.pairs)
    if isinstance(value, dict):
        return _object(tuple(value.items()))
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)  # escapes lone surrogates as \udxxx, as a sender may
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, float | Decimal):
        return repr(float(value)) if isinstance(value, float) else str(value)
    msg = f"cannot write {type(value).__name__}"
    raise TypeError(msg)


def _object(pairs: tuple[tuple[str, Any], ...]) -> str:
    return "{" + ",".join(f"{json.dumps(name)}:{to_json(item)}" for name, item in pairs) + "}"


def _integer(value: int) -> str:
    # str() refuses integers of more than 4,300 digits; write them in chunks instead
    if abs(value) < 10**4000:
        return str(value)
    sign, digits = ("-" if value < 0 else ""), []
    rest = abs(value)
    while rest:
        rest, chunk = divmod(rest, 10**1000)
        digits.append(f"{chunk:01000d}")
    return sign + "".join(reversed(digits)).lstrip("0")


def huge_integers() -> st.SearchStrategy[Literal]:
    """Integer literals longer than Python reads by default, or just past 2^53 and 2^64."""
    long_literal = st.builds(
        lambda sign, head, length: Literal(sign + str(head) + "9" * length),
        st.sampled_from(["", "-"]),
        st.integers(1, 9),
        st.integers(4299, 6000),
    )
    edges = st.sampled_from([2**53, 2**53 + 1, 2**63, 2**64, -(2**63) - 1]).map(
        lambda n: Literal(str(n))
    )
    return long_literal | edges


def odd_numbers() -> st.SearchStrategy[Literal]:
    """Numbers and number-like tokens a strict reader must refuse or read exactly."""
    tokens = st.sampled_from(
        [
            "-0",
            "0.0",
            "1e999999999",
            "-1e-999999999",
            "3.0",
            "1E2",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "01",
            "+1",
            ".5",
        ]
    ).map(Literal)
    long_fractions = st.integers(4299, 6000).map(lambda n: Literal("3." + "0" * n + "1"))
    return tokens | long_fractions


def odd_strings() -> st.SearchStrategy[str]:
    """Strings with NUL, line breaks, lone surrogates, look-alikes, or far too long."""
    any_character = st.characters(codec=None, exclude_categories=())
    return st.one_of(
        st.text(any_character, max_size=40),
        st.sampled_from(
            [
                "",
                "\x00",
                "GMP\n",
                "GMP\r\n",
                "WMP\x00",
                "\ud800",
                "a\udfffb",
                "G\u041cP",
                "\u202eGMP",
                "\ufeffGMP",
                "1.01",
                "01.0",
                "2035-06-15T10:00:00Z",
                "9999-12-31T23:59:59-23:59",
                "0001-01-01T00:00:00+23:59",
                "2025-06-15T10:00:00Z\n",
            ]
        ),
        st.integers(1000, 60 * 1024).map(lambda n: "x" * n),
    )


def json_values(leaves: st.SearchStrategy[Any] | None = None) -> st.SearchStrategy[Any]:
    """Any JSON value, with odd numbers and strings among the leaves and repeated members."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        odd_strings(),
        huge_integers(),
        odd_numbers(),
        *([leaves] if leaves is not None else []),
    )

    def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        names = odd_strings() | st.sampled_from(["data", "epoch", "source", "time"])
        pairs = st.lists(st.tuples(names, children), max_size=4)
        return st.lists(children, max_size=4) | pairs.map(lambda p: Members(tuple(p)))

    return st.recursive(scalars, containers, max_leaves=10)


@st.composite
def mutated(draw: st.DrawFn, envelope: dict[str, Any]) -> Any:
    """A copy of `envelope` with one member, at any depth, replaced, dropped or duplicated."""
    document: Any = json.loads(json.dumps(envelope))
    holder, name = draw(_member_of(document))
    action = draw(st.sampled_from(["replace", "drop", "duplicate"]))
    if action == "drop":
        holder.pop(name, None)
        return document
    value = draw(json_values())
    if action == "replace":
        holder[name] = value
        return document
    return _duplicated(document, holder, name, value)


@st.composite
def _member_of(draw: st.DrawFn, document: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """An object somewhere in the document and one of its member names (or a new one)."""
    holder = document
    while True:
        children = [key for key, value in holder.items() if isinstance(value, dict) and value]
        if not children or draw(st.booleans()):
            break
        holder = holder[draw(st.sampled_from(sorted(children)))]
    name = draw(st.sampled_from(sorted(holder)) | odd_strings())
    return holder, name


def _duplicated(document: Any, holder: dict[str, Any], name: str, value: Any) -> Any:
    """The document with `holder`'s member `name` written twice, the second time as `value`."""
    if isinstance(document, dict):
        pairs = [(key, _duplicated(item, holder, name, value)) for key, item in document.items()]
        if document is holder:
            pairs.append((name, value))
        return Members(tuple(pairs))
    return document


def extreme_like(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same kind as `value` at the edges of what a schema may allow."""
    if isinstance(value, bool):
        return st.just(not value)
    if isinstance(value, int):
        return st.sampled_from([0, 1, 2**31, 2**53 - 1, -1])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-29", "1970-01-01"])
    if isinstance(value, str):
        return st.sampled_from(
            ["", " ", value * 40, value + "\u2028" + value, "\u0301" * 3, value.upper()]
        )
    if isinstance(value, list):
        return st.sampled_from([[], value * 30])
    return st.just(value)


@st.composite
def with_extreme_leaf(draw: st.DrawFn, envelope: dict[str, Any]) -> dict[str, Any]:
    """A copy of `envelope` with some leaves of its body set to values at their edges."""
    document: dict[str, Any] = json.loads(json.dumps(envelope))
    for _ in range(draw(st.integers(1, 4))):
        holder: Any = document["data"]
        while True:
            keys = sorted(holder) if isinstance(holder, dict) else list(range(len(holder)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = holder[key]
            if isinstance(child, dict | list) and child and draw(st.integers(0, 3)):
                holder = child
                continue
            holder[key] = draw(extreme_like(child))
            break
    return document
