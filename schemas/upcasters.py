"""Upcasters: named one-step pure functions from one major version of a body to the next.

Consumers apply them in a loop until the body is at the current major, so the domain only ever
sees current models. A minor version needs none: it only adds optional fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from schemas.models import current_version
from schemas.version import Version

Body = dict[str, Any]
Upcaster = Callable[[Mapping[str, Any]], Body]


def upcast_transfer_notified_1_to_2(body: Mapping[str, Any]) -> Body:
    """1.x → 2.0: the bare `risk_level` becomes `risk.level`; the one `contact` heads `contacts`."""
    upcast = {name: value for name, value in body.items() if name not in {"risk_level", "contact"}}
    upcast["risk"] = {"level": body["risk_level"]}
    upcast["contacts"] = [body["contact"]]
    return upcast


UPCASTERS: Final[Mapping[tuple[str, int], Upcaster]] = MappingProxyType(
    {("transfer.notified", 1): upcast_transfer_notified_1_to_2}
)
"""(message type, from major) → the upcaster to the next major."""


def upcast(message_type: str, version: Version, body: Mapping[str, Any]) -> Body:
    """Bring a body valid at `version` up to the current major version of its type."""
    current = dict(body)
    for major in range(version.major, current_version(message_type).major):
        current = UPCASTERS[(message_type, major)](current)
    return current
