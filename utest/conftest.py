"""Fixtures shared by the unit tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from planted import PLANTED_PASSWORD
from simulated_world import Worlds, checked_worlds

from CCGatewayLibrary import CCGatewayLibrary

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def simulated() -> Iterator[CCGatewayLibrary]:
    """The library with the embedded simulator started, as a suite setup would do it; one per test module."""
    library = CCGatewayLibrary(event_timeout=timedelta(seconds=5))
    library.start_gateway_simulator(poll_wait=timedelta(seconds=1))
    yield library
    library.stop_gateway_simulator()


@pytest.fixture(scope="session")
def trace_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Every acceptance suite, two processes, TRACE level, planted passwords: (results folder, console).

    Run once per test session: the secret scan here and the coverage checks in test_atest_coverage.py read it."""
    tmp_path = tmp_path_factory.mktemp("trace-run")
    roster = tmp_path / "roster.json"
    built_in = json.loads((REPO / "CCGatewayLibrary" / "simulator" / "roster.json").read_text(encoding="utf-8"))
    agents = [dict(group, password=PLANTED_PASSWORD) for group in built_in["agents"]]  # same agents and skills
    roster.write_text(json.dumps({**built_in, "agents": agents}), encoding="utf-8")  # and its queues, VDN, IVRs
    results = tmp_path / "results"
    env = dict(os.environ, CCGW_SIM_ROSTER=str(roster), CCGW_AGENT_PASSWORD=PLANTED_PASSWORD)
    run = subprocess.run(
        [sys.executable, str(REPO / "atest" / "run.py"), "--processes", "2", "--loglevel", "TRACE",
         "--outputdir", str(results), "--debugfile", "debug.txt"],
        capture_output=True, text=True, env=env, check=False, cwd=tmp_path,
    )
    console = run.stdout + run.stderr
    assert run.returncode == 0, console[-3000:]
    return results, console


@pytest.fixture
def worlds() -> Iterator[Worlds]:
    """Simulated gateway worlds for a test (utest/simulated_world.py); their breaches fail it at teardown."""
    yield from checked_worlds()
