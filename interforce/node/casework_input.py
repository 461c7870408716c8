"""What a coordinator types is checked before it becomes a record that could never be sent.

Every message a node receives has passed the wire's schemas; a local command (the CLI, the
dashboard) has not. A reference the envelope refuses, a NUL that PostgreSQL cannot store, or
a name thousands of characters long would make a record that no transfer could ever carry, so
each is refused here, with the field named and the value not echoed.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from functools import cache
from re import Pattern
from typing import Any

from ownership.domain.commands import Command, RegisterOffender
from ownership.domain.errors import InvalidDetailsError
from schemas.ecma_regex import ecma_regex
from schemas.files import load_schema_documents
from schemas.schema_set import ENVELOPE_KEY

LONGEST_TEXT = 2000
"""The longest free text any message body carries (`maxLength` in the schemas)."""


@cache
def reference_pattern() -> Pattern[str]:
    """The envelope's `subject` pattern, as the receiving forces' validators apply it."""
    envelope = load_schema_documents()[ENVELOPE_KEY]
    return ecma_regex(envelope["properties"]["subject"]["pattern"])


def refuse_unfit_input(command: Command) -> None:
    """Raise `InvalidDetailsError` for a reference or a text no message could carry."""
    if isinstance(command, RegisterOffender) and not reference_pattern().search(command.reference):
        msg = (
            "the reference must be 4 to 32 capital letters, digits, '-' or '/',"
            " starting with a letter or digit (e.g. GMP-2026-000101)"
        )
        raise InvalidDetailsError(msg)
    for path, text in texts_in(command):
        _check_text(path, text)


def texts_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a command's fields, with the dotted path that names it."""
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        yield path or "value", value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            name = f"{path}.{field.name}" if path else field.name
            yield from texts_in(getattr(value, field.name), name)
    elif isinstance(value, list | tuple | frozenset | set):
        for index, item in enumerate(value):
            yield from texts_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{path}.{key}")


def _check_text(path: str, text: str) -> None:
    if len(text) > LONGEST_TEXT:
        msg = f"{path} is {len(text)} characters; at most {LONGEST_TEXT} can be sent"
        raise InvalidDetailsError(msg)
    for char in text:
        if char == "\x00" or "\ud800" <= char <= "\udfff":
            raise InvalidDetailsError(f"{path} holds a character that cannot be stored")
        if (char < " " and char not in "\n\r\t") or char == "\x7f":
            raise InvalidDetailsError(f"{path} holds a control character ({ord(char):#04x})")
