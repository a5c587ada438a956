"""Restarting the simulator mid-suite: in-process and as a ccgw-sim process, by keyword and by fault.

The port closes (pollers meet refused connections and retry, recorded in the journal), every session is lost
(the next poll answers 100-006, polling stops and a wait names why), and the same URL and CA serve again, so
the test signs in again and goes on.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError, SimulatorError
from CCGatewayLibrary.simulator.control import SimulatorControl
from CCGatewayLibrary.simulator.faults import FaultError, parse_fault

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Sim-Agent-Pass-101"  # the built-in roster's test password


def _control(library: CCGatewayLibrary) -> SimulatorControl:
    return SimulatorControl(library.ctx.gateway_url(), library.ctx.settings.ca_bundle)


def _library_after_sign_in() -> CCGatewayLibrary:
    library = CCGatewayLibrary(poll_interval=0.05)
    library.start_gateway_simulator(poll_wait=0.5)
    library.sign_in_agent("101", Secret(PASSWORD), "70001")
    library.wait_for_event("AgentState_Ready")
    return library


def _goes_on_after_restart(library: CCGatewayLibrary) -> list[str]:
    """After a restart: the old session is gone, a new sign-in works and calls flow again. Returns the problems
    the old session's poller recorded."""
    journal = library.ctx.agents["101"].journal
    ended = r"cannot arrive for agent 101 any more: .*polling stopped: .*100-006 \(agent not signed in\)"
    with pytest.raises(CCGatewayError, match=ended):
        library.wait_for_event("AgentState_SetNotReady_Success", timeout=10)
    library.sign_in_agent("101", Secret(PASSWORD), "70001")
    library.wait_for_event("AgentState_Ready")
    callid = library.simulate_inbound_call("88880001", "101")
    library.wait_for_event("AgentEvent_Ringing", callid=callid)
    library.answer_call()
    library.wait_for_event("AgentEvent_Talking")
    return [problem.text for problem in journal.problems()]


def test_restart_keyword_drops_sessions_and_serves_again_on_the_same_url() -> None:
    library = _library_after_sign_in()
    try:
        url, ca_file = library.ctx.settings.url, Path(str(library.ctx.settings.ca_bundle))
        ca = ca_file.read_bytes()
        library.restart_gateway_simulator(downtime=1)
        assert library.ctx.settings.url == url and ca_file.read_bytes() == ca  # same port, same CA
        assert requests.get(f"{url}/ccgw-sim/v1/health", verify=str(ca_file), timeout=5).json()["restarts"] == 1
        problems = _goes_on_after_restart(library)
        # the held poll was cut, and polls while the port was closed found it refused, retried with backoff
        assert any("poll failed" in text for text in problems), problems
        assert any("100-006" in text for text in problems), problems
    finally:
        library.stop_gateway_simulator()


def test_restart_fault_restarts_under_the_matching_request() -> None:
    library = _library_after_sign_in()
    try:
        library.simulate_fault("sayBusy", "restart", "0.5")
        with pytest.raises(CCGatewayError, match=r"sayBusy for agent 101 failed: .*closed the connection"):
            library.set_agent_busy()
        _control(library).wait_ready(10, restarts=1)
        _goes_on_after_restart(library)
    finally:
        library.stop_gateway_simulator()


def test_restart_of_a_ccgw_sim_process_through_its_control_interface(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--ca-file", str(tmp_path / "ca.pem"),
         "--ready-file", str(ready), "--poll-wait", "0.5", "--log-level", "INFO"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        endpoint = json.loads(ready.read_text(encoding="utf-8"))
        library = CCGatewayLibrary(poll_interval=0.05)
        library.use_gateway(endpoint["url"], endpoint["ca_file"])
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        library.wait_for_event("AgentState_Ready")
        library.restart_gateway_simulator(downtime=0.5)
        _goes_on_after_restart(library)
        library.sign_out_all_agents()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "restarting: the port closes for 0.5 s" in err and "restarted on port" in err
    assert PASSWORD not in out + err


def test_a_simulator_process_started_by_the_keyword_restarts_and_stops(tmp_path: Path) -> None:
    library = CCGatewayLibrary(poll_interval=0.05)
    url = library.start_gateway_simulator(poll_wait=0.5, process=True, log_file=tmp_path / "sim.log",
                                          log_level="INFO")
    simulator = library.ctx.simulator
    assert simulator is not None and simulator.process.poll() is None  # type: ignore[attr-defined]
    try:
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        library.wait_for_event("AgentState_Ready")
        library.restart_gateway_simulator(downtime=0.3)
        assert library.ctx.settings.url == url
        _goes_on_after_restart(library)
    finally:
        library.stop_gateway_simulator()
    assert simulator.process.returncode == 0  # type: ignore[attr-defined]
    assert simulator.final_counters["answers"]["login"] == {"0": 2}  # type: ignore[attr-defined]
    log = (tmp_path / "sim.log").read_text(encoding="utf-8")
    assert " WARNING restarting: the port closes for 0.3 s" in log and " agent=101 answer retcode=0 " in log


def test_restart_is_refused_in_words() -> None:
    with pytest.raises(FaultError, match="value must be the seconds the port stays closed, 0 to 60"):
        parse_fault({"fault": "restart", "value": 61}, {"sayBusy"})
    library = CCGatewayLibrary()
    library.start_gateway_simulator()
    try:
        with pytest.raises(SimulatorError, match="downtime must be the seconds the port stays closed, 0 to 60"):
            _control(library).restart(-1)
    finally:
        library.stop_gateway_simulator()


def test_stopping_during_a_restart_leaves_no_task_pending(caplog: pytest.LogCaptureFixture) -> None:
    """Stop Gateway Simulator while a restart keeps the port closed: the restart is cancelled and awaited, so
    asyncio never reports "Task was destroyed but it is pending!"."""
    loops = []
    with caplog.at_level(logging.WARNING, logger="asyncio"):
        for _ in range(3):
            library = CCGatewayLibrary()
            library.start_gateway_simulator()
            runner = library.ctx.simulator
            _control(library).restart(5)
            time.sleep(0.2)  # the restart has begun: the port is closed for 5 s
            library.stop_gateway_simulator()
            loops.append(runner._loop)  # type: ignore[union-attr]
            del library, runner
            gc.collect()
    assert [task for loop in loops for task in asyncio.all_tasks(loop) if not task.done()] == []
    assert "destroyed but it is pending" not in caplog.text
