"""Record and replay: a suite recorded against the simulator (standing in for a real gateway) passes again
against ``ccgw-sim``'s replay of the recording, the recording holds no secret, and a request the recording does
not expect fails naming what it expected."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError, HttpStatusError, SimulatorError
from CCGatewayLibrary.simulator.process import SimulatorProcess
from CCGatewayLibrary.simulator.replay import RecordingError, load_recording

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Sim-Agent-Pass-101"  # the built-in roster's test password
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.AgentGateway0")

SUITE = """\
*** Settings ***
Library           CCGatewayLibrary    record_to=${RECORD}
Suite Setup       Start Gateway Simulator    poll_wait=1s    replay=${REPLAY}
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${RECORD}         ${None}
${REPLAY}         ${None}
${AGENT_PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

*** Test Cases ***
Inbound Call Held Retrieved And Hung Up
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Wait For Event    AgentState_Ready
    ${customer}=    Simulate Inbound Call    caller=88880001    agent=101
    Wait For Event    AgentEvent_Ringing    callid=${customer}
    Answer Call
    Wait For Event    AgentEvent_Talking    callid=${customer}
    Hold Call
    Wait For Event    AgentEvent_Hold    callid=${customer}
    Retrieve Call    ${customer}
    Wait For Event    AgentEvent_Talking    callid=${customer}
    Simulate Customer Hang Up    ${customer}
    Wait For Event    AgentState_Ready
    Hold Call    expected_retcode=200-013
    ${status}=    Get Agent Status
    Should Contain    ${status}[state]    idle    ignore_case=True
    Sign Out Agent

Two Agents Talk To Each Other
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Sign In Agent    102    password=${AGENT_PASSWORD}    phone=70002
    Wait For Event On Agents    AgentState_Ready    101    102
    Switch Agent    101
    Call Agent    102
    Wait For Event    AgentEvent_Ringing    agent=102
    Answer Call    agent=102
    Wait For Event On Agents    AgentEvent_Talking    101    102
    Release Call
    Wait For Event    AgentState_Ready    agent=102
    ${counters}=    Get Simulator Counters
    Should Be Equal As Integers    ${counters}[contractBreaches]    0
    Sign Out All Agents

The Gateway Restarts And The Agent Signs In Again
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Wait For Event    AgentState_Ready
    Refresh Guid
    Restart Gateway Simulator    downtime=0.5s
    Run Keyword And Expect Error    *polling stopped: *100-006*
    ...    Wait For Event    AgentState_SetNotReady_Success    timeout=10s
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Sign Out Agent
"""


def _robot(tmp_path: Path, name: str, *variables: str) -> subprocess.CompletedProcess[str]:
    suite = tmp_path / "replayed.robot"
    suite.write_text(SUITE, encoding="utf-8")
    options = [part for variable in variables for part in ("--variable", variable)]
    return subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path / name), "--console", "dotted",
                           *options, str(suite)], capture_output=True, text=True, cwd=REPO, check=False,
                          env=dict(os.environ, CCGW_AGENT_PASSWORD=PASSWORD), timeout=300)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("record")
    path = folder / "session.jsonl"
    run = _robot(folder, "recorded", f"RECORD:{path}")
    assert run.returncode == 0, run.stdout[-3000:]
    return path


def test_the_recording_holds_the_session_and_no_secret(recording: Path) -> None:
    text = recording.read_text(encoding="utf-8")
    assert PASSWORD not in text and not GUID.search(text) and "JSESSIONID" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["kind"] == "header" and lines[0]["format"] == "ccgw-recording"
    login = next(line for line in lines if line.get("interface") == "login")
    assert login["agent"] == "101" and login["body"]["password"] == "<redacted>" and login["setGuid"] is True
    assert login["retcode"] == "0" and login["status"] == 200
    events = [line["event"]["eventType"] for line in lines if line["kind"] == "event" and line["agent"] == "101"]
    assert events[:3] == ["AgentOther_InService", "AgentState_Ready", "AgentState_Busy"]
    controls = [(line["method"], line["path"]) for line in lines if line["kind"] == "control"]
    assert controls[0] == ("POST", "/calls") and controls[-1] == ("POST", "/restart")
    refreshed = next(line for line in lines if line.get("interface") == "updateGuid")
    assert refreshed["reply"]["result"]["guid"] == "<redacted>"
    assert any(line["kind"] == "poll" and line["retcode"] == "100-006" for line in lines)
    assert all(b["t"] >= 0 for b in lines[1:])


def test_the_same_suite_passes_against_the_replay(recording: Path, tmp_path: Path) -> None:
    run = _robot(tmp_path, "replayed", f"REPLAY:{recording}")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 tests, 3 passed, 0 failed" in run.stdout


def test_an_unexpected_request_fails_naming_what_the_recording_expected(recording: Path, tmp_path: Path) -> None:
    with SimulatorProcess("--replay", str(recording), "--poll-wait", "1", folder=tmp_path) as simulator:
        library = CCGatewayLibrary()
        library.use_gateway(simulator.url, simulator.ca_file)
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        library.wait_for_event("AgentState_Ready")
        with pytest.raises(HttpStatusError, match=r"answered HTTP 409 Conflict, expected 200. Body: .*agent 101's "
                                                  r"request 2 was expected to be answer \(line \d+\), got sayBusy"):
            library.set_agent_busy()
        with pytest.raises(SimulatorError, match=r"control call PUT /far-ends/88880009 came, but the next one "
                                                 r"recorded is control POST /calls"):
            library.simulate_far_end("88880009", "busy")
        library.ctx.forget_agents("test over")
        counters = simulator.control().health()
        assert counters["replay"].endswith("session.jsonl")


def test_a_broken_recording_is_refused_naming_the_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"kind": "header", "format": "ccgw-recording"}\n{"kind": "event", "t": 1}\n', encoding="utf-8")
    with pytest.raises(RecordingError, match=r"broken.jsonl, line 2: field 'agent' is missing"):
        load_recording(path)
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(RecordingError, match=r"broken.jsonl, line 1: not JSON"):
        load_recording(path)


@pytest.mark.parametrize("status", ['"abc"', "99", "1000", "true", "null", "200.5"])
def test_a_recorded_status_that_is_no_http_status_is_refused_at_load(tmp_path: Path, status: str) -> None:
    path = tmp_path / "status.jsonl"
    path.write_text('{"kind": "header", "format": "ccgw-recording"}\n'
                    '{"kind": "request", "t": 1, "interface": "sayBusy", "agent": "101", "status": 200, "reply": {}}\n'
                    '{"kind": "request", "t": 2, "interface": "sayFree", "agent": "101", "status": ' + status
                    + ', "reply": {}}\n', encoding="utf-8")
    with pytest.raises(RecordingError, match=r"status.jsonl, line 3: field 'status' must be an HTTP status, a whole "
                                             r"number from 100 to 599, got "):
        load_recording(path)


def test_ccgw_sim_refuses_a_deeply_nested_recording_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"kind": "header", "format": "ccgw-recording"}\n{"kind": "event", "t": 1, "agent": "101", '
                    '"event": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--ca-file",
                          str(tmp_path / "ca.pem"), "--replay", str(path)], capture_output=True, text=True, cwd=REPO,
                         timeout=60, check=False)
    assert run.returncode == 2 and "deep.jsonl, line 2: arrays and objects nest more than 64" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_broken_recording_stops_ccgw_sim_and_the_keyword_in_words(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"kind": "header", "format": "other"}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--ca-file",
                          str(tmp_path / "ca.pem"), "--replay", str(path)], capture_output=True, text=True, cwd=REPO,
                         timeout=60, check=False)
    assert run.returncode == 2 and "broken.jsonl, line 1: format must be 'ccgw-recording'" in run.stderr
    with pytest.raises(SimulatorError, match=r"broken.jsonl, line 1: format must be 'ccgw-recording'"):
        CCGatewayLibrary().start_gateway_simulator(replay=path)


def test_no_secret_reaches_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "secrets.jsonl"
    library = CCGatewayLibrary(record_to=path, redact="field:phonenum")
    library.start_gateway_simulator(poll_wait=0.5)
    try:
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        library.wait_for_event("AgentState_Ready")
        library.send_heartbeat(service_token=Secret("ServiceToken4711"))
        library.refresh_guid()
        guid = library.ctx.agents["101"].session.guid.guid
        library.sign_out_all_agents()
    finally:
        library.stop_gateway_simulator()
        library.ctx.shut_down()
    text = path.read_text(encoding="utf-8")
    assert guid is not None and guid.value not in text
    for secret in (PASSWORD, "ServiceToken4711", "70001", "JSESSIONID"):
        assert secret not in text
    assert not GUID.search(text)
    interfaces = [json.loads(line).get("interface") for line in text.splitlines()]
    assert interfaces.count("handShake") == 1 and interfaces.count("updateGuid") == 1


def test_a_recording_that_cannot_be_written_is_refused_naming_record_to(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(CCGatewayError, match=r"^record_to: cannot write the recording .*a-file/session.jsonl \("):
        CCGatewayLibrary(record_to=blocked / "session.jsonl")
