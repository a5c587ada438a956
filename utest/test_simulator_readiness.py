"""Waiting for the simulator to be ready, with a deadline, and failing in words naming the URL and the deadline."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import SimulatorError
from CCGatewayLibrary.simulator.control import SimulatorControl
from CCGatewayLibrary.simulator.process import SimulatorProcess


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_wait_ready_names_the_url_and_the_deadline() -> None:
    port = _closed_port()
    with pytest.raises(SimulatorError, match=rf"Gateway simulator not ready at https://127.0.0.1:{port}/ccgw-sim/v1/"
                                             r"health within 0.5 s \(the deadline\): .*not reachable"):
        SimulatorControl(f"https://127.0.0.1:{port}").wait_ready(0.5)


def test_start_gateway_simulator_returns_once_ready() -> None:
    library = CCGatewayLibrary()
    url = library.start_gateway_simulator(ready_timeout=5)
    try:
        health = SimulatorControl(url, library.ctx.settings.ca_bundle).health()
        assert health["status"] == "ok" and health["restarts"] == 0
    finally:
        library.stop_gateway_simulator()


def test_a_ccgw_sim_process_is_ready_when_its_readiness_endpoint_answers(tmp_path: Path) -> None:
    with SimulatorProcess("--poll-wait", "0.5", folder=tmp_path) as simulator:
        assert simulator.control().health()["status"] == "ok"
    counters = simulator.stop()
    assert counters is not None and counters["requests"] == 0


def test_a_ccgw_sim_process_that_cannot_start_is_reported_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "roster.json").write_text("{\"agents\": 7}", encoding="utf-8")
    with pytest.raises(SimulatorError, match=r"ccgw-sim exited with status 2 before it was ready: .*roster.json"):
        SimulatorProcess("--roster", str(tmp_path / "roster.json"), folder=tmp_path)


def test_a_ccgw_sim_process_not_ready_in_time_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(SimulatorError, match=r"did not write its ready file .* within 0.001 s \(the deadline\)"):
        SimulatorProcess(folder=tmp_path, ready_timeout=0.001)
