"""Whether a node may trust its force directory: configured, and free of published keys.

Outside development mode a node needs a directory of its own (`INTERFORCE_DIRECTORY`), and
that directory may list no key whose private half ships with interforce (`tests/keys`):
anyone with a copy of the repository could sign as the force it is given to. The packaged
directory lists only such keys, so it serves the demo, the bench and the tests, never a
deployment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from interforce.node.published_keys import PUBLISHED_TEST_KEYS
from interforce.settings import Settings
from schemas.directory import ForceDirectory

DEVELOPMENT_HINT = "or INTERFORCE_ENVIRONMENT=development to use test keys"


class UntrustedDirectoryError(ValueError):
    """The directory would make the node trust keys that anyone can sign with."""


def published_kids(directory: ForceDirectory) -> list[str]:
    """The ids of the directory's keys whose private halves are published with interforce."""
    return [
        key.kid
        for force in directory.forces
        for key in force.keys
        if key.public_key in PUBLISHED_TEST_KEYS
    ]


def require_configured_directory(settings: Settings) -> None:
    """Refuse, outside development mode, to fall back on the packaged test directory."""
    if settings.environment != "development" and settings.directory is None:
        msg = (
            "INTERFORCE_DIRECTORY is not set: set it to your federation's directory file"
            f" ({DEVELOPMENT_HINT} and the packaged directory)"
        )
        raise UntrustedDirectoryError(msg)


def refuse_published_keys(path: Path) -> Callable[[ForceDirectory], None]:
    """A check of `path`'s directory, for when it is first read and each time it is read again.

    It raises `UntrustedDirectoryError` for a directory that lists a published key.
    """

    def check(directory: ForceDirectory) -> None:
        kids = published_kids(directory)
        if kids:
            shown = ", ".join(kids[:3]) + (f" and {len(kids) - 3} more" if len(kids) > 3 else "")
            msg = (
                f"the directory {path} lists keys whose private halves ship with interforce"
                f" ({shown}): give your forces their own keys ({DEVELOPMENT_HINT})"
            )
            raise UntrustedDirectoryError(msg)

    return check
