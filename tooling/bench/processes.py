"""Node processes for the bench, and what they cost: CPU seconds and resident memory."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from tooling.bench.context import BenchContext
from tooling.bench.signing_keys import key_file


def node_env(context: BenchContext, namespace: str, **extra: str) -> dict[str, str]:
    """The environment of a node process in one of the bench's namespaces."""
    return {
        **os.environ,
        # the bench signs with test keys (tests/keys or --keys) and the packaged directory
        "INTERFORCE_ENVIRONMENT": "development",
        "INTERFORCE_NAMESPACE": namespace,
        "INTERFORCE_DATABASE_NAMESPACE": namespace,
        "INTERFORCE_KAFKA_BOOTSTRAP": context.bootstrap,
        "INTERFORCE_DATABASE_URL": context.server_url,
        "INTERFORCE_RELAY_POLL_SECONDS": "0.5",
        "INTERFORCE_SCHEDULER_INTERVAL_SECONDS": "0",
        "INTERFORCE_RECONCILE_INTERVAL_SECONDS": "0",
        **extra,
    }


@dataclass
class Spawned:
    """A process the bench started, its log, and its CPU and memory as it runs."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def ps(self) -> psutil.Process:
        return psutil.Process(self.process.pid)

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss_mb(self) -> float:
        return float(self.ps.memory_info().rss) / 2**20

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM (the node commits its batch and exits), then wait; kill only if it hangs."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


def spawn(args: Sequence[str], env: dict[str, str], log: Path) -> Spawned:
    """Start `python <args>` with its output in `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return Spawned(process, log)


def spawn_node(
    context: BenchContext, namespace: str, force: str, log: Path, parts: str = "all"
) -> Spawned:
    """`interforce node run` for `force`, signing with its key from the bench's key folder;
    `parts`: what the process runs (`INTERFORCE_NODE_PARTS`)."""
    env = node_env(
        context,
        namespace,
        INTERFORCE_FORCE=force,
        INTERFORCE_SIGNING_KEY=str(key_file(context.keys, force)),
        INTERFORCE_NODE_PARTS=parts,
    )
    return spawn(["-m", "interforce", "node", "run"], env, log)


@dataclass
class NodeProcesses:
    """One force's node as one process (`all`) or two (`inbox` and `relay`), counted together."""

    processes: list[Spawned]

    @classmethod
    def spawn(
        cls, context: BenchContext, namespace: str, force: str, log: Path, count: int
    ) -> NodeProcesses:
        if count == 1:
            return cls([spawn_node(context, namespace, force, log)])
        return cls(
            [
                spawn_node(context, namespace, force, log, parts="inbox"),
                spawn_node(context, namespace, force, log.with_suffix(".relay.log"), "relay"),
            ]
        )

    def cpu_seconds(self) -> float:
        return sum(process.cpu_seconds() for process in self.processes)

    def rss_mb(self) -> float:
        """Resident memory of every process together."""
        return sum(process.rss_mb() for process in self.processes)

    def largest_rss_mb(self) -> float:
        return max(process.rss_mb() for process in self.processes)

    def alive(self) -> bool:
        return all(process.alive() for process in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()

    def log_tail(self) -> str:
        return "\n".join(process.log_tail() for process in self.processes)


def service_cpu_seconds(context: BenchContext) -> dict[str, float]:
    """CPU seconds used so far by the local Kafka broker and PostgreSQL (server and backends).

    Found by the pid files of `services up`; PostgreSQL counts every backend, so work by others
    on the same server in the same interval is counted too.
    """
    home = context.settings.services_dir
    kafka = _pid(home / "kafka" / "kafka.pid")
    postmaster = _pid(home / "postgres" / "data" / "postmaster.pid")
    return {
        "kafka": _cpu([kafka] if kafka else []),
        "postgresql": _cpu(_with_children(postmaster) if postmaster else []),
    }


def _pid(pid_file: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(pid_file.read_text().split()[0])
    return None


def _with_children(pid: int) -> list[int]:
    with contextlib.suppress(psutil.Error):
        return [pid, *(child.pid for child in psutil.Process(pid).children())]
    return []


def _cpu(pids: Sequence[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += float(times.user + times.system)
    return total
