"""`interforce keys rotate/revoke` on a directory file, and the key ring that signs with it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interforce.cli.key_commands import build
from interforce.key_rotation import KeyAdminError, revoke, rotate
from producers.keyring import KeyRing, NoSigningKeyError
from schemas.directory import WatchedDirectory, default_directory_path
from tests.keys import key_path

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    path = tmp_path / "directory.json"
    shutil.copyfile(default_directory_path(), path)
    return path


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir()
    shutil.copyfile(key_path("wmp-2024"), folder / "wmp-2024.json")
    return folder


def test_rotate_adds_a_key_with_its_window_and_keeps_the_old_one(
    directory: Path, keys_dir: Path
) -> None:
    rotated = rotate(directory, keys_dir, "WMP", NOW, 90)
    assert rotated.key_file.stat().st_mode & 0o777 == 0o600
    watched = WatchedDirectory(directory, interval=0)
    entry = watched.current().force("WMP")
    assert entry is not None
    kids = [key.kid for key in entry.keys]
    assert "wmp-2024" in kids
    assert kids[-1] == rotated.kid
    assert entry.keys[-1].not_after == NOW + timedelta(days=90)


def test_the_ring_signs_with_the_newest_key_valid_at_the_messages_time(
    directory: Path, keys_dir: Path
) -> None:
    rotated = rotate(directory, keys_dir, "WMP", NOW, 90)
    watched = WatchedDirectory(directory, interval=0)
    ring = KeyRing("WMP", folder=keys_dir, interval=0, clock=lambda: NOW + timedelta(days=1))
    before, after = NOW - timedelta(minutes=1), NOW + timedelta(minutes=1)
    assert ring.for_message(watched.current(), before).kid == "wmp-2024"
    assert ring.for_message(watched.current(), after).kid == rotated.kid

    revoke(directory, "WMP", rotated.kid, NOW + timedelta(hours=1))
    assert ring.for_message(watched.current(), after).kid == "wmp-2024"
    revoke(directory, "WMP", "wmp-2024", NOW)
    with pytest.raises(NoSigningKeyError):
        ring.for_message(watched.current(), after)


def test_the_ring_finds_a_key_dropped_into_its_folder(directory: Path, keys_dir: Path) -> None:
    ring = KeyRing("WMP", folder=keys_dir, interval=0)
    assert [key.kid for key in ring.keys] == ["wmp-2024"]
    rotated = rotate(directory, keys_dir, "WMP", NOW, 90)
    ring.refresh()
    assert sorted(key.kid for key in ring.keys) == sorted(["wmp-2024", rotated.kid])


def test_revoking_an_unknown_key_is_refused(directory: Path) -> None:
    with pytest.raises(KeyAdminError, match="has no key"):
        revoke(directory, "WMP", "gmp-2024", NOW)


def test_the_cli_never_prints_the_private_key(directory: Path, keys_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        build(),
        ["rotate", "--force", "wmp", "--keys-dir", str(keys_dir), "--directory", str(directory),
         "--valid-from", "2026-06-01T00:00:00Z"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "PRIVATE" not in result.output
    kid = result.output.split("new key ", 1)[1].split(",", 1)[0]
    revoked = runner.invoke(
        build(), ["revoke", "--force", "WMP", "--kid", kid, "--directory", str(directory)]
    )
    assert revoked.exit_code == 0, revoked.output
    listed = json.loads(directory.read_text())
    wmp = next(force for force in listed["forces"] if force["code"] == "WMP")
    assert next(key for key in wmp["keys"] if key["kid"] == kid)["revoked_at"]
