"""Each test's diagram holds only that test's events, in both event modes (reporting/audit.py is the check)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from robot.api import ExecutionResult

from CCGatewayLibrary.reporting.audit import event_rows, foreign_events
from CCGatewayLibrary.simulator.roster import Roster

SUITE = """\
*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Start Gateway Simulator    poll_wait=300ms
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

*** Test Cases ***
First Agent Works And Leaves
    Sign In Agent    101    ${PASSWORD}    70001
    Set Agent Ready
    Wait For Event    AgentState_Ready
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Sign Out Agent

Second Agent Signs In And Stays
    Sign In Agent    102    ${PASSWORD}    70002    alias=stays
    Set Agent Ready
    Wait For Event    AgentState_Ready

Third Test Has The Second Agent From Its Start
    Set Agent Busy    agent=stays
    Wait For Event    AgentState_SetNotReady_Success    agent=stays
    Sign In Agent    103    ${PASSWORD}    70003
    Set Agent Ready
    Wait For Event    AgentState_Ready
    [Teardown]    Sign Out All Agents

Fourth Test Signs The First Agent In Again
    Sign In Agent    101    ${PASSWORD}    70001
    Set Agent Ready
    Wait For Event    AgentState_Ready
    [Teardown]    Sign Out All Agents
"""
# Loaded by Robot before the library (--prerunmodifier): diagrams as they were before a test kept its own
# sessions, with every session ever signed in and all of its events.
LEAKY = """\
from robot.api import SuiteVisitor

from CCGatewayLibrary.context import LibraryContext, RecordsMark

def mark_records(self):
    return RecordsMark(__import__("datetime").datetime.now(), {}, 0)

def records_since(self, mark):
    return [(handle, handle.journal.events()) for handle in self.sessions]

LibraryContext.mark_records = mark_records
LibraryContext.records_since = records_since


class leaky(SuiteVisitor):
    pass
"""


def _run(folder: Path, mode: str, *extra: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "tests.robot").write_text(SUITE, encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"))
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(folder), "--console", "none",
                          "--variable", f"CCGW_EVENT_MODE:{mode}", *extra, str(folder / "tests.robot")],
                         capture_output=True, text=True, env=env, check=False, cwd=folder, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return folder / "output.xml"


@pytest.mark.parametrize("mode", ["poll", "push"])
def test_every_diagram_holds_only_events_of_its_own_test(tmp_path: Path, mode: str) -> None:
    output = _run(tmp_path / mode, mode)
    found, diagrams = foreign_events(output)
    assert found == [] and diagrams == 4
    # The check has something to check: the third test draws the events of the agent signed in before it.
    third = next(t for t in ExecutionResult(str(output)).suite.tests if t.name.startswith("Third"))
    diagram = next(m.message for m in third.body if m.type == "MESSAGE" and "ccgw-diagram" in m.message)
    assert {agent for agent, _ in event_rows(diagram)} == {"102", "103"}


@pytest.mark.parametrize("mode", ["poll", "push"])
def test_the_check_finds_the_events_of_other_tests(tmp_path: Path, mode: str) -> None:
    leaky = tmp_path / "leaky.py"
    leaky.write_text(LEAKY, encoding="utf-8")
    found, _ = foreign_events(_run(tmp_path / mode, mode, "--prerunmodifier", str(leaky)))
    assert any(f.agent == "101" and f.test.endswith("Second Agent Signs In And Stays") for f in found), found
    assert any(f.ms < 0 and "before the test started" in str(f) for f in found), found
