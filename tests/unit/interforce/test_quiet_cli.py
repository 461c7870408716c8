"""What a coordinator's terminal shows: plain words, one warning a cause, no traceback.

A casework command says what happened in words ("transfer started"), not class names; a
key folder shared by several forces is one warning, not one a file; and the command logs
warnings only unless `INTERFORCE_LOG_LEVEL` asks for more, which must name a level.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from interforce.cli.desk import in_words
from interforce.logging_setup import LEVELS, UnknownLogLevelError, log_level
from interforce.settings import Settings
from producers.keyring import KeyRing
from tests.keys import key_path


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("TransferStarted", "transfer started"),
        ("OwnershipChanged", "ownership changed"),
        ("RegisterOffender", "register offender"),
        ("WarrantMayBeConsidered", "warrant may be considered"),
    ],
)
def test_a_class_name_is_said_in_words(name: str, words: str) -> None:
    assert in_words(name) == words


@given(st.text(max_size=30) | st.sampled_from(LEVELS).map(str.lower))
def test_a_level_is_known_or_refused_by_name(name: str) -> None:
    if name.strip().upper() in LEVELS:
        assert log_level(name) == name.strip().upper()
        return
    with pytest.raises(UnknownLogLevelError, match=r"INTERFORCE_LOG_LEVEL: .* is not a level"):
        log_level(name)


def test_settings_refuse_a_level_that_is_not_one() -> None:
    with pytest.raises(ValidationError, match="must be one of DEBUG"):
        Settings(log_level="LOUD")
    assert Settings(log_level="debug").log_level == "DEBUG"


def test_a_shared_key_folder_is_one_warning_naming_the_other_forces(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for kid in ("wmp-2024", "gmp-2024", "mps-2024", "mps-2026"):
        shutil.copyfile(key_path(kid), tmp_path / f"{kid}.json")
    with caplog.at_level(logging.WARNING, logger="producers.keyring"):
        ring = KeyRing("WMP", folder=tmp_path, interval=0)
    assert [key.kid for key in ring.keys] == ["wmp-2024"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "ignored 3 key file(s) of other forces (GMP, MPS): only WMP's keys sign here"
    ]


def _interforce(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interforce", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unknown_log_level_is_one_line_and_exit_2() -> None:
    done = _interforce("transfer", "authorities", INTERFORCE_LOG_LEVEL="LOUD")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: INTERFORCE_LOG_LEVEL: 'LOUD' is not a level;"
        " use one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    ]
    assert "Traceback" not in done.stderr


def test_a_command_logs_warnings_only_unless_asked() -> None:
    probe = (
        "import logging, sys\n"
        "from interforce.cli import main\n"
        "sys.argv = ['interforce', 'transfer', 'authorities']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    print(logging.getLevelName(logging.getLogger().level), file=sys.stderr)\n"
    )
    quiet = subprocess.run(
        [sys.executable, "-c", probe],
        env={k: v for k, v in os.environ.items() if k != "INTERFORCE_LOG_LEVEL"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    loud = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "INTERFORCE_LOG_LEVEL": "info"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert quiet.stderr.strip().splitlines()[-1] == "WARNING"
    assert loud.stderr.strip().splitlines()[-1] == "INFO"
