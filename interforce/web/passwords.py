"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


class WeakPasswordError(ValueError):
    """A password too short to be allowed."""


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The encoded argon2id hash of a new password; refuses one that is too short."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"a password has at least {MIN_LENGTH} characters")
    return _hasher().hash(password)


def rehash(password: str) -> str:
    """A new hash of a password that has just been verified (no strength check)."""
    return _hasher().hash(password)


def verify_password(encoded: str, password: str) -> bool:
    """Whether ``password`` matches the encoded hash."""
    try:
        return _hasher().verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(encoded)


@cache
def decoy_hash() -> str:
    """A hash to check against when the account does not exist, so timing tells nothing."""
    return _hasher().hash("not a real account's password")
