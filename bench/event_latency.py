#!/usr/bin/env python
"""Event latency in poll and push mode: from the embedded simulator queueing an event to `Wait For Event` returning it.

Everything runs in this process, as in a Robot run with `Start Gateway Simulator`: the simulator on its own
event-loop thread, the library's poller thread, and this thread waiting. An event (``AgentOther_Note``) is
queued directly in the simulator's model on the simulator's loop (``GatewayModel.emit``), the time taken at
that moment, and right after scheduling it this thread starts waiting. Rows, interleaved round by round:

* ours: ``Wait For Event`` (the library's keyword, called from Python);
* ours (push): the same with a second library instance in push mode (``event_mode=push``) and its own simulator:
  the simulator POSTs the event to the library's HTTPS endpoint;
* WUKS 0.5 s and WUKS 1 s: a Python equivalent of ``Wait Until Keyword Succeeds    10s    0.5s    <the event
  has arrived>``: ``Get Event History`` until the event is there, sleeping the retry interval between checks;
* floor: one raw HTTPS round trip to the same simulator (``GET .../agentstatus`` with a keep-alive
  ``requests.Session``), the least any delivery through the gateway could take.

Run ``python bench/event_latency.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta

import requests
from benchlib import Figure, command_line, load_note, percentile, print_table, today
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.simulator.roster import Roster

AGENT, PHONE = "101", "70001"
EVENT = "AgentOther_Note"  # no content, no cause: the simulator's contract checks accept it from outside
STATUS_PATH = f"/agentgateway/resource/onlineagent/{AGENT}/agentstatus"
PERCENTILES = (50, 90, 99)


class Bench:
    """One library instance with its embedded simulator and one signed-in agent."""

    def __init__(self, poll_wait: float, mode: str = "poll") -> None:
        self.lib = CCGatewayLibrary(event_mode=mode)  # type: ignore[arg-type]
        self.url = self.lib.start_gateway_simulator(poll_wait=timedelta(seconds=poll_wait))
        runner = self.lib.ctx.simulator
        assert runner is not None
        # The runner keeps its event loop private; the model must only be touched on that loop's thread.
        self.loop = runner._loop
        assert self.loop is not None
        self.model = runner.simulator.model
        self.ca = str(runner.ca_file)
        self.lib.sign_in_agent(AGENT, Secret(Roster.load().password_of(AGENT)), PHONE)
        self.lib.wait_for_event("AgentState_Ready")
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()
        self.lib.stop_gateway_simulator()
        self.lib.ctx.shut_down()  # the push endpoint too

    def _queue_event(self) -> list[float]:
        """Has the simulator queue the event on its own loop; the list gets the perf_counter of that moment."""
        stamp: list[float] = []

        def emit() -> None:
            stamp.append(time.perf_counter())
            self.model.emit(self.model.agents[AGENT], EVENT)

        self.loop.call_soon_threadsafe(emit)  # type: ignore[union-attr]
        return stamp

    def ours(self) -> float:
        stamp = self._queue_event()
        self.lib.wait_for_event(EVENT, timeout=timedelta(seconds=10))
        return (time.perf_counter() - stamp[0]) * 1000

    def wait_until_keyword_succeeds(self, interval: float) -> float:
        history = self.lib.get_event_history()
        last = history[-1]["seq"] if history else 0
        stamp = self._queue_event()
        deadline = time.monotonic() + 10
        while not any(item["seq"] > last and item["eventType"] == EVENT for item in self.lib.get_event_history()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{EVENT} did not arrive in 10 s")
            time.sleep(interval)
        return (time.perf_counter() - stamp[0]) * 1000

    def floor(self) -> float:
        guid = self.lib.ctx.agent(AGENT).session.guid.guid  # read each time: dynamic auth rotates it
        assert guid is not None
        started = time.perf_counter()
        response = self.http.get(self.url + STATUS_PATH, headers={"Guid": guid.value}, verify=self.ca)
        if response.status_code != 200 or response.json().get("retcode") != "0":
            raise AssertionError(f"agentstatus: HTTP {response.status_code} {response.text[:200]}")
        return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: 100 events, 2 rounds (< 30 s)")
    parser.add_argument("--events", type=int, help="events for ours and round trips for the floor "
                                                   "(default 1000, quick 100)")
    parser.add_argument("--anchor-events", type=int, help="events per WUKS interval (default 40, quick 6)")
    parser.add_argument("--rounds", type=int, help="rounds the rows are interleaved in (default 10, quick 2)")
    parser.add_argument("--poll-wait", type=float, default=10.0,
                        help="seconds the simulator holds an empty poll (default 10, the gateway's)")
    parser.add_argument("--gap-ms", type=float, default=20.0,
                        help="a random pause of 0 to this many ms before each of our events (default 20)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    events = args.events or (100 if args.quick else 1000)
    anchor_events = args.anchor_events or (6 if args.quick else 40)
    rounds = args.rounds or (2 if args.quick else 10)
    randomness = random.Random(args.seed)
    # The floor passes the simulator's CA with each request; nothing in the environment may replace it.
    before = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ.pop("REQUESTS_CA_BUNDLE", None)
    os.environ.pop("CURL_CA_BUNDLE", None)

    started = time.perf_counter()
    load_before = load_note()
    bench = Bench(args.poll_wait)
    pushed = Bench(args.poll_wait, "push")
    samples: dict[str, list[float]] = {"ours": [], "ours (push)": [], "WUKS 0.5 s": [], "WUKS 1 s": [], "floor": []}

    def ours_block(count: int, which: Bench = bench, row: str = "ours") -> None:
        which.lib.clear_events()  # the anchors' events must not satisfy our waits
        for _ in range(count):
            time.sleep(randomness.uniform(0, args.gap_ms / 1000))
            samples[row].append(which.ours())

    def floor_block(count: int) -> None:
        bench.floor()  # the connection stays open from here on
        samples["floor"].extend(bench.floor() for _ in range(count))

    def anchor_block(name: str, interval: float, count: int) -> Callable[[], None]:
        return lambda: samples[name].extend(bench.wait_until_keyword_succeeds(interval) for _ in range(count))

    def share(total: int, number: int) -> int:
        return total // rounds + (1 if number < total % rounds else 0)

    try:
        for number in range(rounds):
            blocks = [lambda n=number: ours_block(share(events, n)),
                      lambda n=number: floor_block(share(events, n)),
                      anchor_block("WUKS 0.5 s", 0.5, share(anchor_events, number)),
                      anchor_block("WUKS 1 s", 1.0, share(anchor_events, number)),
                      lambda n=number: ours_block(share(events, n), pushed, "ours (push)")]
            for block in blocks[number % 5:] + blocks[:number % 5]:
                block()
            print(f"round {number + 1}/{rounds} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    finally:
        bench.close()
        pushed.close()
    runtime = time.perf_counter() - started

    ours = samples["ours"]
    figures = [Figure(f"p{p} latency, anchor {name}", percentile(ours, p), percentile(samples[name], p), "ms")
               for name in ("WUKS 0.5 s", "WUKS 1 s", "floor") for p in PERCENTILES]

    print(f"# Event latency (poll and push mode), {today()}")
    print(f"command: {command_line()}")
    print(f"simulator poll wait {args.poll_wait:g} s, library poll interval (pause after an empty poll) "
          f"{bench.lib.ctx.settings.poll_interval:g} s, random gap 0-{args.gap_ms:g} ms before each of our events; "
          f"{rounds} interleaved rounds")
    print(f"CA environment: REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE unset (REQUESTS_CA_BUNDLE was {before or 'unset'}); "
          "the floor passes the simulator's CA per request")
    print(f"machine: before {load_before}; after {load_note()} (other jobs were running)")
    print_table("Event latency, queued in the simulator -> returned (ratio = ours / anchor; below 1: ours is "
                "faster)", figures)
    print("\n| row | samples | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|")
    for name, values in samples.items():
        cells = " | ".join(f"{percentile(values, p):.2f} ms" for p in PERCENTILES)
        print(f"| {name} | {len(values)} | {cells} | {max(values):.2f} ms |")
    print("\nrows: ours = Wait For Event; ours (push) = the same, events pushed to the library;\n"
          "WUKS x s = Get Event History every x s until the event is there "
          "(Wait Until Keyword Succeeds 10s x s); floor = one HTTPS GET agentstatus to the simulator, keep-alive")
    print(f"\nruntime: {runtime:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
