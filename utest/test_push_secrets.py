"""The push-mode service token is a secret: a Robot run in push mode at TRACE level, with a planted token, leaves
it in none of the files it writes, nor in the console."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import robot

from CCGatewayLibrary.events import push
from CCGatewayLibrary.secrets import find_leaks
from CCGatewayLibrary.simulator.roster import Roster

PLANTED_TOKEN = "PlantedServiceToken0123456789abcdefXYZ"

SUITE = """\
*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Start Gateway Simulator    poll_wait=1s    time_scale=0.02
Suite Teardown    Stop Gateway Simulator

*** Test Cases ***
Pushed Events With A Heartbeat
    Sign In Agent    101    password=${PASSWORD}    phone=70001
    Wait For Event    AgentState_Ready
    Sleep    1.5s    reason=heartbeats carry the token in a header
    Send Heartbeat
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    ${history}=    Get Event History
    Log    ${history}
    ${counters}=    Get Simulator Counters
    Sign Out Agent
"""


def test_a_push_mode_run_at_trace_level_leaks_no_service_token(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "new_token", lambda: PLANTED_TOKEN)
    suite = tmp_path / "pushed.robot"
    suite.write_text(SUITE, encoding="utf-8")
    results = tmp_path / "results"
    console = io.StringIO()
    rc = robot.run(str(suite), outputdir=str(results), loglevel="TRACE", debugfile="debug.txt",
                   variable=["CCGW_EVENT_MODE:push", f"PASSWORD: Secret:{Roster.load().password_of('101')}"],
                   stdout=console, stderr=console)
    assert rc == 0, console.getvalue()[-2000:]
    files = sorted(p for p in results.rglob("*") if p.is_file())
    assert {"output.xml", "log.html", "report.html", "debug.txt"} <= {p.name for p in files}
    output = (results / "output.xml").read_text(encoding="utf-8")
    assert "serviceToken" in output and "receiving its pushed events" in output  # the token was really sent
    leaks = [f"{path.name}: {leak}" for path in files
             for leak in find_leaks(path.read_text(encoding="utf-8", errors="replace"), [PLANTED_TOKEN])]
    leaks += [f"console: {leak}" for leak in find_leaks(console.getvalue(), [PLANTED_TOKEN])]
    assert leaks == []
