"""Running a long-lived process's main coroutine on the event loop its settings choose."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import uvloop

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T], loop: Literal["uvloop", "asyncio"]) -> T:
    """Run `main` to completion on a new event loop of the kind named."""
    if loop == "uvloop":
        return uvloop.run(main)
    return asyncio.run(main)
