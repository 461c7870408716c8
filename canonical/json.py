"""RFC 8785 canonical JSON, fast for the documents we write and read nearly all the time.

Signatures are made and checked over it (`schemas.signing`), and the audit log chains its
rows' hashes over it (`ownership.adapters.audit_log`).

A *plain* document (`is_plain`) has only printable ASCII strings, integers JavaScript holds
exactly, booleans, nulls, objects and arrays: every message we send, nearly every one we get.
Deciding that takes a walk over the document, so a caller that walks it once may pass the
answer on (`plain=`) to every check that would otherwise walk it again: canonical JSON here,
and the quick schema check in `schemas.validation`.
"""

from __future__ import annotations

from typing import Any

import orjson
import rfc8785

_SAFE_INTEGER = 2**53 - 1


def canonical_json(value: Any, *, plain: bool | None = None) -> bytes:
    """RFC 8785 canonical JSON of `value`; `plain`: what `is_plain(value)` says, if known.

    For a plain document, compact JSON with sorted keys (written by orjson) is the same bytes
    as the RFC 8785 library writes, many times faster: keys then sort the same by code point
    as by UTF-16 unit, and only `"` and `\\` are escaped. Anything else takes the library.
    """
    if plain if plain is not None else is_plain(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # a member name that is not a string: the library says
            pass
    return rfc8785.dumps(value)


def is_plain(value: Any) -> bool:
    """Whether `value` is a plain document (see the module's docstring)."""
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
