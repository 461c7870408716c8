"""`interforce` starts at once: building its command tree loads none of the heavy libraries.

Each check runs in a fresh interpreter, so what the test session imported does not count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = (
    "faststream",
    "aiokafka",
    "asyncpg",
    "jsonschema",
    "jsonschema_rs",
    "matplotlib",
    "starlette",
    "uvloop",
)
"""What only the commands that use them may import: the clients, the validators, the web app."""

ALSO_NOT_FOR_HELP = ("pydantic", "pydantic_settings", "cryptography", "nacl", "rich")
"""Nor does `--help` need settings, keys or Rich's formatting."""

HELP = """\
import sys
from interforce.cli import main
sys.argv = ["interforce", "--help"]
try:
    main()
except SystemExit as done:
    print("\\n".join(sorted(sys.modules)), file=sys.stderr)
    raise
"""


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False
    )


def heavy(modules: str, names: tuple[str, ...]) -> list[str]:
    """The modules (one a line) that are, or are inside, one of `names`."""
    return [module for module in modules.split() if module.split(".")[0] in names]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    done = run_python("-c", "import sys, interforce.cli; print('\\n'.join(sys.modules))")
    assert done.returncode == 0, done.stderr
    assert heavy(done.stdout, HEAVY) == []


def test_help_exits_0_having_loaded_no_heavy_library() -> None:
    done = run_python("-c", HELP)
    assert done.returncode == 0, done.stderr
    assert "Usage: interforce" in done.stdout
    assert heavy(done.stderr, HEAVY + ALSO_NOT_FOR_HELP) == []


def test_the_installed_command_answers_help() -> None:
    command = Path(sys.executable).with_name("interforce")
    done = subprocess.run(
        [str(command), "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "transfer" in done.stdout


def test_the_demo_keys_default_is_the_demo_runners() -> None:
    from interforce.cli import demo
    from tooling.demo.runner import TEST_KEYS

    assert demo.TEST_KEYS == TEST_KEYS
