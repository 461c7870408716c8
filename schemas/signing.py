"""Ed25519 signatures over the RFC 8785 canonical JSON of an envelope without `signature`.

Keys are read, written and made with `cryptography`. Each signature is made and checked with
libsodium (PyNaCl), which does both in half the time: Ed25519 is deterministic, so the two
write the same signature byte for byte (a test holds them to it), and libsodium's check is
the stricter one (it also refuses non-canonical encodings and small-order keys).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing
import rfc8785
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from canonical.json import canonical_json


@dataclass(frozen=True)
class SigningKey:
    """A force's private key and its id in the force directory."""

    kid: str
    force: str
    private_key: Ed25519PrivateKey

    def public_key_text(self) -> str:
        """The public half as the force directory writes it."""
        return public_key_text(self.private_key.public_key())


def canonical_bytes(envelope: Mapping[str, Any], *, plain: bool | None = None) -> bytes:
    """RFC 8785 canonical JSON of the envelope without its `signature` member.

    `plain`: whether the whole envelope is plain (`canonical.json.is_plain`), if known.
    """
    unsigned = {name: value for name, value in envelope.items() if name != "signature"}
    return canonical_json(unsigned, plain=plain)


def sign_envelope(
    envelope: Mapping[str, Any], key: SigningKey, *, plain: bool | None = None
) -> dict[str, Any]:
    """A copy of the envelope with `kid` set to the key's id and a fresh `signature`."""
    signed = {name: value for name, value in envelope.items() if name != "signature"}
    signed["kid"] = key.kid
    message = canonical_bytes(signed, plain=plain)
    signed["signature"] = _b64encode(_sodium_signing_key(key.private_key).sign(message).signature)
    return signed


def sign_bytes(message: bytes, key: SigningKey) -> bytes:
    """The key's raw 64-byte Ed25519 signature of `message` (audit seals and checkpoints)."""
    signature: bytes = _sodium_signing_key(key.private_key).sign(message).signature
    return signature


def public_key_bytes(text: str) -> bytes:
    """The raw 32 bytes of a public key written by `public_key_text`; `ValueError` if not one."""
    return parse_public_key(text).public_bytes_raw()


def signature_verifies(
    envelope: Mapping[str, Any], public_key: Ed25519PublicKey, *, plain: bool | None = None
) -> bool:
    """Whether the envelope's `signature` is the key's signature of its canonical form."""
    try:
        signature = _b64decode(str(envelope["signature"]))
        message = canonical_bytes(envelope, plain=plain)
        _sodium_verify_key(public_key).verify(message, signature)
    except (
        nacl.exceptions.BadSignatureError,
        nacl.exceptions.ValueError,
        binascii.Error,
        ValueError,
        KeyError,
        rfc8785.CanonicalizationError,
    ):
        return False
    return True


def _sodium_signing_key(private_key: Ed25519PrivateKey) -> nacl.signing.SigningKey:
    return _sodium_signing_key_of(private_key.private_bytes_raw())


def _sodium_verify_key(public_key: Ed25519PublicKey) -> nacl.signing.VerifyKey:
    return _sodium_verify_key_of(public_key.public_bytes_raw())


@lru_cache(maxsize=256)
def _sodium_signing_key_of(seed: bytes) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(seed)


@lru_cache(maxsize=256)
def _sodium_verify_key_of(raw: bytes) -> nacl.signing.VerifyKey:
    return nacl.signing.VerifyKey(raw)


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key, base64url without padding."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64encode(raw)


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key written by `public_key_text`; `ValueError` if it is not one."""
    try:
        return Ed25519PublicKey.from_public_bytes(_b64decode(text))
    except binascii.Error as error:
        raise ValueError(str(error)) from None


def load_signing_key(path: Path) -> SigningKey:
    """Read a key file: JSON with `kid`, `force` and `private_key` (PKCS#8 PEM, unencrypted)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    private_key = serialization.load_pem_private_key(
        document["private_key"].encode("ascii"), password=None
    )
    if not isinstance(private_key, Ed25519PrivateKey):
        msg = f"{path} does not hold an Ed25519 private key"
        raise ValueError(msg)
    return SigningKey(kid=document["kid"], force=document["force"], private_key=private_key)


def dump_signing_key(key: SigningKey) -> str:
    """The text of a key file that `load_signing_key` reads back."""
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return json.dumps({"kid": key.kid, "force": key.force, "private_key": pem}, indent=2) + "\n"


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
