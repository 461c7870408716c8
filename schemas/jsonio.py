"""Strict reading of message bytes: one UTF-8 I-JSON object, nothing a signature could hide in."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NoReturn

from schemas.errors import MessageNotJson, TextNotStorable
from schemas.validation import json_pointer

MAX_DEPTH = 32
"""Deepest nesting accepted; the deepest message body nests about six levels."""

MAX_INTEGER_DIGITS = 100
"""Longest integer literal read as an `int`; no schema allows one beyond 16 digits.

Python refuses to read integers of more than a few thousand digits (`sys.int_info`), and how
many depends on the interpreter's settings; a longer literal is read as a `Decimal` instead.
"""


def parse_message_bytes(raw: bytes) -> Any:
    """Parse bytes as I-JSON (RFC 7493), or raise `MessageNotJson` (or `TextNotStorable`).

    Numbers with a fraction or exponent, and integers of more than `MAX_INTEGER_DIGITS`
    digits, become `Decimal`, which no schema accepts, so they are refused with a pointer by
    validation rather than silently rounded. A string or member name holding NUL or a lone
    surrogate raises `TextNotStorable`: PostgreSQL could store neither.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MessageNotJson(f"not UTF-8 (byte {error.start})") from None
    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_integer,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_members,
        )
    except json.JSONDecodeError as error:
        raise MessageNotJson(f"{error.msg} (line {error.lineno} column {error.colno})") from None
    except RecursionError:
        raise MessageNotJson("nested too deeply") from None
    _check_structure(value)
    return value


def _integer(literal: str) -> int | Decimal:
    return int(literal) if len(literal.lstrip("-")) <= MAX_INTEGER_DIGITS else Decimal(literal)


def _refuse_constant(name: str) -> NoReturn:
    raise MessageNotJson(f"{name} is not JSON")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise MessageNotJson("an object has a duplicate member name")
    return members


def _check_structure(value: Any) -> None:
    """Refuse nesting deeper than `MAX_DEPTH`, then strings PostgreSQL cannot store."""
    unstorable: str | None = None
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            unstorable = unstorable or _unstorable(item)
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise MessageNotJson(f"nested deeper than {MAX_DEPTH} levels")
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str):
                    unstorable = unstorable or _unstorable(key)
                stack.append((child, depth + 1))
    if unstorable is not None:
        where = _first_unstorable(value, [])
        raise TextNotStorable(f"a string or member name holds {unstorable}", pointer=where)


def _unstorable(text: str) -> str | None:
    """What in `text` PostgreSQL cannot store, if anything."""
    if "\x00" in text:
        return "NUL (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate"
    return None


def _first_unstorable(value: Any, path: list[str | int]) -> str | None:
    """The JSON pointer to the first string or member name that cannot be stored."""
    if isinstance(value, str):
        return json_pointer(path) if _unstorable(value) else None
    if not isinstance(value, dict | list):
        return None
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        if isinstance(key, str) and _unstorable(key):
            return json_pointer([*path, key])
        found = _first_unstorable(child, [*path, key])
        if found is not None:
            return found
    return None
