"""Text from a message made safe to log and store: bounded, with no control characters.

A refusal's detail may quote what a sender wrote (a force code, a version, a key id). It goes
into logs, Kafka headers, the `dead_letters` table and the audit log, so it must never carry a
line break, a terminal escape or a NUL, and never grow with the message: the original bytes
are kept whole in the dead letter itself.
"""

from __future__ import annotations

DETAIL_LIMIT = 400
"""Characters a refusal's detail may hold; a sentence and a short quote fit."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def safe_text(text: str, limit: int = DETAIL_LIMIT) -> str:
    """`text` with every unprintable character escaped as Python writes it (`\\n`, `\\x00`,
    `\\u2028`), cut to at most `limit` characters with a note of how long it was.

    Applying it again changes nothing, so each layer may bound what it passes on.
    """
    head = text[: limit + 1]
    escaped = "".join(char if char.isprintable() else _escaped(char) for char in head)
    if len(text) <= limit and len(escaped) <= limit:
        return escaped
    note = f"... ({len(text)} characters)"
    return escaped[: max(0, limit - len(note))] + note


def _escaped(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
