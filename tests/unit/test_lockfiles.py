"""The lockfiles pin every dependency pyproject.toml names, at a version its bounds allow.

`make install` installs exactly requirements/dev.lock (with hashes); a node's deployment
installs requirements/runtime.lock. A dependency added to pyproject.toml without `make lock`
would be missing from them, and this says which.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def pinned(lockfile: str) -> dict[str, str]:
    """Each package the lockfile pins, by its canonical name, with its version."""
    text = (ROOT / "requirements" / lockfile).read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def requirements(*extras: str) -> list[Requirement]:
    """The project's runtime requirements and those of `extras`, without itself."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    found = [Requirement(line) for line in lines]
    return [r for r in found if canonicalize_name(r.name) != canonicalize_name(project["name"])]


def unpinned(lock: dict[str, str], wanted: list[Requirement]) -> list[str]:
    """What `wanted` names that the lock leaves out or pins outside its bounds."""
    problems = []
    for requirement in wanted:
        version = lock.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name}: not in the lockfile")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version}: outside {requirement.specifier}")
    return problems


@pytest.mark.parametrize(
    ("lockfile", "extras"),
    [("dev.lock", ("local", "bench", "dev")), ("runtime.lock", ())],
)
def test_the_lockfile_pins_every_requirement_within_its_bounds(
    lockfile: str, extras: tuple[str, ...]
) -> None:
    assert unpinned(pinned(lockfile), requirements(*extras)) == [], "run `make lock`"


def test_the_runtime_lockfile_holds_no_development_tools() -> None:
    runtime = pinned("runtime.lock")
    tools = {canonicalize_name(r.name) for r in requirements("local", "bench", "dev")}
    tools -= {canonicalize_name(r.name) for r in requirements()}
    assert sorted(tools & runtime.keys()) == []


def test_a_requirement_the_lock_leaves_out_is_named() -> None:
    lock = {"asyncpg": "0.29.0"}
    wanted = [Requirement("asyncpg>=0.30.0"), Requirement("orjson>=3.10")]
    assert unpinned(lock, wanted) == [
        "asyncpg==0.29.0: outside >=0.30.0",
        "orjson: not in the lockfile",
    ]
