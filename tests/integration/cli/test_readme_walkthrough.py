"""The README's casework walk-through runs exactly as written, against a real database.

The block after `<!-- walkthrough -->` is run by bash (`set -euo pipefail`) from the
repository's root, with only the database server and a namespace of its own added to the
environment; then the record shows the transfer notified and the notification waits in
GMP's outbox for the node to send.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.cli.test_casework_cli import query
from tests.support.databases import migrated_namespace

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- walkthrough -->\n```sh\n(.*?)\n```", readme, re.DOTALL)
    assert found, "the README has no walk-through block after <!-- walkthrough -->"
    return found.group(1)


def test_the_readme_walkthrough_runs_as_written(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    namespace = migrated_namespace(postgres_url, monkeypatch)
    env = {key: value for key, value in os.environ.items() if not key.startswith("INTERFORCE_")}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "INTERFORCE_DATABASE_URL": postgres_url,
        "INTERFORCE_NAMESPACE": namespace,
    }
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + walkthrough()],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert "GMP-2026-000101: transfer notified" in done.stdout
    assert "a message to WMP: transfer notified" in done.stdout
    shown = subprocess.run(
        ["interforce", "record", "show", "GMP-2026-000101", "--reason", "test", "--json"],
        cwd=ROOT, env=env | {"INTERFORCE_FORCE": "GMP", "INTERFORCE_USER": "dc.shah",
                             "INTERFORCE_ENVIRONMENT": "development"},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    [transfer] = json.loads(shown.stdout)["transfers"]
    assert (transfer["state"], transfer["receiver"]) == ("notified", "WMP")
    rows = query(namespace, postgres_url, "GMP", "select message_type, recipient from outbox")
    assert [(r["message_type"], r["recipient"]) for r in rows] == [("transfer.notified", "WMP")]
