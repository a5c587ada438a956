"""The README's example suite runs as printed, against the embedded simulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from CCGatewayLibrary.simulator.roster import Roster

REPO = Path(__file__).resolve().parents[1]


def test_readme_example_passes(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```robotframework\n(.*?)```", readme, re.S)
    assert example, "README has no robotframework example"
    suite = tmp_path / "three_party.robot"
    suite.write_text(example.group(1), encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"))
    run = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path), str(suite)],
                         capture_output=True, text=True, env=env, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 test, 1 passed, 0 failed" in run.stdout
