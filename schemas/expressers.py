"""Expressers: named one-step pure functions that write a body in the previous major version.

A producer sends the highest version the recipient lists. When that is an older major, the
current body is expressed in it, one major at a time. An expresser never drops information:
if the older version cannot carry something, it raises `VersionNotExpressibleError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from schemas.errors import VersionNotExpressibleError

Body = dict[str, Any]
Expresser = Callable[[Mapping[str, Any]], Body]


def express_transfer_notified_2_as_1(body: Mapping[str, Any]) -> Body:
    """2.0 → 1.x: `risk` back to a bare `risk_level`, a single contact back to `contact`."""
    risk = body["risk"]
    if set(risk) != {"level"}:
        details = ", ".join(sorted(set(risk) - {"level"}))
        msg = f"transfer.notified 1.x has no place for risk {details}"
        raise VersionNotExpressibleError(msg)
    if len(body["contacts"]) != 1:
        msg = "transfer.notified 1.x carries exactly one contact"
        raise VersionNotExpressibleError(msg)
    expressed = {name: value for name, value in body.items() if name not in {"risk", "contacts"}}
    expressed["risk_level"] = risk["level"]
    expressed["contact"] = body["contacts"][0]
    return expressed


EXPRESSERS: Final[Mapping[tuple[str, int], Expresser]] = MappingProxyType(
    {("transfer.notified", 2): express_transfer_notified_2_as_1}
)
"""(message type, from major) → the expresser into the previous major."""
