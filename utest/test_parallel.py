"""ccgw-pabot: pabot with this installation's Robot and a free PabotLib port; one events.jsonl per pabot run."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

from CCGatewayLibrary.parallel import pabot_command

REPO = Path(__file__).resolve().parents[1]
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
        "--pabotlibport", "0", "--processes", "2", "tests"]
    own = pabot_command(["--pabotlibport", "8271", "--command", "robot", "--end-command", "t"], python="py")
    assert own == ["py", "-m", "pabot.pabot", "--pabotlibport", "8271", "--command", "robot", "--end-command", "t"]
    assert "--pabotlibport" not in pabot_command(["--no-pabotlib", "t"])


def test_ccgw_pabot_runs_without_the_environment_on_path(tmp_path: Path) -> None:
    """A bare pabot here fails with "No such file or directory: 'robot'"; ccgw-pabot does not."""
    for name in ("one", "two"):
        (tmp_path / "suites").mkdir(exist_ok=True)
        (tmp_path / "suites" / f"{name}.robot").write_text(SUITE, encoding="utf-8")
    script = Path(sys.executable).parent / "ccgw-pabot"
    run = subprocess.run([str(script), "--processes", "2", "--outputdir", str(tmp_path / "out"),
                          str(tmp_path / "suites")], capture_output=True, text=True, timeout=300, check=False,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "2 tests, 2 passed" in run.stdout
    port = re.search(r"remote server at 127\.0\.0\.1:(\d+) started", run.stdout)
    assert port is not None and port.group(1) != "8270", run.stdout[-2000:]


def test_a_pabot_runs_event_files_are_merged_in_the_order_received(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("atest_run", REPO / "atest" / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    for index, times in ((0, ["10:00:01", "10:00:04"]), (1, ["10:00:02", "10:00:03"])):
        part = tmp_path / "pabot_results" / str(index)
        part.mkdir(parents=True)
        part.joinpath("events.jsonl").write_text("".join(
            json.dumps({"test": f"T{index}", "received": f"2026-12-06T{time}"}) + "\n" for time in times))
    merged = run.merge_event_files(tmp_path)
    assert [json.loads(line)["received"][-2:] for line in merged.read_text().splitlines()] == ["01", "02", "03", "04"]
