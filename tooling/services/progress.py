"""What `services up` tells the person waiting for it."""

from __future__ import annotations

import sys
import time
from typing import Protocol


class Progress(Protocol):
    """Where the launcher reports each step; a CLI prints, a test fixture may log."""

    def step(self, service: str, message: str) -> None: ...


class PrintProgress:
    """Prints each step with the time since the launcher started."""

    def __init__(self) -> None:
        self._started = time.monotonic()

    def step(self, service: str, message: str) -> None:
        elapsed = time.monotonic() - self._started
        print(f"[{elapsed:6.1f}s] {service:<10} {message}", file=sys.stderr, flush=True)
