"""RFC 8785 canonical JSON, fast for the documents we write and read nearly all the time.

Signatures are made and checked over it (`signing`), and the audit log chains its rows'
hashes over it.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

_SAFE_INTEGER = 2**53 - 1


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of `value`.

    For a document of printable ASCII strings, integers JavaScript holds exactly, booleans and
    nulls (every message we send, nearly every one we get), sorted compact `json.dumps` writes
    the same bytes as the RFC 8785 library, in a fifth of the time: keys then sort the same by
    code point as by UTF-16 unit, and only `"` and `\\` are escaped. Anything else takes the
    library.
    """
    if _canonical_as_json(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("ascii")
    return rfc8785.dumps(value)


def _canonical_as_json(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not (item.isascii() and item.isprintable()):
                return False
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                return False
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            return False
    return True
