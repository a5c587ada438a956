"""ccgw-sim as a separate process: roster file with the password in an environment variable, a call flow driven
through the control interface and the library, the request log and the counters."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Process-Pw-314"


def test_ccgw_sim_process_runs_a_call_flow_and_reports_it(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"agents": [{"ids": "101-110", "password_env": "SIM_PW"}]}), encoding="utf-8")
    ready, log = tmp_path / "ready.json", tmp_path / "requests.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--roster", str(roster),
         "--ca-file", str(tmp_path / "ca.pem"), "--ready-file", str(ready), "--log-file", str(log),
         "--poll-wait", "0.5"],
        env=dict(os.environ, SIM_PW=PASSWORD), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        endpoint = json.loads(ready.read_text(encoding="utf-8"))
        library = CCGatewayLibrary()
        library.use_gateway(endpoint["url"], endpoint["ca_file"])
        library.sign_in_agent("101", Secret(PASSWORD), "70001")
        callid = library.simulate_inbound_call("88880001", "101")
        library.wait_for_event("AgentEvent_Ringing", callid=callid)
        library.answer_call()
        library.release_call()
        library.wait_for_event("AgentState_Ready")
        counters = library.get_simulator_counters()
        assert counters["answers"]["login"] == {"0": 1}
        assert counters["answers"]["answer"] == {"0": 1} and counters["answers"]["release"] == {"0": 1}
        assert counters["events"]["delivered"] >= 8 and counters["contractBreaches"] == 0
        library.sign_out_all_agents()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    lines = log.read_text(encoding="utf-8").splitlines()
    assert any(" agent=101 login retcode=0 " in line for line in lines)
    assert any(" agent=101 answer retcode=0 " in line for line in lines)
    assert PASSWORD not in log.read_text(encoding="utf-8") and "JSESSIONID" not in log.read_text(encoding="utf-8")
    printed = json.loads(out.strip().splitlines()[-1].removeprefix("ccgw-sim counters: "))
    assert printed["answers"]["forceLogout"] == {"0": 1}
