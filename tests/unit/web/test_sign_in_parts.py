"""Passwords, sign-in throttling, the session key and where a sign-in may send you."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from interforce.settings import Settings
from interforce.web.auth import _safe_next
from interforce.web.passwords import WeakPasswordError, hash_password, verify_password
from interforce.web.secrets_source import SessionSecretError, session_secret
from interforce.web.throttle import SignInThrottle


def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    encoded = hash_password("a long enough password")
    assert encoded.startswith("$argon2id$")
    assert verify_password(encoded, "a long enough password")
    assert not verify_password(encoded, "another password!!")
    assert not verify_password("not a hash", "a long enough password")
    with pytest.raises(WeakPasswordError):
        hash_password("short")


def test_the_throttle_blocks_after_repeated_failures_until_the_window_passes() -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    throttle = SignInThrottle(3, timedelta(minutes=15), lambda: now[0])
    for _ in range(3):
        assert not throttle.blocked("user:a", "client:1")
        throttle.failed("user:a", "client:1")
    assert throttle.blocked("user:a")
    assert throttle.blocked("user:b", "client:1")  # the same address, another account
    now[0] += timedelta(minutes=16)
    assert not throttle.blocked("user:a", "client:1")
    throttle.failed("user:a")
    throttle.succeeded("user:a")
    assert not throttle.blocked("user:a")


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [("/overdue", "/overdue"), (None, "/"), ("https://evil.example/", "/"),
     ("//evil.example", "/"), ("/\\evil.example", "/")],
)  # fmt: skip
def test_a_sign_in_returns_only_to_a_page_of_this_site(asked: str | None, sent_to: str) -> None:
    assert _safe_next(asked) == sent_to


def test_the_session_key_comes_from_the_settings_or_a_file(tmp_path: Path) -> None:
    key = "k" * 40
    assert session_secret(Settings(web_session_secret=SecretStr(key))) == key
    (tmp_path / "key").write_text(key + "\n")
    assert session_secret(Settings(web_session_secret_file=tmp_path / "key")) == key
    with pytest.raises(SessionSecretError):
        session_secret(Settings(web_session_secret=SecretStr("short")))
    assert len(session_secret(Settings())) >= 32
