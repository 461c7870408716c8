"""Several forces' nodes in one process: `python -m tooling.bench.host WMP,GMP,...`.

Forty-four node processes do not fit two cores: each is a Python interpreter with its own
event loop, imports and Kafka clients. The federation bench runs the forces' nodes a few
processes at a time instead; each force keeps its own database, topics, key and `Node`.
The settings come from the environment (`INTERFORCE_*`); the keys from `INTERFORCE_BENCH_KEYS`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from interforce import event_loop
from interforce.logging_setup import configure_logging
from interforce.node.identity import load_identity
from interforce.node.runtime import Node
from interforce.settings import Settings
from tooling.bench.signing_keys import key_file

READY = "bench host: every node started"

log = logging.getLogger(__name__)


async def host(forces: list[str], keys: Path) -> None:
    """Start a node per force, report readiness, run until SIGTERM, then stop them all."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    nodes = []
    for force in forces:
        settings = Settings(force=force, signing_key=key_file(keys, force))
        node = Node(settings, load_identity(settings))
        await node.start()
        nodes.append(node)
    print(READY, flush=True)
    await stopping.wait()
    await asyncio.gather(*(node.stop() for node in nodes))


def main() -> None:
    configure_logging()
    hosted = host(sys.argv[1].split(","), Path(os.environ["INTERFORCE_BENCH_KEYS"]))
    event_loop.run(hosted, Settings().event_loop)


if __name__ == "__main__":
    main()
