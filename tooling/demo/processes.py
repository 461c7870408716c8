"""The demo's force nodes: one `interforce node run` process per force."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tooling.services.process import free_port


@dataclass
class NodeProcess:
    """A force's node process, its environment, log file and health endpoint."""

    force: str
    env: dict[str, str]
    log_file: Path
    health_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, **self.env, "INTERFORCE_HEALTH_PORT": str(self.health_port)}
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "interforce", "node", "run", "--force", self.force],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def healthy(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.health_port}/health"
            with urllib.request.urlopen(url, timeout=2) as answer:
                return bool(json.loads(answer.read()).get("healthy"))
        except OSError:
            return False

    def wait_healthy(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        while not self.healthy():
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the {self.force} node exited; see {self.log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.force} node is not healthy; see {self.log_file}")
            time.sleep(0.2)

    def pause(self) -> None:
        """SIGSTOP: the node neither reads nor sends until `resume`."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def stop(self) -> int:
        """SIGTERM and wait: in-flight work commits; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self._signal(signal.SIGCONT)
        self._signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def _signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)
