"""Load who a node is: its force's directory entry and its signing key, checked together."""

from __future__ import annotations

from interforce.node.runtime import NodeIdentity
from interforce.settings import Settings
from schemas.directory import load_directory
from schemas.signing import load_signing_key


class IdentityError(RuntimeError):
    """The force, the directory and the signing key do not fit together."""


def load_identity(settings: Settings, force: str | None = None) -> NodeIdentity:
    """`force` (or INTERFORCE_FORCE): its directory entry and INTERFORCE_SIGNING_KEY, checked."""
    code = (force or settings.force or "").upper()
    if not code:
        raise IdentityError("name the force: --force CODE or INTERFORCE_FORCE")
    directory = load_directory(settings.directory)
    entry = directory.force(code)
    if entry is None:
        raise IdentityError(f"{code} is not a force in the directory")
    if settings.signing_key is None:
        raise IdentityError("INTERFORCE_SIGNING_KEY must name this force's signing key file")
    key = load_signing_key(settings.signing_key)
    if key.force != code:
        raise IdentityError(f"the signing key {key.kid} belongs to {key.force}, not {code}")
    if directory.key(key.kid) is None:
        raise IdentityError(f"the signing key {key.kid} is not listed in the directory")
    return NodeIdentity(entry=entry, key=key, directory=directory)
