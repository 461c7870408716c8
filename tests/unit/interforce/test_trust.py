"""Outside development mode a node trusts only a configured directory without published keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from interforce.node.identity import IdentityError, load_identity
from interforce.settings import Settings
from schemas.directory import default_directory_path
from tests.keys import key_path
from tests.support.own_keys import add_published_key, directory_of_own_keys


def production(**values: Any) -> Settings:
    return Settings(environment="production", directory_refresh_seconds=0, **values)


def test_the_default_environment_is_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERFORCE_ENVIRONMENT", raising=False)
    assert "INTERFORCE_ENVIRONMENT" not in os.environ
    assert Settings().environment == "production"


def test_without_a_directory_production_refuses_and_names_the_setting() -> None:
    with pytest.raises(IdentityError, match="INTERFORCE_DIRECTORY is not set") as refused:
        load_identity(production(signing_key=key_path("wmp-2024")), "WMP")
    assert "INTERFORCE_ENVIRONMENT=development" in str(refused.value)


def test_a_directory_listing_a_published_key_is_refused(tmp_path: Path) -> None:
    path, files = directory_of_own_keys(tmp_path, ("WMP", "GMP"))
    add_published_key(path, "GMP", "GMP")
    with pytest.raises(IdentityError, match="gmp-2024") as refused:
        load_identity(production(directory=path, signing_key=files["WMP"]), "WMP")
    assert "private halves ship with interforce" in str(refused.value)
    assert "INTERFORCE_ENVIRONMENT=development" in str(refused.value)


def test_a_published_key_is_refused_whatever_its_kid(tmp_path: Path) -> None:
    path, files = directory_of_own_keys(tmp_path, ("WMP", "GMP"))
    add_published_key(path, "GMP", "ASP", kid="renamed-1")
    with pytest.raises(IdentityError, match="renamed-1"):
        load_identity(production(directory=path, signing_key=files["WMP"]), "WMP")


def test_the_packaged_directory_named_explicitly_is_refused() -> None:
    settings = production(directory=default_directory_path(), signing_key=key_path("wmp-2024"))
    with pytest.raises(IdentityError, match=r"and \d+ more"):
        load_identity(settings, "WMP")


def test_a_directory_of_the_forces_own_keys_is_trusted(tmp_path: Path) -> None:
    path, files = directory_of_own_keys(tmp_path, ("WMP", "GMP"))
    identity = load_identity(production(directory=path, signing_key=files["WMP"]), "WMP")
    assert identity.force == "WMP"
    assert identity.key.kid == "wmp-own"


def test_development_mode_trusts_the_packaged_directory() -> None:
    settings = Settings(environment="development", signing_key=key_path("wmp-2024"))
    assert load_identity(settings, "WMP").key.kid == "wmp-2024"


def test_a_published_key_added_while_running_is_not_trusted(tmp_path: Path) -> None:
    path, files = directory_of_own_keys(tmp_path, ("WMP", "GMP"))
    identity = load_identity(production(directory=path, signing_key=files["WMP"]), "WMP")
    path.write_text(default_directory_path().read_text(encoding="utf-8"), encoding="utf-8")
    current = identity.current_directory()
    assert current.key("gmp-2024") is None
    assert current.key("wmp-own") is not None
    assert identity.watched is not None
    assert identity.watched.reload_error is not None
    assert "private halves ship with interforce" in identity.watched.reload_error


def test_an_unreadable_directory_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(IdentityError, match=r"cannot read the directory .*INTERFORCE_DIRECTORY"):
        load_identity(production(directory=missing, signing_key=key_path("wmp-2024")), "WMP")
    broken = tmp_path / "broken.json"
    broken.write_text('{"forces": [{"code": "wmp"}]}', encoding="utf-8")
    with pytest.raises(IdentityError, match=r"is not valid: forces\.0") as refused:
        load_identity(production(directory=broken, signing_key=key_path("wmp-2024")), "WMP")
    assert "\n" not in str(refused.value)
