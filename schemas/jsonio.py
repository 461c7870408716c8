"""Strict reading of message bytes: one UTF-8 I-JSON object, nothing a signature could hide in."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NoReturn

from schemas.errors import MessageNotJson

MAX_DEPTH = 32
"""Deepest nesting accepted; the deepest message body nests about six levels."""


def parse_message_bytes(raw: bytes) -> Any:
    """Parse bytes as I-JSON (RFC 7493) or raise `MessageNotJson`.

    Numbers with a fraction or exponent become `Decimal`, which no schema accepts, so they are
    refused with a pointer by validation rather than silently rounded.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MessageNotJson(f"not UTF-8 (byte {error.start})") from None
    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_members,
        )
    except json.JSONDecodeError as error:
        raise MessageNotJson(f"{error.msg} (line {error.lineno} column {error.colno})") from None
    except RecursionError:
        raise MessageNotJson("nested too deeply") from None
    _check_structure(value)
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise MessageNotJson(f"{name} is not JSON")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise MessageNotJson("an object has a duplicate member name")
    return members


def _check_structure(value: Any) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and strings that are not Unicode (lone surrogates)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise MessageNotJson(f"nested deeper than {MAX_DEPTH} levels")
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((child, depth + 1))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MessageNotJson("a string holds a lone surrogate") from None
