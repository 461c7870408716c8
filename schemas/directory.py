"""The force directory: every force's code, name, topics, public keys and supported versions.

The packaged file is the test and demo federation (its keys' private halves are under `tests/`);
a deployment points the loader at its own file.
"""

from __future__ import annotations

import difflib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from schemas.version import Version

log = logging.getLogger(__name__)


class _DirectoryModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DirectoryKey(_DirectoryModel):
    """One public key of a force, usable for messages whose `time` is in its window."""

    kid: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key: str = Field(pattern=r"^[A-Za-z0-9_-]{43}$", description="Raw key, base64url.")
    not_before: AwareDatetime
    not_after: AwareDatetime
    revoked_at: AwareDatetime | None = None

    def revoked(self, now: datetime) -> bool:
        """Whether the revocation has taken effect by `now`."""
        return self.revoked_at is not None and self.revoked_at <= now

    def signs_at(self, when: datetime, now: datetime) -> bool:
        """Whether a message whose `time` is `when` may be signed with this key at `now`."""
        return self.not_before <= when < self.not_after and not self.revoked(now)


class ForceEntry(_DirectoryModel):
    """A police force taking part in the federation."""

    code: str = Field(pattern=r"^[A-Z]{2,6}$")
    name: str = Field(min_length=1)
    inbox: str
    dead_letter: str
    keys: tuple[DirectoryKey, ...] = Field(min_length=1)
    supports: dict[str, tuple[str, ...]] = Field(
        description="Message type → the versions this force accepts."
    )

    @model_validator(mode="after")
    def _topics_follow_the_code(self) -> ForceEntry:
        prefix = f"interforce.{self.code.lower()}"
        if (self.inbox, self.dead_letter) != (f"{prefix}.inbox", f"{prefix}.dlq"):
            msg = f"{self.code}: topics must be {prefix}.inbox and {prefix}.dlq"
            raise ValueError(msg)
        for versions in self.supports.values():
            for text in versions:
                Version.parse_exact(text)
        return self

    def supported_versions(self, message_type: str) -> tuple[Version, ...]:
        """The versions of a type this force accepts, lowest first."""
        return tuple(sorted(Version.parse(text) for text in self.supports.get(message_type, ())))


class ExternalAuthority(_DirectoryModel):
    """An authority outside the federation that runs no node: nothing is sent to it.

    An offender moving to its area is handed over by hand (the owner records how the
    authority was told, its acknowledgement and its acceptance), and the committed record
    is then managed by it.
    """

    code: str = Field(pattern=r"^[A-Z]{2,6}$")
    name: str = Field(min_length=1)
    covers: str = Field(min_length=1, description="The area or cases it takes over.")
    runs_node: Literal[False] = False


class ForceDirectory(_DirectoryModel):
    """Every force, and every external authority, with lookups by code and by key id."""

    forces: tuple[ForceEntry, ...]
    authorities: tuple[ExternalAuthority, ...] = ()

    @model_validator(mode="after")
    def _codes_and_key_ids_are_unique(self) -> ForceDirectory:
        codes = [force.code for force in self.forces]
        codes += [authority.code for authority in self.authorities]
        kids = [key.kid for force in self.forces for key in force.keys]
        if len(set(codes)) != len(codes) or len(set(kids)) != len(kids):
            msg = "force codes and key ids must each be unique"
            raise ValueError(msg)
        return self

    def force(self, code: str) -> ForceEntry | None:
        """The force with this code, if listed."""
        return self._by_code.get(code)

    def authority(self, code: str) -> ExternalAuthority | None:
        """The external authority with this code, if listed."""
        return next((a for a in self.authorities if a.code == code), None)

    def nearest_codes(self, code: str, limit: int = 3) -> tuple[str, ...]:
        """The listed codes (forces and authorities) closest to a code that is not listed.

        Codes that begin with ``code``, or that ``code`` begins with, come first; then codes
        whose name holds ``code`` as a word ("Scotland"); then the closest by difflib.
        """
        wanted = code.strip().upper()
        listed = [force.code for force in self.forces] + [a.code for a in self.authorities]
        prefixed = [c for c in listed if wanted and (c.startswith(wanted) or wanted.startswith(c))]
        close = difflib.get_close_matches(wanted, listed, n=limit, cutoff=0.5)
        names = [(f.code, f.name) for f in self.forces] + [
            (a.code, a.name) for a in self.authorities
        ]
        named = [c for c, name in names if len(wanted) >= 3 and wanted in name.upper().split()]
        found = dict.fromkeys([*sorted(prefixed, key=len), *named, *close])
        return tuple(found)[:limit]

    def key(self, kid: str) -> tuple[ForceEntry, DirectoryKey] | None:
        """The force holding the key with this id, and the key, if listed."""
        return self._by_kid.get(kid)

    # Indexes built once from `forces`: a directory is frozen, so they cannot go stale (make a
    # new directory from other forces; a `model_copy` would carry these indexes over).
    @cached_property
    def _by_code(self) -> dict[str, ForceEntry]:
        return {force.code: force for force in self.forces}

    @cached_property
    def _by_kid(self) -> dict[str, tuple[ForceEntry, DirectoryKey]]:
        return {key.kid: (force, key) for force in self.forces for key in force.keys}


def default_directory_path() -> Path:
    """The force directory packaged with `schemas`."""
    return Path(str(resources.files("schemas"))) / "data" / "directory.json"


@lru_cache(maxsize=4)
def load_directory(path: Path | None = None) -> ForceDirectory:
    """Read and check a force directory file (the packaged one by default)."""
    source = path or default_directory_path()
    return ForceDirectory.model_validate_json(source.read_bytes())


class WatchedDirectory:
    """A directory file that is read again when it changes, so a new key needs no restart.

    `current()` looks at the file's modification time at most every `interval` seconds and
    reads it again when that changed. A file that fails to parse, or that `check` refuses
    (by raising `ValueError`), keeps the last good one.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        interval: float = 5.0,
        check: Callable[[ForceDirectory], None] | None = None,
    ) -> None:
        self._path = path or default_directory_path()
        self._interval = interval
        self._check = check
        self._stamp = _stamp(self._path)
        self._directory = self._read()
        self._checked = time.monotonic()
        self.reload_error: str | None = None

    @property
    def path(self) -> Path:
        return self._path

    def current(self) -> ForceDirectory:
        """The directory as the file now stands (at most `interval` seconds old)."""
        now = time.monotonic()
        if now - self._checked < self._interval:
            return self._directory
        self._checked = now
        try:
            stamp = _stamp(self._path)
            if stamp != self._stamp:
                self._directory = self._read()
                self._stamp = stamp
                self.reload_error = None
        except (OSError, ValueError) as error:
            if self.reload_error is None:
                log.error(
                    "directory %s not read again, the last good one stays: %s", self._path, error
                )
            self.reload_error = f"{self._path}: {error}"
        return self._directory

    def _read(self) -> ForceDirectory:
        directory = ForceDirectory.model_validate_json(self._path.read_bytes())
        if self._check is not None:
            self._check(directory)
        return directory


def _stamp(path: Path) -> tuple[int, int, int]:
    """What changes when the file is rewritten (a rename brings a new inode)."""
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, status.st_size
