"""Load who a node is: its force's directory entry and its signing keys, checked together."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from interforce.audit.signers import identity_signer
from interforce.node.runtime import NodeIdentity
from interforce.node.trust import (
    UntrustedDirectoryError,
    published_kids,
    refuse_published_keys,
    require_configured_directory,
)
from interforce.problems import validation_problem
from interforce.settings import Settings
from ownership.adapters.audit_signing import AuditSigner
from producers.keyring import KeyRing, NoSigningKeyError
from schemas.directory import WatchedDirectory, default_directory_path

log = logging.getLogger(__name__)


class IdentityError(RuntimeError):
    """The force, the directory and the signing key do not fit together."""


def load_identity(settings: Settings, force: str | None = None) -> NodeIdentity:
    """`force` (or INTERFORCE_FORCE): its directory entry and its keys, checked.

    The keys are INTERFORCE_SIGNING_KEYS_DIR (a folder, for rotation without a restart),
    INTERFORCE_SIGNING_KEY (one file), or both.
    """
    code = (force or settings.force or "").upper()
    if not code:
        raise IdentityError("name the force: --force CODE or INTERFORCE_FORCE")
    watched = _watched_directory(settings)
    directory = watched.current()
    entry = directory.force(code)
    if entry is None:
        raise IdentityError(
            f"{code} is not a force in the directory ({watched.path}): check --force, or"
            " INTERFORCE_DIRECTORY"
        )
    if settings.signing_key is None and settings.signing_keys_dir is None:
        raise IdentityError(
            "INTERFORCE_SIGNING_KEYS_DIR or INTERFORCE_SIGNING_KEY must name this force's keys"
        )
    keys = _key_ring(settings, code)
    listed = [key for key in keys.keys if directory.key(key.kid) is not None]
    if not listed:
        kids = ", ".join(key.kid for key in keys.keys)
        raise IdentityError(f"none of the signing keys ({kids}) is listed in the directory")
    return NodeIdentity(entry=entry, key=listed[0], directory=directory, keys=keys, watched=watched)


def audit_signer(settings: Settings, force: str) -> AuditSigner | None:
    """The force's audit signer from the node's key settings (for CLI commands), or None
    when they name no usable key: rows appended then are unsigned, and `audit verify` will
    report them as it reports rows appended by anyone without the key."""
    if settings.signing_key is None and settings.signing_keys_dir is None:
        return None
    try:
        return identity_signer(load_identity(settings, force))
    except IdentityError:
        return None


def _watched_directory(settings: Settings) -> WatchedDirectory:
    """The directory file, read and checked as trustworthy for this environment."""
    path = settings.directory or default_directory_path()
    try:
        require_configured_directory(settings)
        development = settings.environment == "development"
        check = None if development else refuse_published_keys(path)
        watched = WatchedDirectory(path, interval=settings.directory_refresh_seconds, check=check)
    except UntrustedDirectoryError as error:
        raise IdentityError(str(error)) from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise IdentityError(
            f"cannot read the directory {path} (INTERFORCE_DIRECTORY): {reason}"
        ) from error
    except ValidationError as error:
        problem = validation_problem(error)
        raise IdentityError(
            f"the directory {path} (INTERFORCE_DIRECTORY) is not valid: {problem}"
        ) from error
    if development:
        _warn_of_published_keys(watched)
    return watched


def _warn_of_published_keys(watched: WatchedDirectory) -> None:
    kids = published_kids(watched.current())
    if kids:
        log.warning(
            "development mode: %s lists %d keys whose private halves ship with interforce",
            watched.path,
            len(kids),
        )


def _key_ring(settings: Settings, code: str) -> KeyRing:
    files = [settings.signing_key] if settings.signing_key is not None else []
    try:
        ring = KeyRing(
            code,
            files=files,
            folder=settings.signing_keys_dir,
            interval=settings.directory_refresh_seconds,
        )
    except NoSigningKeyError as error:
        raise IdentityError(str(error)) from error
    except (OSError, ValueError, KeyError) as error:
        raise IdentityError(f"cannot read the signing keys: {error}") from error
    return ring
