"""Every acceptance suite, run in parallel at TRACE level with planted passwords, leaves no secret in any output.

The planted password carries characters that change under escaping (quote, backslash, ampersand, angle
bracket, non-ASCII), so a leak in repr, JSON, XML or HTML form is found as well as the plain one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from CCGatewayLibrary.secrets import GUID_PATTERN, find_leaks

REPO = Path(__file__).resolve().parents[1]
PLANTED_PASSWORD = 'Pl4nt"ed\\P\'w&<ü>-7Q'  # at most 32 characters, the login schema's limit
# A part that no escaping changes: found even where the scan does not know the escaped form.
PLANTED_CORE = "Pl4nt"
# The acceptance suites' own wrong password and unissued Guid, planted as well.
OTHER_SECRETS = ["not-the-password-xxxxxxxx", "00000000-0000-0000-0000-000000000000.NotIssued"]


def test_all_suites_in_parallel_at_trace_level_leak_no_secret(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    built_in = json.loads((REPO / "CCGatewayLibrary" / "simulator" / "roster.json").read_text(encoding="utf-8"))
    agents = [dict(group, password=PLANTED_PASSWORD) for group in built_in["agents"]]  # same agents and skills
    roster.write_text(json.dumps({"agents": agents}), encoding="utf-8")
    results = tmp_path / "results"
    env = dict(os.environ, CCGW_SIM_ROSTER=str(roster), CCGW_AGENT_PASSWORD=PLANTED_PASSWORD)
    run = subprocess.run(
        [sys.executable, str(REPO / "atest" / "run.py"), "--processes", "2", "--loglevel", "TRACE",
         "--outputdir", str(results), "--debugfile", "debug.txt"],
        capture_output=True, text=True, env=env, check=False, cwd=tmp_path,
    )
    console = run.stdout + run.stderr
    assert run.returncode == 0, console[-3000:]
    files = sorted(p for p in results.rglob("*") if p.is_file())
    names = {p.name for p in files}
    # The scan covers what the run wrote: merged and per-process outputs, HTML, console and debug files.
    assert {"output.xml", "log.html", "report.html", "console.txt", "debug.txt"} <= names, names
    assert any("pabot_results" in p.parts for p in files), files
    output = (results / "output.xml").read_text(encoding="utf-8")
    # The run really exercised secrets: sign-ins with the password and Guid-carrying requests at TRACE.
    assert output.count("Sign In Agent") >= 10 and 'level="TRACE"' in output
    leaks = [f"{path.relative_to(results)}: {leak}"
             for path in files
             for leak in find_leaks(path.read_text(encoding="utf-8", errors="replace"),
                                    [PLANTED_PASSWORD, PLANTED_CORE, *OTHER_SECRETS])]
    leaks += [f"console: {leak}" for leak in find_leaks(console, [PLANTED_PASSWORD, PLANTED_CORE, *OTHER_SECRETS])]
    assert leaks == []
    print(f"secret scan: {len(files)} files + console, {1 + len(OTHER_SECRETS)} planted values and Guid shapes, "
          f"{len(leaks)} hits")


def test_scan_finds_a_secret_inside_robots_compressed_html(tmp_path: Path) -> None:
    """The scan is not blind: a value logged on purpose is found in log.html, where Robot compresses it."""
    suite = tmp_path / "leak.robot"
    suite.write_text("*** Test Cases ***\nLeak\n    Log    value ${X}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "robot", "--variable", f"X:{PLANTED_PASSWORD}", "--outputdir",
                    str(tmp_path), str(suite)], capture_output=True, check=False, cwd=tmp_path)
    log = (tmp_path / "log.html").read_text(encoding="utf-8")
    assert PLANTED_PASSWORD not in log  # not in clear: a plain substring search would miss it
    assert find_leaks(log, [PLANTED_PASSWORD]) == ["Pl4... (known secret)"]


def test_leak_scan_catches_planted_values() -> None:
    guid = "0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway0"
    assert GUID_PATTERN.search(f"header Guid: {guid}")
    assert len(find_leaks(f"pw=hunter22 guid={guid}", ["hunter22"])) == 2
    assert find_leaks("pw=hunter&amp;22", ["hunter&22"]) == ["hun... (known secret)"]
