"""Simulator capacity: N agents signed in, each holding a long poll, while a load of requests runs.

For each N (100, 500, 1000 by default) a fresh ``ccgw-sim`` process is started; an asyncio client (aiohttp,
one connection per poll) signs the N agents in, keeps one poll outstanding per agent, and sends
``getAgentStatus`` for random agents from 20 concurrent workers for a fixed time. It prints operations per
second, p50 and p99 reply time, the simulator's RSS (from /proc) and any refused connection or lost reply.
The anchor is the same load with no poll held, so the table shows what the held polls cost.

    .venv/bin/python bench/simulator_capacity.py             # N = 100, 500, 1000; 10 s of load each
    .venv/bin/python bench/simulator_capacity.py --quick     # N = 50, 200; 3 s
"""

from __future__ import annotations

import argparse
import asyncio
import random
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from benchlib import command_line, load_note, percentile, start_ccgw_sim, stop_process, today

REPO = Path(__file__).resolve().parents[1]
BASE = "/agentgateway/resource"
PASSWORD = "Capacity-Pw-1"
WORKERS = 20


def start(folder: Path, agents: int) -> tuple[subprocess.Popen[str], str, ssl.SSLContext]:
    process, endpoint = start_ccgw_sim(folder, 100 + max(agents, 1), PASSWORD, "--poll-wait", "10",
                                       "--auth-mode", "static")
    return process, endpoint["url"], ssl.create_default_context(cafile=endpoint["ca_file"])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(url: str, context: ssl.SSLContext, agents: int, hold_polls: bool, seconds: float,
                  pid: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(ssl=context, limit=0)
    errors = {"refused": 0, "lost": 0}
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
        guids: dict[str, str] = {}
        ids = [str(101 + n) for n in range(agents)]
        for start_at in range(0, len(ids), 50):  # sign in, 50 at a time
            async def sign_in(agent: str) -> None:
                async with http.put(f"{url}{BASE}/onlineagent/{agent}",
                                    json={"password": PASSWORD, "phonenum": "7" + agent}) as reply:
                    guids[agent] = reply.headers["Set-GUID"].partition("=")[2]
                    await reply.read()
            await asyncio.gather(*(sign_in(agent) for agent in ids[start_at:start_at + 50]))
        stop = asyncio.Event()

        async def poll_forever(agent: str) -> None:
            while not stop.is_set():
                try:
                    async with http.get(f"{url}{BASE}/agentevent/{agent}", headers={"Guid": guids[agent]}) as reply:
                        await reply.read()
                except (TimeoutError, aiohttp.ClientError):
                    errors["lost"] += 1

        pollers = [asyncio.create_task(poll_forever(agent)) for agent in ids] if hold_polls else []
        await asyncio.sleep(1.0)  # let the polls park at the simulator
        times: list[float] = []
        rng = random.Random(7)
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                agent = rng.choice(ids)
                started = time.perf_counter()
                try:
                    async with http.get(f"{url}{BASE}/onlineagent/{agent}/agentstatus",
                                        headers={"Guid": guids[agent]}) as reply:
                        body = await reply.json()
                    if body.get("retcode") != "0":
                        errors["lost"] += 1
                    times.append((time.perf_counter() - started) * 1000)
                except aiohttp.ClientConnectorError:
                    errors["refused"] += 1
                except (TimeoutError, aiohttp.ClientError):
                    errors["lost"] += 1

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        elapsed = time.monotonic() - began
        rss = rss_mb(pid)
        stop.set()
        for task in pollers:
            task.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)
    return {"ops": len(times) / elapsed, "p50": percentile(times, 50), "p99": percentile(times, 99), "rss": rss,
            **{k: float(v) for k, v in errors.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 50, 200 and 3 s of load")
    parser.add_argument("--agents", type=int, nargs="+", help="agent counts (default 100 500 1000)")
    parser.add_argument("--seconds", type=float, help="seconds of load per row (default 10, quick 3)")
    args = parser.parse_args()
    counts = args.agents or ([50, 200] if args.quick else [100, 500, 1000])
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    print(f"# simulator capacity, {today()}; {load_note()}\n# {command_line()}")
    print(f"# {WORKERS} workers send getAgentStatus for random agents for {seconds:g} s; static auth\n")
    print(f"{'agents':>7} {'polls held':>10} {'ops/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'RSS MB':>8} "
          f"{'refused':>8} {'lost':>6} {'ops/s vs anchor':>16}")
    with tempfile.TemporaryDirectory(prefix="ccgw-cap-") as tmp:
        for agents in counts:
            rows = {}
            for hold in (False, True):
                process, url, context = start(Path(tmp), agents)
                try:
                    rows[hold] = asyncio.run(measure(url, context, agents, hold, seconds, process.pid))
                finally:
                    stop_process(process)
            for hold, row in rows.items():
                ratio = f"{row['ops'] / rows[False]['ops']:.2f}" if hold else "(anchor)"
                print(f"{agents:>7} {'yes' if hold else 'no':>10} {row['ops']:8.0f} {row['p50']:8.2f} "
                      f"{row['p99']:8.2f} {row['rss']:8.1f} {row['refused']:8.0f} {row['lost']:6.0f} {ratio:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
