"""Schema versions: `<major>.<minor>`, compared numerically."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = "[0-9]{1,4}"
VERSION_PATTERN = rf"{_NUMBER}\.{_NUMBER}"
"""How a version may be written in a `dataschema`: the envelope schema's pattern uses this."""

_VERSION = re.compile(rf"({_NUMBER})\.({_NUMBER})")


@dataclass(frozen=True, order=True)
class Version:
    """A message schema version. A minor version only adds optional fields; a major may break."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Read `1.0`, or anything else the envelope's `dataschema` pattern allows (`01.10`
        is 1.10); raise `ValueError` for the rest. `is_written_as` tells the usual spelling."""
        match = _VERSION.fullmatch(text)
        if match is None:
            msg = f"not a schema version: {text!r}"
            raise ValueError(msg)
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def parse_exact(cls, text: str) -> Version:
        """Read a version written as `str` writes it, with no leading zeros; `ValueError` else.

        Schema files and the force directory name each version exactly one way.
        """
        version = cls.parse(text)
        if not version.is_written_as(text):
            msg = f"not a schema version as written here: {text!r}, write {version}"
            raise ValueError(msg)
        return version

    def is_written_as(self, text: str) -> bool:
        """Whether `text` is this version's one usual spelling (`1.0`, not `01.00`)."""
        return str(self) == text

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"
