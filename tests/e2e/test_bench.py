"""`interforce bench --quick` runs against the real broker and database and writes its JSON.

The figures themselves are not asserted: targets are measured by the bench, never by a test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REQUIRED = (
    ("node", "throughput_msg_s"),
    ("node", "latency_ms", "p50"),
    ("node", "latency_ms", "p99"),
    ("node", "rss_mb"),
    ("ratios", "node_vs_asyncpg"),
    ("ratios", "node_vs_aiokafka"),
    ("node_two_processes", "throughput_msg_s"),
    ("node_two_processes", "largest_process_rss_mb", "median"),
    ("ratios", "two_processes", "node_vs_asyncpg"),
    ("cli", "help_s"),
    ("cli", "ratio_to_python"),
)


def test_bench_quick_writes_its_results_and_chart(
    kafka_bootstrap: str, postgres_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "bench.json"
    env = {
        **os.environ,
        "INTERFORCE_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "INTERFORCE_DATABASE_URL": postgres_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "interforce", "bench", "--quick", "--processes", "2",
         "--output", str(output)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(output.read_text())
    for path in REQUIRED:
        value = results
        for key in path:
            value = value[key]
        assert isinstance(value, int | float), path
        assert value > 0, path
    assert results["federation"]["all_invariants_hold"]
    assert output.with_suffix(".png").stat().st_size > 0
    assert "== CLI start" in done.stdout
    assert "== node end to end (one process)" in done.stdout
    assert "== node end to end (two processes: inbox and relay)" in done.stdout
    assert results["node"]["processes"] == 1
    assert results["node_two_processes"]["processes"] == 2
