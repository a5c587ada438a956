"""atest/distributed.py in small: two pabot runs, one test each, both wanting the whole pool at the same time.

Sharing one PabotLib server, the second run waits for the first to give the team back, and the shared gateway
never sees an agent signed in twice. With a server per run (``--separate-pabotlib``) both runs take the same
agents, and the check reports the double sign-in: the assertion can fail."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from robot.api import ExecutionResult

from CCGatewayLibrary.simulator.roster import Roster

REPO = Path(__file__).resolve().parents[1]
HOLD_SECONDS = 4  # each test holds the team this long: both runs overlap even on a loaded machine

SUITE = f"""*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Use Gateway    ${{POOL_GATEWAY_URL}}    ca_bundle=${{POOL_GATEWAY_CA}}
Test Teardown     Sign Out All Agents

*** Test Cases ***
First Team
    Hold The Whole Pool

Second Team
    Hold The Whole Pool

*** Keywords ***
Hold The Whole Pool
    ${{team}}=    Reserve Agents    count=2    deadline=2 min
    Sign In Agent    ${{team}}[0][id]    ${{team}}[0][password]    ${{team}}[0][phone]    alias=one
    Sign In Agent    ${{team}}[1][id]    ${{team}}[1][password]    ${{team}}[1][phone]    alias=two
    Sleep    {HOLD_SECONDS}s
"""


def _run(tmp_path: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    suite, pool = tmp_path / "hold.robot", tmp_path / "pool.json"
    suite.write_text(SUITE, encoding="utf-8")
    pool.write_text(json.dumps({"agents": [
        {"id": "211", "phone": "70211", "password_env": "CCGW_AGENT_PASSWORD"},
        {"id": "212", "phone": "70212", "password_env": "CCGW_AGENT_PASSWORD"}]}), encoding="utf-8")
    results = tmp_path / "results"
    env = dict(os.environ, CCGW_AGENT_POOL=str(pool), CCGW_AGENT_PASSWORD=Roster.load().password_of("211"))
    env.pop("CCGW_SIM_ROSTER", None)
    env.pop("CCGW_POOL_SERVER", None)
    run = subprocess.run([sys.executable, str(REPO / "atest" / "distributed.py"), "--shards", "2", "--processes", "1",
                          "--testlevelsplit", "--outputdir", str(results), *options, str(suite)],
                         capture_output=True, text=True, env=env, check=False, cwd=tmp_path, timeout=300)
    return run, results


def test_two_runs_sharing_one_pabotlib_server_never_sign_an_agent_in_twice(tmp_path: Path) -> None:
    run, results = _run(tmp_path)
    console = run.stdout + run.stderr
    assert run.returncode == 0, console[-3000:]
    assert "Sign-ins on the shared gateway: 211 x2, 212 x2." in console and "No agent was signed in twice." in console
    merged = ExecutionResult(str(results / "output.xml"))
    assert [suite.name for suite in merged.suite.suites] == ["Shard 1", "Shard 2"]  # rebot merged both runs
    assert merged.statistics.total.passed == 2
    waits = [float(m) for m in re.findall(r"Reserved agents 211, 212 in PabotLib at 127\.0\.0\.1:\d+ after ([0-9.]+) s",
                                          (results / "output.xml").read_text(encoding="utf-8"))]
    # One run waited while the other held the whole pool.
    assert len(waits) == 2 and max(waits) >= HOLD_SECONDS / 2, waits


def test_with_a_server_per_run_the_check_reports_the_double_sign_in(tmp_path: Path) -> None:
    run, _ = _run(tmp_path, "--separate-pabotlib")
    assert run.returncode == 1, run.stdout[-3000:]
    assert re.search(r"SIGNED IN TWICE \S+ agent 21[12]: login refused, already signed in \(100-002\)", run.stderr)
