"""The simulator's own messages at a chosen level, in its log file next to the redacted request lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import SimulatorError
from CCGatewayLibrary.simulator.cli import parser
from CCGatewayLibrary.simulator.logfile import level_number

PASSWORD = "Sim-Agent-Pass-101"


def _run(log: Path, level: str) -> str:
    library = CCGatewayLibrary()
    library.start_gateway_simulator(log_file=log, log_level=level)
    try:
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        library.wait_for_event("AgentState_Ready")
        library.simulate_fault("sayBusy", "delay", "0.1")
        library.set_agent_busy()
        guid = library.ctx.agents["101"].session.guid.guid
        library.sign_out_all_agents()
    finally:
        library.stop_gateway_simulator()
    text = log.read_text(encoding="utf-8")
    assert guid is not None and guid.value not in text and PASSWORD not in text
    assert re.search(r" agent=101 sayBusy retcode=0 [0-9.]+ms$", text, re.MULTILINE)
    return text


def test_log_level_info_shows_the_simulators_own_messages(tmp_path: Path) -> None:
    text = _run(tmp_path / "sim.log", "INFO")
    assert " INFO injecting fault {'fault': 'delay', 'interface': 'sayBusy'" in text


def test_log_level_error_leaves_them_out(tmp_path: Path) -> None:
    text = _run(tmp_path / "sim.log", "ERROR")
    assert "injecting fault" not in text and " agent=101 login retcode=0 " in text


def test_log_level_is_checked() -> None:
    assert parser().parse_args(["--log-level", "debug"]).log_level == "DEBUG"
    with pytest.raises(SystemExit):
        parser().parse_args(["--log-level", "chatty"])
    with pytest.raises(ValueError, match="log level must be one of DEBUG, INFO, WARNING, ERROR, got 'chatty'"):
        level_number("chatty")


def test_a_log_file_that_is_a_folder_is_refused_naming_the_argument(tmp_path: Path) -> None:
    with pytest.raises(SimulatorError, match=rf"log_file {re.escape(str(tmp_path))} is a folder: give the path of a "
                                             r"file in a folder you can write to"):
        CCGatewayLibrary().start_gateway_simulator(log_file=tmp_path)
    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--ca-file",
                          str(tmp_path / "ca.pem"), "--log-file", str(tmp_path)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 2
    assert f"ccgw-sim: --log-file {tmp_path} is a folder" in run.stderr and "Traceback" not in run.stderr
