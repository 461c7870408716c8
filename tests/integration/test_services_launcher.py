"""`interforce services up | status | down` on a services folder and ports of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tooling.services.process import free_port

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "interforce"]


@pytest.fixture(scope="module")
def launcher_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    services_dir = tmp_path_factory.mktemp("services")
    env = {
        **os.environ,
        "INTERFORCE_SERVICES_DIR": str(services_dir),
        "INTERFORCE_KAFKA_PORT": str(free_port()),
        "INTERFORCE_KAFKA_CONTROLLER_PORT": str(free_port()),
        "INTERFORCE_POSTGRES_PORT": str(free_port()),
        "INTERFORCE_KAFKA_HEAP": "256m",
    }
    yield env
    subprocess.run([*CLI, "services", "down"], env=env, capture_output=True, check=False)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "services", *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def processes_using(folder: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"kafka": [], "postgres": []}
    for process in psutil.process_iter(["pid", "cmdline", "name"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if folder not in cmdline:
            continue
        if "kafka.Kafka" in cmdline:
            found["kafka"].append(process.info["pid"])
        elif process.info["name"] == "postgres" and "-D" in cmdline:
            found["postgres"].append(process.info["pid"])
    return found


def test_up_twice_runs_one_of_each_and_status_reports_them(launcher_env: dict[str, str]) -> None:
    first = run(launcher_env, "up")
    assert first.returncode == 0, first.stderr
    second = run(launcher_env, "up")
    assert second.returncode == 0, second.stderr
    assert second.stderr.count("reusing it") == 2

    folder = launcher_env["INTERFORCE_SERVICES_DIR"]
    running = processes_using(folder)
    assert (len(running["kafka"]), len(running["postgres"])) == (1, 1)

    status = run(launcher_env, "status")
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    assert lines[0].split()[:3] == [
        "kafka",
        f"127.0.0.1:{launcher_env['INTERFORCE_KAFKA_PORT']}",
        "up",
    ]
    assert lines[1].split()[:3] == [
        "postgres",
        f"127.0.0.1:{launcher_env['INTERFORCE_POSTGRES_PORT']}",
        "up",
    ]


def test_a_killed_broker_is_brought_back_by_up(launcher_env: dict[str, str]) -> None:
    folder = launcher_env["INTERFORCE_SERVICES_DIR"]
    assert run(launcher_env, "up").returncode == 0
    (broker_pid,) = processes_using(folder)["kafka"]
    os.kill(broker_pid, signal.SIGKILL)
    psutil.Process(broker_pid).wait(timeout=30)

    assert run(launcher_env, "status").returncode == 1
    again = run(launcher_env, "up")
    assert again.returncode == 0, again.stderr
    assert "starting broker" in again.stderr
    (new_pid,) = processes_using(folder)["kafka"]
    assert new_pid != broker_pid
    assert "resolving the broker's jars" not in again.stderr  # the cached jars were reused
    assert (Path(folder) / "kafka" / "libs" / ".resolved-from").is_file()


def test_down_stops_what_up_started(launcher_env: dict[str, str]) -> None:
    assert run(launcher_env, "up").returncode == 0
    down = run(launcher_env, "down")
    assert down.returncode == 0, down.stderr
    assert processes_using(launcher_env["INTERFORCE_SERVICES_DIR"]) == {"kafka": [], "postgres": []}
    status = run(launcher_env, "status")
    assert status.returncode == 1
    assert [line.split()[2] for line in status.stdout.splitlines()] == ["down", "down"]


def test_down_leaves_services_it_did_not_start(launcher_env: dict[str, str]) -> None:
    down = run(launcher_env, "down")
    assert down.returncode == 0
    assert down.stderr.count("not started by interforce") == 2
