"""A test's records (sequence diagram, events.jsonl) hold exactly that test's sessions and events: every session
of every alias signed in during the test, none that ended before it began."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.context import AgentHandle
from CCGatewayLibrary.events import EventJournal
from CCGatewayLibrary.simulator.roster import Roster


def _session(library: CCGatewayLibrary, alias: str, agent_id: str) -> AgentHandle:
    handle = AgentHandle(alias, agent_id, SimpleNamespace(close=lambda: None), EventJournal(agent_id))  # type: ignore[arg-type]
    library.ctx.agents[alias] = handle
    library.ctx.add_session(handle)
    return handle


def _event(name: str) -> dict[str, Any]:
    return {"eventType": name, "workNo": "101", "content": None}


def _names(records: list[tuple[AgentHandle, list[Any]]]) -> list[tuple[str, int, list[str]]]:
    return [(handle.alias, handle.serial, [e.name for e in events]) for handle, events in records]


def test_a_session_that_ended_before_the_test_brings_nothing_into_it() -> None:
    library = CCGatewayLibrary()
    old = _session(library, "101", "101")
    old.journal.append(_event("AgentState_Ready"))
    old.signed_in = False  # the previous test's teardown signed it out
    mark = library.ctx.mark_records()
    old.journal.append(_event("AgentOther_ShutdownService"))  # its last poll, read after this test began
    assert _names(library.ctx.records_since(mark)) == []


def test_a_second_sign_in_in_the_test_keeps_the_first_sessions_events() -> None:
    library = CCGatewayLibrary()
    mark = library.ctx.mark_records()
    first = _session(library, "a", "101")
    first.journal.append(_event("AgentState_Ready"))
    first.signed_in = False
    second = _session(library, "a", "101")  # signed in again under the same alias
    second.journal.append(_event("AgentOther_InService"))
    assert _names(library.ctx.records_since(mark)) == [("a", 1, ["AgentState_Ready"]),
                                                       ("a", 2, ["AgentOther_InService"])]


def test_a_session_signed_in_before_the_test_contributes_only_what_came_after() -> None:
    library = CCGatewayLibrary()
    kept = _session(library, "a", "101")
    kept.journal.append(_event("AgentState_Ready"))
    mark = library.ctx.mark_records()
    kept.journal.append(_event("AgentState_SetNotReady_Success"))
    assert _names(library.ctx.records_since(mark)) == [("a", 1, ["AgentState_SetNotReady_Success"])]


SUITE = """*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Start Gateway Simulator
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

*** Test Cases ***
Signs In Twice
    Sign In Agent    101    ${PASSWORD}    70001
    Wait For Event    AgentState_Ready
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Sign In Agent    101    ${PASSWORD}    70001    force=True
    Wait For Event    AgentState_Ready
    [Teardown]    Sign Out All Agents

Next Test
    Sign In Agent    102    ${PASSWORD}    70002
    Wait For Event    AgentState_Ready
    [Teardown]    Sign Out All Agents
"""


def test_events_file_and_diagram_hold_every_session_of_the_test_and_nothing_of_another(tmp_path: Path) -> None:
    from robot.api import ExecutionResult

    (tmp_path / "records.robot").write_text(SUITE, encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"))
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path / "out"), "--console", "none",
                          str(tmp_path / "records.robot")], capture_output=True, text=True, env=env, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    lines = [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    first = [(line["session"], line["event"]["eventType"]) for line in lines if line["test"].endswith("Twice")]
    sessions = sorted({session for session, _ in first})
    assert len(sessions) == 2, first
    assert ("AgentState_SetNotReady_Success" in [name for session, name in first if session == sessions[0]]), first
    assert {line["agentId"] for line in lines if line["test"].endswith("Next Test")} == {"102"}, lines
    result = ExecutionResult(str(tmp_path / "out" / "output.xml"))
    diagrams = {test.name: [item.message for item in test.body
                            if getattr(item, "type", "") == "MESSAGE" and "ccgw-diagram" in item.message]
                for test in result.suite.tests}
    assert diagrams["Next Test"] and ">102<" in diagrams["Next Test"][0], diagrams
    assert ">101<" not in diagrams["Next Test"][0]
