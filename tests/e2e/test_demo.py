"""`interforce demo` plays every scenario across five node processes and every invariant holds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_the_demo_plays_every_scenario_and_its_invariants_hold(
    kafka_bootstrap: str, postgres_url: str
) -> None:
    env = {
        **os.environ,
        "INTERFORCE_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "INTERFORCE_DATABASE_URL": postgres_url,
    }
    demo = subprocess.run(
        [sys.executable, "-m", "interforce", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout[-4000:] + demo.stderr[-4000:]
    assert "Every invariant holds" in demo.stdout
    for scenario in range(1, 10):
        assert f"\n== {scenario}. " in demo.stdout
    assert "refuses it (signature-invalid)" in demo.stdout
    assert "dashboard (GMP): http://127.0.0.1:" in demo.stdout
