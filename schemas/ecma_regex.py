"""JSON Schema `pattern`s read as ECMA-262 reads them, with Python's `re`.

JSON Schema patterns are ECMA-262 regular expressions, and Python's differ where a sender can
exploit it: `$` also matches before a final newline (`"GMP\\n"` matched `^[A-Z]{2,6}$`), `.`
matches `\\r`, and `\\d`, `\\w` and `\\b` take in other scripts' digits and letters. `translate`
rewrites a pattern so that `re` matches exactly what ECMA-262 (without flags) matches; it
refuses the constructs it cannot rewrite rather than guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LINE_TERMINATORS = "\\n\\r\\u2028\\u2029"
_WHITESPACE = (
    "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_IN_CLASS = {"d": "0-9", "w": "A-Za-z0-9_", "s": _WHITESPACE}
"""ECMA-262's character class escapes, as members of a bracketed class."""


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """The compiled Python equivalent of an ECMA-262 pattern (see `translate`)."""
    return re.compile(translate(pattern), re.ASCII)


def translate(pattern: str) -> str:
    """Python regular-expression text matching what the ECMA-262 `pattern` matches.

    Compile it with `re.ASCII`, which makes `\\b` ECMA's ASCII word boundary. Raises
    `ValueError` for a negated class escape (`\\D`, `\\W`, `\\S`) inside brackets.
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(_escape(pattern[index + 1], in_class=in_class))
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif pattern.startswith(("[]", "[^]"), index):
            # ECMA-262: `[]` matches nothing and `[^]` anything; Python reads `]` as a member
            empty = pattern.startswith("[]", index)
            out.append("(?!)" if empty else r"[\s\S]")
            index += 2 if empty else 3
            continue
        elif char == "[":
            in_class = True
            negated = pattern.startswith("[^", index)
            out.append("[^" if negated else "[")
            index += 2 if negated else 1
            continue
        else:
            out.append({"$": r"\Z", ".": f"[^{_LINE_TERMINATORS}]"}.get(char, char))
        index += 1
    return "".join(out)


def _escape(letter: str, *, in_class: bool) -> str:
    """One `\\x` escape of the pattern, as Python must write it."""
    lower = letter.lower()
    if lower not in _IN_CLASS:
        return "\\" + letter
    members = _IN_CLASS[lower]
    negated = letter != lower
    if not in_class:
        return f"[^{members}]" if negated else f"[{members}]"
    if negated:
        msg = f"\\{letter} inside a bracketed class is not supported"
        raise ValueError(msg)
    return members
