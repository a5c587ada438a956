"""Agents per process: CPU and memory of one Robot process driving N signed-in agents.

The simulator runs as its own process (``ccgw-sim``), so only the Robot process is measured. For each N the
script runs a generated suite that signs N agents in, lets them poll idle for a fixed time, then (with
``--calls``) runs a call flow on each agent, and reads the Robot process's CPU time and peak RSS from
``resource.getrusage(RUSAGE_CHILDREN)``. The anchor is the same suite with no agent (Robot and the library
loaded, nothing polling), so the table shows what the agents themselves cost.

    .venv/bin/python bench/agents_per_process.py            # N = 10, 100, 200; 20 s idle
    .venv/bin/python bench/agents_per_process.py --quick    # N = 10, 50; 5 s idle
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import command_line, load_note, start_ccgw_sim, stop_process, today

REPO = Path(__file__).resolve().parents[1]
PASSWORD_ENV = "BENCH_AGENT_PW"
PASSWORD = "Bench-Agent-Pw-1"

SUITE = """*** Settings ***
Library    CCGatewayLibrary    url={url}    ca_bundle={ca}    event_timeout=30s

*** Variables ***
${{PW: Secret}}    %{{{env}}}

*** Test Cases ***
Agents
    FOR    ${{i}}    IN RANGE    {n}
        ${{id}}=    Evaluate    str(101 + $i)
        Sign In Agent    ${{id}}    ${{PW}}    7${{id}}    alias=a${{id}}
    END
    ${{cpu_before}}=    Evaluate    time.process_time()    modules=time
    Sleep    {idle}s
    Evaluate    pathlib.Path(r'{idle_file}').write_text(str(time.process_time() - $cpu_before))
    ...    modules=time,pathlib
    IF    {calls}
        FOR    ${{i}}    IN RANGE    {n}
            ${{id}}=    Evaluate    str(101 + $i)
            Switch Agent    a${{id}}
            ${{callid}}=    Simulate Inbound Call    caller=8888${{id}}    agent=a${{id}}
            Wait For Event    AgentEvent_Ringing    callid=${{callid}}
            Answer Call
            Hold Call
            Retrieve Call    ${{callid}}
            Release Call
            Wait For Event    AgentState_Ready
        END
    END
    Sign Out All Agents
"""


def run(folder: Path, endpoint: dict[str, str], n: int, idle: float,
        calls: bool) -> tuple[float, float, float, float]:
    """(CPU seconds, peak RSS in MB, wall seconds, CPU seconds while idle) of one Robot run."""
    suite = folder / f"agents_{n}_{int(calls)}.robot"
    idle_file = folder / f"idle_{n}_{int(calls)}.txt"
    suite.write_text(SUITE.format(url=endpoint["url"], ca=endpoint["ca_file"], env=PASSWORD_ENV, n=n, idle=idle,
                                  calls=calls, idle_file=idle_file), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(folder), "--output", "NONE",
                             "--log", "NONE", "--report", "NONE",
                             "--console", "none", str(suite)],
                            env=dict(os.environ, **{PASSWORD_ENV: PASSWORD}, REQUESTS_CA_BUNDLE=""),
                            cwd=REPO, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"the suite with {n} agents failed (rc {result.returncode}); keep it with --keep to look")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss is in KB on Linux; it is the largest child so far
    return cpu, after.ru_maxrss / 1024, wall, float(idle_file.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 10, 50 and 5 s idle")
    parser.add_argument("--agents", type=int, nargs="+", help="agent counts (default 10 100 200)")
    parser.add_argument("--idle", type=float, help="seconds the agents poll idle (default 20, quick 5)")
    parser.add_argument("--calls", action="store_true", help="also run a call flow on every agent")
    args = parser.parse_args()
    counts = args.agents or ([10, 50] if args.quick else [10, 100, 200])
    idle = args.idle or (5.0 if args.quick else 20.0)
    print(f"# agents per process, {today()}; {load_note()}\n# {command_line()}")
    with tempfile.TemporaryDirectory(prefix="ccgw-bench-") as tmp:
        folder = Path(tmp)
        simulator, endpoint = start_ccgw_sim(folder, 1100, PASSWORD, "--poll-wait", "10")
        try:
            base_cpu, base_rss, base_wall, base_idle = run(folder, endpoint, 0, idle, False)
            print(f"\n{'agents':>7} {'calls':>5} {'CPU s':>8} {'CPU %':>7} {'idle CPU %':>11} {'peak RSS MB':>12} "
                  f"{'wall s':>8} {'CPU s / agent':>14} {'RSS MB / agent':>15}")
            print(f"{0:>7} {'-':>5} {base_cpu:8.2f} {100 * base_cpu / base_wall:7.1f} {100 * base_idle / idle:11.2f} "
                  f"{base_rss:12.1f} {base_wall:8.1f} {'(anchor)':>14} {'(anchor)':>15}")
            for n in counts:
                for calls in ([False, True] if args.calls else [False]):
                    cpu, rss, wall, idle_cpu = run(folder, endpoint, n, idle, calls)
                    print(f"{n:>7} {'yes' if calls else 'no':>5} {cpu:8.2f} {100 * cpu / wall:7.1f} "
                          f"{100 * idle_cpu / idle:11.2f} {rss:12.1f} {wall:8.1f} {(cpu - base_cpu) / n:14.3f} "
                          f"{(rss - base_rss) / n:15.3f}")
        finally:
            stop_process(simulator)
    print("\nidle CPU %: the Robot process's own CPU time (all its threads) during the idle Sleep, as a share of "
          "one core;\nCPU % and CPU s cover the whole run, sign-in of every agent included.")
    print("Peak RSS is the largest Robot process so far (getrusage), so it only grows down the table.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
