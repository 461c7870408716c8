"""A node's signing keys: one key file, or a folder of them of which the newest valid one signs.

With a folder (INTERFORCE_SIGNING_KEYS_DIR), `interforce keys rotate` can drop a new key in
while the node runs: the key ring looks at the folder again when it changes, and each message
is signed with the newest key that the directory lists as valid at the message's `time` and
not revoked now. Nothing needs a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from schemas.directory import ForceDirectory
from schemas.signing import SigningKey, load_signing_key

log = logging.getLogger(__name__)


class NoSigningKeyError(RuntimeError):
    """No key of this force is listed as valid for the message's time."""


class KeyRing:
    """This force's private keys, chosen per message against the current directory."""

    def __init__(
        self,
        force: str,
        *,
        files: Sequence[Path] = (),
        folder: Path | None = None,
        interval: float = 5.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._force = force
        self._files = tuple(files)
        self._folder = folder
        self._interval = interval
        self._clock = clock
        self._stamp: tuple[tuple[str, int], ...] | None = None
        self._checked = float("-inf")
        self._keys: tuple[SigningKey, ...] = ()
        self.refresh()
        if not self._keys:
            where = folder if folder is not None else ", ".join(map(str, files))
            raise NoSigningKeyError(f"no signing key of {force} in {where}")

    @property
    def keys(self) -> tuple[SigningKey, ...]:
        return self._keys

    def refresh(self) -> None:
        """Read the key files again if the folder changed (at most every `interval` s)."""
        now = time.monotonic()
        if now - self._checked < self._interval:
            return
        self._checked = now
        paths = self._paths()
        stamp = tuple((str(path), path.stat().st_mtime_ns) for path in paths)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        keys: list[SigningKey] = []
        others: list[SigningKey] = []
        for path in paths:
            key = load_signing_key(path)
            (keys if key.force == self._force else others).append(key)
        if others:
            log.warning(
                "ignored %d key file(s) of other forces (%s): only %s's keys sign here",
                len(others), _some(sorted({k.force for k in others})), self._force,
            )  # fmt: skip
        self._keys = tuple(keys)
        log.info("signing keys of %s: %s", self._force, ", ".join(k.kid for k in keys))

    def for_message(self, directory: ForceDirectory, when: datetime) -> SigningKey:
        """The newest key the directory lists as valid at `when` and not revoked now."""
        now = self._clock()
        usable = []
        for key in self._keys:
            found = directory.key(key.kid)
            if found is None or found[0].code != self._force:
                continue
            listed = found[1]
            if listed.signs_at(when, now):
                usable.append((listed.not_before, key.kid, key))
        if not usable:
            msg = f"no key of {self._force} is valid for a message of {when.isoformat()}"
            raise NoSigningKeyError(msg)
        return max(usable, key=lambda item: (item[0], item[1]))[2]

    def _paths(self) -> list[Path]:
        if self._folder is None:
            return list(self._files)
        return sorted(self._folder.glob("*.json")) + list(self._files)


def _some(names: list[str], shown: int = 5) -> str:
    """The first `shown` names, and how many more."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
