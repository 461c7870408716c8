"""Schema versions: `<major>.<minor>`, compared numerically."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$")


@dataclass(frozen=True, order=True)
class Version:
    """A message schema version. A minor version only adds optional fields; a major may break."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version:
        """Read `1.0`; raise `ValueError` for anything that is not `<major>.<minor>`."""
        match = _VERSION.match(text)
        if match is None:
            msg = f"not a schema version: {text!r}"
            raise ValueError(msg)
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"
