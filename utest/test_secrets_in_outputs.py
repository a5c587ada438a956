"""The three-party suite at TRACE level leaves no password or Guid in output.xml, log.html or the console."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from CCGatewayLibrary.secrets import GUID_PATTERN, find_leaks
from CCGatewayLibrary.simulator.roster import Roster

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "atest" / "suites" / "three_party_call.robot"


def test_trace_level_run_leaks_no_secret(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "robot", "--loglevel", "TRACE", "--outputdir", str(tmp_path),
         "--pythonpath", str(REPO), str(SUITE)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    console = run.stdout + run.stderr
    assert run.returncode == 0, console
    output = (tmp_path / "output.xml").read_text(encoding="utf-8")
    log = (tmp_path / "log.html").read_text(encoding="utf-8")
    # The run really exercised secrets: a sign-in with a password and Guid-carrying requests.
    assert "Sign In Agent" in output and "Guid" in output
    password = Roster.load().password_of("101")
    for name, text in (("output.xml", output), ("log.html", log), ("console", console)):
        assert find_leaks(text, [password]) == [], f"secret in {name}"


def test_leak_scan_catches_planted_values() -> None:
    guid = "0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway0"
    assert GUID_PATTERN.search(f"header Guid: {guid}")
    assert len(find_leaks(f"pw=hunter22 guid={guid}", ["hunter22"])) == 2
