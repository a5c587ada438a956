"""Every acceptance suite, run in parallel at TRACE level with planted passwords, leaves no secret in any output.

The planted password carries characters that change under escaping (quote, backslash, ampersand, angle
bracket, non-ASCII), so a leak in repr, JSON, XML or HTML form is found as well as the plain one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planted import OTHER_SECRETS, PLANTED_CORE, PLANTED_PASSWORD

from CCGatewayLibrary.secrets import GUID_PATTERN, find_leaks

REPO = Path(__file__).resolve().parents[1]


def test_all_suites_in_parallel_at_trace_level_leak_no_secret(trace_run: tuple[Path, str]) -> None:
    results, console = trace_run
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
