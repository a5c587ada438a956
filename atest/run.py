#!/usr/bin/env python3
"""Runs the acceptance suites and writes log.html and report.html under atest/results/.

By default every suite starts the embedded gateway simulator in its suite setup; ``--gateway URL``
runs the same suites against a real gateway instead (tests tagged ``simulator-only`` are skipped).
After the run, robotstatuschecker checks expected failures and log messages, rebot writes the
report, the outputs and console are scanned for passwords and Guids, and each test's sequence diagram
is checked to hold only that test's events.

    python atest/run.py                                  # against the simulator
    python atest/run.py --gateway https://gw:8043 --ca-bundle ca.pem
    python atest/run.py --processes 2                    # suites in parallel (pabot --chunk); each starts its simulator
    python atest/run.py --event-mode push                # events pushed to the library instead of polled
    python atest/run.py --include errors                 # extra options go to robot
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from robot.api import ExecutionResult
from robotstatuschecker import process_output

from CCGatewayLibrary.reporting.audit import foreign_events
from CCGatewayLibrary.secrets import find_leaks
from CCGatewayLibrary.simulator.roster import Roster

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="simulator", help="URL of a real gateway (default: simulator)")
    parser.add_argument("--ca-bundle", default="", help="CA file of the real gateway")
    parser.add_argument("--loglevel", default="DEBUG:INFO", help="robot --loglevel (default DEBUG:INFO)")
    parser.add_argument("--processes", type=int, default=1, help="run suites in parallel with pabot (default 1)")
    parser.add_argument("--outputdir", type=Path, default=RESULTS, help="where results go (default atest/results)")
    parser.add_argument("--event-mode", choices=("poll", "push"), default="poll",
                        help="how agents get their events: poll (default) or push (tests tagged poll-only skipped)")
    args, robot_args = parser.parse_known_args(argv)
    results = args.outputdir.resolve()
    results.mkdir(parents=True, exist_ok=True)
    output = results / "output.xml"
    # --chunk: one Robot process per pabot process instead of one per suite; each new process costs seconds of
    # imports, which ate the gain of running suites side by side (bench/suite_wall_time.py).
    # ccgw-pabot: pabot with this interpreter's Robot and a free PabotLib port (two runs on one machine).
    runner = ["-m", "CCGatewayLibrary.parallel", "--processes", str(args.processes), "--chunk"] \
        if args.processes > 1 else ["-m", "robot"]
    command = [sys.executable, *runner, "--outputdir", str(results), "--output", str(output),
               "--log", "NONE", "--report", "NONE", "--loglevel", args.loglevel,
               "--variable", f"GATEWAY_URL:{args.gateway}", "--variable", f"GATEWAY_CA_BUNDLE:{args.ca_bundle}",
               "--variable", f"CCGW_EVENT_MODE:{args.event_mode}", "--pythonpath", str(HERE.parent)]
    if args.gateway != "simulator":
        command += ["--exclude", "simulator-only"]
    if args.event_mode == "push":
        command += ["--exclude", "poll-only"]
    command += [*robot_args, str(HERE / "suites")]
    started = time.monotonic()
    # Robot's own console shows tests that fail on purpose as FAIL; it goes to console.txt, and the console here
    # shows each test's result after robotstatuschecker has checked the expected failures.
    print(f"Running the acceptance suites against {args.gateway}, events by {args.event_mode} "
          f"(Robot's console: {results / 'console.txt'}) ...",
          flush=True)
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         check=False)
    elapsed = time.monotonic() - started
    (results / "console.txt").write_text(run.stdout, encoding="utf-8")
    if not output.exists():
        print(run.stdout[-3000:], file=sys.stderr)
        print("robot wrote no output.xml", file=sys.stderr)
        return 252
    process_output(str(output))
    rebot = subprocess.run([sys.executable, "-m", "robot.rebot", "--outputdir", str(results), "--output", "NONE",
                            "--log", "log.html", "--report", "report.html", str(output)],
                           check=False, capture_output=True, text=True)
    result = ExecutionResult(str(output))
    _print_checked(result.suite)
    stats = result.statistics.total
    print(f"{stats.total} tests, {stats.passed} passed, {stats.failed} failed, {stats.skipped} skipped "
          f"(expected failures checked). Robot wall time {elapsed:.1f} s. Log: {results / 'log.html'}")
    leaks, foreign = _scan_for_secrets(results), _check_diagrams(output)
    return leaks or foreign or rebot.returncode


def _check_diagrams(output: Path) -> int:
    """Every test's sequence diagram holds only events of that test (reporting/audit.py)."""
    found, checked = foreign_events(output)
    for foreign in found:
        print(f"DIAGRAM {foreign}", file=sys.stderr)
    print(f"{checked} test diagrams checked: {len(found) or 'no'} event rows from outside their test.")
    return 1 if found else 0


def _print_checked(suite: Any) -> None:
    """One line per test, after the check: an expected failure whose message matched is a pass."""
    for test in suite.all_tests:
        expected = "  (failed as expected)" if test.passed and test.doc.startswith("FAIL") else ""
        print(f"{test.status:4}  {test.longname}{expected}")
        if not test.passed:
            print(f"      {test.message.splitlines()[0] if test.message else ''}")


def _scan_for_secrets(results: Path) -> int:
    """Every file the run wrote (pabot's per-process outputs, a --debugfile too) is searched for passwords and
    anything shaped like a Guid."""
    roster = os.environ.get("CCGW_SIM_ROSTER") or None
    known = [os.environ.get("CCGW_AGENT_PASSWORD") or Roster.load(roster).password_of("101")]
    leaks = []
    for path in sorted(p for p in results.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(results)}: {leak}" for leak in find_leaks(text, known)]
    for leak in leaks:
        print(f"SECRET LEAK {leak}", file=sys.stderr)
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
