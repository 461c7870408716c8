"""SCRAM passwords the project generates: one file per user, mode 0600, never printed."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

PASSWORD_BYTES = 32


def private_file(path: Path, content: bytes) -> None:
    """Write `content` to `path`, readable by its owner only from the moment it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    temporary.replace(path)


def password_file(folder: Path, user: str) -> Path:
    """Where `user`'s password is kept."""
    return folder / f"{user}.password"


def ensure_passwords(folder: Path, users: Iterable[str]) -> list[str]:
    """Generate a password for every user that has none yet; return the users given one."""
    created = []
    for user in users:
        path = password_file(folder, user)
        if path.exists():
            path.chmod(0o600)
            continue
        private_file(path, (secrets.token_urlsafe(PASSWORD_BYTES) + "\n").encode())
        created.append(user)
    return created
