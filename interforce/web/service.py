"""The dashboard as a node service: uvicorn serving the app beside the consumer and relay."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import uvicorn

from interforce.settings import Settings
from interforce.web.app import create_app

if TYPE_CHECKING:
    from interforce.node.runtime import Node

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: the node owns SIGTERM and stops us itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class DashboardServer:
    """Serves the coordinators' dashboard on `web_host:web_port` while the node runs."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, node: Node) -> None:
        if node.pool is None:
            raise RuntimeError("the dashboard starts after the node's pool")
        settings = self._settings
        app = create_app(
            node.pool, force=node.identity.force, clock=node.clock, settings=settings,
            signer=node.audit_signer,
        )  # fmt: skip
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            server_header=False,
            proxy_headers=False,
        )
        listener = _listen(settings.web_host, settings.web_port)
        self._server = server = _Server(config)
        self._task = asyncio.create_task(server.serve([listener]), name="dashboard")
        while not server.started:
            if self._task.done():
                await self._task  # raises what stopped it
                raise RuntimeError("the dashboard stopped as it started")
            await asyncio.sleep(0.02)
        log.info("dashboard on http://%s:%d/", settings.web_host, settings.web_port)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket; binding here makes a taken port an error at start, not an exit."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener
