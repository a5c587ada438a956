"""Each benchmark script runs with a small N and prints its table, so none rots; the figures themselves are
taken by running the scripts (bench/README.md), never asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
RUNS = {
    "keyword_cost.py": ["--quick"],
    "event_latency.py": ["--quick"],
    "agents_per_process.py": ["--agents", "3", "--idle", "1"],
    "simulator_capacity.py": ["--agents", "20", "--seconds", "1"],
    "queues.py": ["--agents", "30", "--skills", "5", "--waiting", "50", "--operations", "200"],
    "suite_wall_time.py": ["--rounds", "1", "--suite", "Sign In", "--suite", "Queries"],
    "console_latency.py": ["--quick"],
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_script_runs_and_prints_its_table(script: str) -> None:
    run = subprocess.run([sys.executable, str(BENCH / script), *RUNS[script]], capture_output=True, text=True,
                         timeout=300, check=False, cwd=BENCH.parent)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "load average" in run.stdout and run.stdout.count("\n") >= 5, run.stdout
