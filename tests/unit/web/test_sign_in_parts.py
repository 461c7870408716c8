"""Passwords, sign-in throttling, the session key and where a sign-in may send you."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from ipaddress import ip_network
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from interforce.settings import Settings
from interforce.web.auth import _safe_next
from interforce.web.passwords import WeakPasswordError, hash_password, verify_password
from interforce.web.secrets_source import SessionSecretError, session_secret
from interforce.web.throttle import Attempt, Limit, SignInThrottle, limits_reached


def test_passwords_are_hashed_with_argon2id_and_verified() -> None:
    encoded = hash_password("a long enough password")
    assert encoded.startswith("$argon2id$")
    assert verify_password(encoded, "a long enough password")
    assert not verify_password(encoded, "another password!!")
    assert not verify_password("not a hash", "a long enough password")
    with pytest.raises(WeakPasswordError):
        hash_password("short")


def test_a_failure_reports_the_limits_it_reaches() -> None:
    throttle = SignInThrottle(address_attempts=3, account_attempts=5, window=timedelta(minutes=15))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert limits_reached(throttle, Attempt(1, at, account_failures=0, address_failures=0)) == []
    assert limits_reached(throttle, Attempt(1, at, account_failures=1, address_failures=2)) == [
        Limit.ADDRESS
    ]
    assert limits_reached(throttle, Attempt(1, at, account_failures=4, address_failures=0)) == [
        Limit.ACCOUNT
    ]
    assert throttle.attempts(Limit.ADDRESS) == 3
    assert throttle.attempts(Limit.ACCOUNT) == 5


def test_one_address_may_not_be_allowed_enough_failures_to_lock_an_account() -> None:
    with pytest.raises(ValidationError, match="single address could lock"):
        Settings(web_sign_in_attempts=10, web_sign_in_account_attempts=10)
    settings = Settings()
    assert settings.web_sign_in_attempts < settings.web_sign_in_account_attempts


def test_trusted_proxies_are_a_comma_separated_list_of_networks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().web_trusted_proxies == ()
    monkeypatch.setenv("INTERFORCE_WEB_TRUSTED_PROXIES", "10.0.0.5, fd00::/64,192.168.1.0/24")
    assert Settings().web_trusted_proxies == (
        ip_network("10.0.0.5/32"),
        ip_network("fd00::/64"),
        ip_network("192.168.1.0/24"),
    )
    monkeypatch.setenv("INTERFORCE_WEB_TRUSTED_PROXIES", "10.0.0.5,proxy.example")
    with pytest.raises(ValidationError, match=r"proxy\.example"):
        Settings()


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
