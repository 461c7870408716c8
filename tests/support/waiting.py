"""Wait for a condition that another process or task brings about."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(
    condition: Callable[[], Awaitable[bool]], *, within: float = 60.0, every: float = 0.1
) -> None:
    """Poll `condition` until it holds; fail with TimeoutError after `within` seconds."""
    async with asyncio.timeout(within):
        while not await condition():  # noqa: ASYNC110 - the state lives in another process
            await asyncio.sleep(every)
