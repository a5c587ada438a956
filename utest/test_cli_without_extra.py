"""ccgw-sim answers --help, and says which extra to install, on a Python without aiohttp and trustme."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Make the two packages unimportable, as on an install without the [simulator] extra.
BLOCK = ("import sys; sys.modules['aiohttp'] = None; sys.modules['trustme'] = None; "
         "from CCGatewayLibrary.simulator.cli import main; sys.exit(main(sys.argv[1:]))")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK, *args], capture_output=True, text=True, cwd=REPO,
                          timeout=60, check=False)


def test_help_works_without_the_simulator_extra() -> None:
    run = _run("--help")
    assert run.returncode == 0, run.stderr
    assert "--time-scale" in run.stdout and "Traceback" not in run.stderr


def test_serving_without_the_extra_names_it() -> None:
    run = _run("--port", "0")
    assert run.returncode == 2
    assert "pip install 'robotframework-ccgatewaylibrary[simulator]'" in run.stderr
    assert "Traceback" not in run.stderr
