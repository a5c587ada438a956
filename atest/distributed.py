#!/usr/bin/env python3
"""Several pabot runs sharing one PabotLib server, as CI machines do, with the outputs merged by rebot.

Each run takes its share of the suites (``pabot --shard i/n``), all runs at once. Agents are reserved from the
pool through the one PabotLib server, and the pool suites sign them in on one gateway that every run shares
(a ``ccgw-sim`` started here; the other suites start their own simulators as usual). Afterwards the expected
failures are checked (robotstatuschecker), the runs are merged with rebot, and the shared gateway's request log
shows whether any agent was signed in twice.

    python atest/distributed.py                          # the acceptance suites, 2 runs of 2 processes
    python atest/distributed.py --shards 3 --processes 1
    python atest/distributed.py --testlevelsplit atest/suites/agent_pool.robot
    python atest/distributed.py --separate-pabotlib      # each run its own server: reservations collide

On several machines the same steps are: start ``python -m pabot.pabotlib "" 0.0.0.0 8270`` on one machine
(reachable only from the CI network), run ``pabot --shard i/n --pabotlibhost HOST --pabotlibport 8270
--variable CCGW_POOL_SERVER:HOST:8270 ...`` on machine i, and merge with ``rebot``; see docs/user-guide.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from robot.api import ExecutionResult
from robot.libraries.Remote import Remote
from robotstatuschecker import process_output

from CCGatewayLibrary.secrets import find_leaks
from CCGatewayLibrary.simulator.roster import Roster

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "distributed"
SIGN_IN = {"login", "forceLogin", "loginEx"}
SIGN_OUT = {"logout", "forceLogout", "forceLogoutWithReason"}
LOG_LINE = re.compile(r"agent=(\S+) (\w+) retcode=(\S+)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start")
        time.sleep(0.1)


@contextmanager
def pabotlib_server() -> Iterator[str]:
    """``python -m pabot.pabotlib`` on a free port, as a team starts it on one machine for all of them."""
    port = _free_port()
    uri = f"127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "pabot.pabotlib", "", "127.0.0.1", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        try:
            Remote(uri, timeout=2).run_keyword("get_parallel_value_for_key", ["ccgw"], {})
            return True
        except RuntimeError:
            return False

    try:
        _wait(answers, f"PabotLib at {uri}", process)
        yield uri
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def shared_gateway(folder: Path) -> Iterator[dict[str, str]]:
    """One ``ccgw-sim`` for every run, logging one line per request (agent, interface, retcode; nothing secret)."""
    ready = folder / "ccgw-sim-ready.json"
    ready.unlink(missing_ok=True)  # one left by an earlier run would say "ready" at once
    (folder / "ccgw-sim-requests.log").unlink(missing_ok=True)
    command = [sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", "--poll-wait", "2",
               "--ca-file", str(folder / "ccgw-sim-ca.pem"), "--ready-file", str(ready),
               "--log-file", str(folder / "ccgw-sim-requests.log")]
    if os.environ.get("CCGW_SIM_ROSTER"):
        command += ["--roster", os.environ["CCGW_SIM_ROSTER"]]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    try:
        _wait(ready.exists, "ccgw-sim", process)
        time.sleep(0.1)  # the file is written in one go, but give the writer its moment
        yield json.loads(ready.read_text(encoding="utf-8"))
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def pabot_command(index: int, shards: int, args: argparse.Namespace, uri: str, gateway: dict[str, str],
                  folder: Path, rest: list[str]) -> list[str]:
    host, port = uri.rsplit(":", 1)
    command = [sys.executable, "-m", "pabot.pabot", "--processes", str(args.processes),
               # Connects to the shared server instead of starting one; pabot 5.2 still hands the processes
               # 127.0.0.1:8270 as PABOTLIBURI (mkorpela/pabot#717), hence CCGW_POOL_SERVER.
               "--pabotlibhost", host, "--pabotlibport", port]
    if shards > 1:
        command += ["--shard", f"{index}/{shards}"]
    # Per suite: one Robot process per pabot process (--chunk), as atest/run.py does; per test, each its own.
    command.append("--testlevelsplit" if args.testlevelsplit else "--chunk")
    command += ["--name", f"Shard {index}", "--outputdir", str(folder), "--output", "output.xml",
                "--log", "NONE", "--report", "NONE", "--loglevel", args.loglevel,
                "--variable", "GATEWAY_URL:simulator", "--variable", f"CCGW_POOL_SERVER:{uri}",
                "--variable", f"POOL_GATEWAY_URL:{gateway['url']}",
                "--variable", f"POOL_GATEWAY_CA:{gateway['ca_file']}",
                "--pythonpath", str(HERE.parent), *rest]
    return command


def run_shards(args: argparse.Namespace, rest: list[str], results: Path, gateway: dict[str, str],
               uris: list[str]) -> list[Path]:
    """Starts every run at once and waits for all; returns their output.xml files."""
    # pabot starts "robot" from PATH: make it this interpreter's.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    runs = []
    for index in range(1, args.shards + 1):
        folder = results / f"shard-{index}"
        folder.mkdir(parents=True, exist_ok=True)
        uri = uris[(index - 1) % len(uris)]
        console = (folder / "console.txt").open("w", encoding="utf-8")
        # Each run in its own folder: pabot writes .pabotsuitenames into the working directory.
        runs.append((subprocess.Popen(pabot_command(index, args.shards, args, uri, gateway, folder, rest),
                                      stdout=console, stderr=subprocess.STDOUT, env=env, cwd=folder), console))
    for process, console in runs:
        process.wait()
        console.close()
    return [results / f"shard-{index}" / "output.xml" for index in range(1, args.shards + 1)]


def sign_ins(log: Path) -> tuple[Counter[str], list[str]]:
    """Sign-ins per agent on the shared gateway, and every time an agent was signed in twice (a sign-in refused
    with 100-002, or two accepted sign-ins without a sign-out between)."""
    counts: Counter[str] = Counter()
    twice: list[str] = []
    signed_in: set[str] = set()
    for line in log.read_text(encoding="utf-8").splitlines():
        match = LOG_LINE.search(line)
        if not match:
            continue
        agent, interface, retcode = match.groups()
        if interface in SIGN_IN and retcode == "100-002":
            twice.append(f"{line.split()[0]} agent {agent}: {interface} refused, already signed in (100-002)")
        elif interface in SIGN_IN and retcode == "0":
            if agent in signed_in and interface != "forceLogin":
                twice.append(f"{line.split()[0]} agent {agent}: signed in again while signed in")
            signed_in.add(agent)
            counts[agent] += 1
        elif interface in SIGN_OUT and retcode == "0":
            signed_in.discard(agent)
    return counts, twice


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shards", type=int, default=2, help="pabot runs, each with its --shard (default 2)")
    parser.add_argument("--processes", type=int, default=2, help="processes per run (default 2)")
    parser.add_argument("--testlevelsplit", action="store_true", help="split per test instead of per suite")
    parser.add_argument("--separate-pabotlib", action="store_true",
                        help="give each run its own PabotLib server (shows what the shared one prevents)")
    parser.add_argument("--loglevel", default="DEBUG:INFO", help="robot --loglevel (default DEBUG:INFO)")
    parser.add_argument("--outputdir", type=Path, default=RESULTS, help="default atest/results/distributed")
    args, rest = parser.parse_known_args(argv)
    # Each run works in its own folder: data sources become absolute paths.
    rest = [str(Path(item).resolve()) if Path(item).exists() else item for item in rest]
    if not any(Path(item).exists() for item in rest):
        rest.append(str(HERE / "suites"))
    results = args.outputdir.resolve()
    results.mkdir(parents=True, exist_ok=True)
    for stale in results.glob("shard-*/output.xml"):
        stale.unlink()
    started = time.monotonic()
    servers = 1 if not args.separate_pabotlib else args.shards
    with shared_gateway(results) as gateway, _servers(servers) as uris:
        print(f"{args.shards} pabot runs of {args.processes} process(es), PabotLib at {', '.join(uris)}, shared "
              f"gateway {gateway['url']}; consoles in {results}/shard-*/console.txt ...", flush=True)
        outputs = run_shards(args, rest, results, gateway, uris)
    elapsed = time.monotonic() - started
    missing = [str(output) for output in outputs if not output.exists()]
    if missing:
        print(f"no output from: {', '.join(missing)}", file=sys.stderr)
        return 252
    for output in outputs:
        process_output(str(output))  # expected failures ([Documentation] FAIL ...) become passes
    merged = results / "output.xml"
    rebot = subprocess.run([sys.executable, "-m", "robot.rebot", "--name", "Acceptance", "--outputdir", str(results),
                            "--output", str(merged), "--log", "log.html", "--report", "report.html",
                            *map(str, outputs)], capture_output=True, text=True, check=False)
    if not merged.exists():
        print(rebot.stdout + rebot.stderr, file=sys.stderr)
        return 252
    result = ExecutionResult(str(merged))
    for test in result.suite.all_tests:
        if not test.passed:
            print(f"{test.status:4}  {test.full_name}\n      {(test.message or '').splitlines()[0:1]}")
    stats = result.statistics.total
    counts, twice = sign_ins(results / "ccgw-sim-requests.log")
    print(f"{stats.total} tests, {stats.passed} passed, {stats.failed} failed, {stats.skipped} skipped "
          f"(expected failures checked) in {args.shards} runs; wall time {elapsed:.1f} s. Log: {results / 'log.html'}")
    shared = ", ".join(f"{agent} x{count}" for agent, count in sorted(counts.items())) or "none"
    print(f"Sign-ins on the shared gateway: {shared}.")
    for problem in twice:
        print(f"SIGNED IN TWICE {problem}", file=sys.stderr)
    if not twice:
        print("No agent was signed in twice.")
    return 1 if stats.failed or twice or _leaks(results) else 0


@contextmanager
def _servers(count: int) -> Iterator[list[str]]:
    with pabotlib_server() as first:
        if count == 1:
            yield [first]
        else:
            with _servers(count - 1) as others:
                yield [first, *others]


def _leaks(results: Path) -> int:
    roster = os.environ.get("CCGW_SIM_ROSTER") or None
    known = [os.environ.get("CCGW_AGENT_PASSWORD") or Roster.load(roster).password_of("101")]
    leaks = [f"{path.relative_to(results)}: {leak}" for path in sorted(results.rglob("*")) if path.is_file()
             for leak in find_leaks(path.read_text(encoding="utf-8", errors="replace"), known)]
    for leak in leaks:
        print(f"SECRET LEAK {leak}", file=sys.stderr)
    return len(leaks)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
