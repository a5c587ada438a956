"""ccgw-pabot: pabot with this installation's Robot and a free PabotLib port; one events.jsonl per pabot run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from robot.api import ExecutionResult

from CCGatewayLibrary.parallel import TOP_SUITE_FACTS, merge_event_files, output_folder, pabot_command
from CCGatewayLibrary.simulator.roster import Roster

REPO = Path(__file__).resolve().parents[1]
SIGN_IN = """*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Start Gateway Simulator
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

*** Test Cases ***
Signs In
    Sign In Agent    101    ${PASSWORD}    70001
    Wait For Event    AgentState_Ready
    Sign Out All Agents
"""
SUITE = """*** Settings ***
Library    pabot.PabotLib

*** Test Cases ***
Takes A Lock From This Run's PabotLib
    Acquire Lock    shared
    Release Lock    shared
"""


def test_the_command_uses_this_interpreter_and_a_free_port_unless_told_otherwise() -> None:
    assert pabot_command(["--processes", "2", "tests"], python="/venv/bin/python") == [
        "/venv/bin/python", "-m", "pabot.pabot", "--command", "/venv/bin/python", "-m", "robot", "--end-command",
        "--pabotlibport", "0", "--prerebotmodifier", TOP_SUITE_FACTS, "--processes", "2", "tests"]
    own = pabot_command(["--pabotlibport", "8271", "--command", "robot", "--end-command", "t"], python="py")
    assert own == ["py", "-m", "pabot.pabot", "--prerebotmodifier", TOP_SUITE_FACTS, "--pabotlibport", "8271",
                   "--command", "robot", "--end-command", "t"]
    assert "--pabotlibport" not in pabot_command(["--no-pabotlib", "t"])
    assert output_folder(["--processes", "2", "--outputdir", "res", "t"]) == Path("res")
    assert output_folder(["-d", "out", "t"]) == Path("out") and output_folder(["t"]) == Path(".")


def test_ccgw_pabot_runs_without_the_environment_on_path(tmp_path: Path) -> None:
    """A bare pabot here fails with "No such file or directory: 'robot'"; ccgw-pabot does not."""
    (tmp_path / "suites").mkdir()
    for name in ("one", "two"):
        (tmp_path / "suites" / f"{name}.robot").write_text(SUITE, encoding="utf-8")
    (tmp_path / "suites" / "three.robot").write_text(SIGN_IN, encoding="utf-8")
    (tmp_path / "suites" / "four.robot").write_text(
        SIGN_IN.replace("Library           CCGatewayLibrary", "Library           CCGatewayLibrary    event_mode=push"),
        encoding="utf-8")
    script = Path(sys.executable).parent / "ccgw-pabot"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CCGW_AGENT_PASSWORD": Roster.load().password_of("101")}
    run = subprocess.run([str(script), "--processes", "2", "--outputdir", str(tmp_path / "out"),
                          str(tmp_path / "suites")], capture_output=True, text=True, timeout=300, check=False,
                         env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "4 tests, 4 passed" in run.stdout
    merged = [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    assert {line["test"] for line in merged} == {"Suites.Three.Signs In", "Suites.Four.Signs In"}
    # The merged top suite speaks for both processes' suites, not only the last one's.
    top = ExecutionResult(str(tmp_path / "out" / "output.xml")).suite.metadata
    assert "polling (1 suite)" in top["Event mode"] and "push" in top["Event mode"], dict(top)
    assert "polling (1 suite)" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    port = re.search(r"remote server at 127\.0\.0\.1:(\d+) started", run.stdout)
    assert port is not None and port.group(1) != "8270", run.stdout[-2000:]


def test_a_pabot_runs_event_files_are_merged_in_the_order_received(tmp_path: Path) -> None:
    for index, times in ((0, ["10:00:01", "10:00:04"]), (1, ["10:00:02", "10:00:03"])):
        part = tmp_path / "pabot_results" / str(index)
        part.mkdir(parents=True)
        part.joinpath("events.jsonl").write_text("".join(
            json.dumps({"test": f"T{index}", "received": f"2026-12-06T{time}"}) + "\n" for time in times))
    merged = merge_event_files(tmp_path)
    assert merged is not None
    assert [json.loads(line)["received"][-2:] for line in merged.read_text().splitlines()] == ["01", "02", "03", "04"]


def test_a_plain_pabot_run_writes_one_events_file_next_to_the_merged_output(tmp_path: Path) -> None:
    """Plain pabot (its PabotLib on, as by default): the processes write the run's file together, started once."""
    (tmp_path / "suites").mkdir()
    for name in ("one", "two"):
        (tmp_path / "suites" / f"{name}.robot").write_text(SIGN_IN.replace("Signs In", f"Signs In {name}"),
                                                          encoding="utf-8")
    stale = tmp_path / "out" / "events.jsonl"
    stale.parent.mkdir()
    stale.write_text('{"test": "from an earlier run"}\n', encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    run = subprocess.run([sys.executable, "-m", "pabot.pabot", "--processes", "2", "--pabotlibport", "0",
                          "--outputdir", str(tmp_path / "out"), str(tmp_path / "suites")], capture_output=True,
                         text=True, timeout=300, check=False, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = [json.loads(line) for line in stale.read_text().splitlines()]
    assert {line["test"] for line in lines} == {"Suites.One.Signs In one", "Suites.Two.Signs In two"}, lines
    assert not list((tmp_path / "out").glob("pabot_results/*/events.jsonl"))
