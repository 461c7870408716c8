"""A tiny HTTP health endpoint: the node's report as JSON, 200 when it holds, else 503.

`GET /health` and `GET /health/ready` answer by `healthy` (ready): the node is doing its work.
`GET /health/live` answers by `live`: the process is not worth restarting while it holds,
even when it is unready (a database away, a partition stalled that a restart will not cure).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Protocol

PROBES = {b"/health": "healthy", b"/health/ready": "ready", b"/health/live": "live"}


class Reports(Protocol):
    async def health(self) -> dict[str, Any]: ...


class HealthServer:
    """Serves the node's health report on host:port."""

    def __init__(self, node: Reports, host: str, port: int) -> None:
        self._node = node
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._answer, self._host, self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), timeout=5)
            target = request.split()[1:2]
            probe = PROBES.get(target[0]) if target else None
            if probe is not None:
                report = await self._node.health()
                status = "200 OK" if report.get(probe) else "503 Service Unavailable"
                body = json.dumps(report, default=str).encode()
            else:
                status, body = "404 Not Found", b'{"error": "try /health"}'
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
