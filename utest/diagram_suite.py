"""A small generated suite whose log.html has sequence diagrams; shared by the diagram and browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from CCGatewayLibrary.simulator.roster import Roster

AGENT = "101"
ALIAS = "desk <1>"  # characters that must be escaped in the SVG
LANE_LABEL = f"{ALIAS} ({AGENT})"
CUSTOMER = "88880001"
# How the passing test's simulator actions read in its diagram, in order.
SIMULATOR_ACTIONS = [f"inbound call from {CUSTOMER}", "fault delay 0.05 on next 1 hold"]
PASSING_TEST = "Customer Call On Hold"
FAILING_TEST = "Hold Without A Call Fails"

SUITE = f"""\
*** Settings ***
Library           CCGatewayLibrary    diagram=${{DIAGRAM}}
Suite Setup       Start Gateway Simulator    poll_wait=1s
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${{AGENT_PASSWORD: Secret}}    %{{CCGW_AGENT_PASSWORD}}
${{DIAGRAM}}                   True

*** Test Cases ***
{PASSING_TEST}
    Sign In Agent    {AGENT}    password=${{AGENT_PASSWORD}}    phone=70001    alias={ALIAS}
    Set Agent Ready
    Wait For Event    AgentState_Ready
    Simulate Inbound Call    caller={CUSTOMER}    agent={ALIAS}
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Wait For Event    AgentEvent_Talking
    Run Keyword And Expect Error    *retcode 200-015*    Retrieve Call    no-such-call
    Simulate Fault    hold    delay    0.05    agent={ALIAS}
    Hold Call
    Wait For Event    AgentEvent_Hold
    [Teardown]    Sign Out All Agents

{FAILING_TEST}
    Sign In Agent    102    password=${{AGENT_PASSWORD}}    phone=70002
    Hold Call
    [Teardown]    Sign Out All Agents
"""


@dataclass(frozen=True)
class SuiteRun:
    folder: Path
    output: Path
    log: Path
    console: str
    password: str


def run_suite(folder: Path, *extra: str) -> SuiteRun:
    """Runs the suite with robot (the simulator embedded); the failing test fails on purpose."""
    folder.mkdir(parents=True, exist_ok=True)
    suite = folder / "diagram_demo.robot"
    suite.write_text(SUITE, encoding="utf-8")
    password = Roster.load().password_of(AGENT)
    env = dict(os.environ, CCGW_AGENT_PASSWORD=password)
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(folder), *extra, str(suite)],
                         capture_output=True, text=True, env=env, check=False, cwd=folder, timeout=300)
    console = run.stdout + run.stderr
    assert run.returncode in (0, 1), console  # 1: the failing test
    return SuiteRun(folder, folder / "output.xml", folder / "log.html", console, password)
