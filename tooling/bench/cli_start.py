"""How long the `interforce` command takes to start: `interforce --help` against `python -c pass`.

Each is run as a fresh process `runs` times after one warm-up run (which fills the page cache
and writes any bytecode), and the median wall time is kept; the ratio says how much the CLI
costs beyond the interpreter's own start.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HELP_TARGET_S = 0.3
"""The start time `interforce --help` should stay under on the bench's machine."""


def cli_command() -> list[str]:
    """The `interforce` console script beside this interpreter, else `python -m interforce`."""
    script = Path(sys.executable).with_name("interforce")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "interforce"]


def measure_cli_start(runs: int) -> dict[str, Any]:
    """The medians of `interforce --help` and `python -c pass` over `runs` runs, and their ratio."""
    help_command = [*cli_command(), "--help"]
    help_s = median_wall_time(help_command, runs)
    python_s = median_wall_time([sys.executable, "-c", "pass"], runs)
    return {
        "command": " ".join(help_command),
        "runs": runs,
        "help_s": round(help_s, 4),
        "python_s": round(python_s, 4),
        "ratio_to_python": round(help_s / python_s, 2),
    }


def median_wall_time(command: Sequence[str], runs: int) -> float:
    """The median wall time of `command` as a fresh process, after one warm-up run."""
    run_once(command)
    return statistics.median(run_once(command) for _ in range(runs))


def run_once(command: Sequence[str]) -> float:
    """The wall time of one run of `command`; `CalledProcessError` if it fails."""
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started
