"""Force nodes as real processes (`interforce node run`), for end-to-end and fault tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.keys import current_kid, key_path
from tooling.services.process import free_port


@dataclass
class Federation:
    """Where a test federation lives: its namespace, services and log folder."""

    namespace: str
    kafka_bootstrap: str
    postgres_url: str
    logs: Path
    database_namespace: str | None = None
    force_env: Callable[[str], dict[str, str]] = lambda _force: {}

    def env(self, force: str, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            **self.force_env(force),
            "INTERFORCE_ENVIRONMENT": "development",
            "INTERFORCE_NAMESPACE": self.namespace,
            "INTERFORCE_DATABASE_NAMESPACE": self.database_namespace or self.namespace,
            "INTERFORCE_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "INTERFORCE_DATABASE_URL": self.postgres_url,
            "INTERFORCE_SIGNING_KEY": str(key_path(current_kid(force))),
            "INTERFORCE_LOG_FORMAT": "json",
            "INTERFORCE_RELAY_POLL_SECONDS": "0.5",
            **extra,
        }


@dataclass
class NodeProcess:
    """One `interforce node run --force X` process and its health endpoint."""

    federation: Federation
    force: str
    instance: int = 1
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    settings: dict[str, str] = field(default_factory=dict)
    """More `INTERFORCE_*` variables for this node, e.g. its dashboard's port."""

    @property
    def log_file(self) -> Path:
        return self.federation.logs / f"{self.force.lower()}-{self.instance}.log"

    def start(self) -> NodeProcess:
        env = self.federation.env(
            self.force, INTERFORCE_HEALTH_PORT=str(self.port), **self.settings
        )
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "interforce", "node", "run", "--force", self.force],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def health(self) -> dict[str, object] | None:
        """The node's health report, or None while it is not answering."""
        try:
            url = f"http://127.0.0.1:{self.port}/health"
            with urllib.request.urlopen(url, timeout=2) as answer:
                report: dict[str, object] = json.loads(answer.read())
                return report
        except OSError:
            return None

    def answer(self, path: str = "/health") -> tuple[int, dict[str, object]] | None:
        """The HTTP status and report of one of the health endpoint's paths, or None while
        the node is not answering."""
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())
        except OSError:
            return None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as an orchestrator stops a node; returns the exit code."""
        return self._signal(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        self._signal(signal.SIGKILL, 30)

    def _signal(self, signum: int, timeout: float) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)

    def troubles(self, lines: int = 30, width: int = 400) -> str:
        """The last `lines` warnings and errors the node logged, each cut to `width`."""
        try:
            logged = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        kept = [line[:width] for line in logged if _is_trouble(line)]
        return "\n".join(kept[-lines:]) or "(no warnings or errors)"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _is_trouble(line: str) -> bool:
    """Whether a JSON log line is a warning or worse (a line that is not JSON counts)."""
    try:
        level = json.loads(line).get("level", "")
    except (ValueError, AttributeError):
        return bool(line.strip())
    return str(level) in {"warning", "error", "critical"}
