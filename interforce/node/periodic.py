"""A node service that runs one job at a fixed interval until the node stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interforce.node.runtime import Node

log = logging.getLogger(__name__)


class Periodic:
    """Runs ``job(node)`` every ``interval`` seconds (first after one interval) until stop."""

    def __init__(self, name: str, interval: float, job: Callable[[Node], Awaitable[object]]):
        self.name = name
        self._interval = interval
        self._job = job
        self._task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()

    async def start(self, node: Node) -> None:
        self._stopped = asyncio.Event()
        self._task = asyncio.create_task(self._loop(node), name=self.name)

    async def stop(self) -> None:
        self._stopped.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=30)

    async def _loop(self, node: Node) -> None:
        while not (self._stopped.is_set() or node.stopping.is_set()):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self._interval)
                return
            try:
                await self._job(node)
            except Exception:
                log.exception("%s failed; trying again in %.0f s", self.name, self._interval)
