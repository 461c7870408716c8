"""Who signs the audit log (the force's keys) and which public keys verify it (the directory).

The node seals with the key ring it signs messages with; a CLI command with the node's key
settings does the same. Verification looks each seal's and checkpoint's `kid` up in the
force directory, so a key rotated out still verifies what it signed while it was in use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from ownership.adapters.audit_signing import AuditKey, AuditSigner, KeyLookup
from producers.keyring import KeyRing, NoSigningKeyError
from schemas.directory import ForceDirectory
from schemas.signing import SigningKey, public_key_bytes, sign_bytes

if TYPE_CHECKING:
    from interforce.node.runtime import NodeIdentity

log = logging.getLogger(__name__)


class KeySigner:
    """Signs with one key."""

    def __init__(self, key: SigningKey) -> None:
        self._key = key

    @property
    def force(self) -> str:
        return self._key.force

    def sign(self, message: bytes) -> tuple[str, bytes]:
        return self._key.kid, sign_bytes(message, self._key)


class KeyRingSigner:
    """Signs with the newest key of the ring that the directory lists as valid now.

    When none is (every window has closed), it signs with the newest listed key not revoked,
    so an overdue rotation never stops the inbox: verification checks revocation, not windows.
    """

    def __init__(
        self,
        force: str,
        keys: KeyRing,
        directory: Callable[[], ForceDirectory],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._force = force
        self._keys = keys
        self._directory = directory
        self._clock = clock

    @property
    def force(self) -> str:
        return self._force

    def sign(self, message: bytes) -> tuple[str, bytes]:
        key = self._key()
        return key.kid, sign_bytes(message, key)

    def _key(self) -> SigningKey:
        self._keys.refresh()
        directory, now = self._directory(), self._clock()
        try:
            return self._keys.for_message(directory, now)
        except NoSigningKeyError:
            listed = [
                (found[1].not_before, key.kid, key)
                for key in self._keys.keys
                if (found := directory.key(key.kid)) is not None
                and found[0].code == self._force
                and not found[1].revoked(now)
            ]
            if not listed:
                raise
            log.warning("no key of %s is in its window: sealing with the newest", self._force)
            return max(listed, key=lambda item: (item[0], item[1]))[2]


def identity_signer(identity: NodeIdentity) -> AuditSigner:
    """The signer of a node: its key ring, or its one key."""
    if identity.keys is None:
        return KeySigner(identity.key)
    return KeyRingSigner(identity.force, identity.keys, identity.current_directory)


def directory_keys(directory: ForceDirectory) -> KeyLookup:
    """The public keys of the directory by kid, with their force and any revocation."""

    @cache
    def lookup(kid: str) -> AuditKey | None:
        found = directory.key(kid)
        if found is None:
            return None
        entry, key = found
        return AuditKey(entry.code, public_key_bytes(key.public_key), key.revoked_at)

    return lookup
