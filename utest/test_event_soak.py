"""Soak test of event delivery, polled and pushed: many events, faults injected at random, none returned twice, and
the only ones missing are those the simulator reports as lost (with a dropped poll reply, each showing as a gap;
or in a push dropped after it was dequeued or that failed every try, which the library cannot see).

``CCGW_SOAK_EVENTS`` sets the number of events (2,000 by default, 10,000 for the full run) and
``CCGW_SOAK_SEED`` the seed: ``CCGW_SOAK_EVENTS=10000 python -m pytest -q -s utest/test_event_soak.py``
(``-k push`` or ``-k poll`` for one mode).
"""

from __future__ import annotations

import os
import random
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.simulator.faults import parse_fault
from CCGatewayLibrary.simulator.roster import Roster

EVENTS = int(os.environ.get("CCGW_SOAK_EVENTS", "2000"))
SEED = int(os.environ.get("CCGW_SOAK_SEED", "20261128"))
FAULTS = {  # (weight, fault) tried between bursts of events
    "poll": [
        (4, {"fault": "http", "value": 502}),
        (2, {"fault": "not-json"}),
        (3, {"fault": "drop"}),
        (2, {"fault": "delay", "value": 0.05}),
        (1, {"fault": "retcode", "value": "100-007"}),
    ],
    # Three tries after the first: an unreachable callback for 1 to 3 tries loses nothing, for 4 the push is lost.
    "push": [
        (4, {"fault": "duplicate"}),
        (3, {"fault": "drop"}),
        (2, {"fault": "delay", "value": 0.05}),
        (3, {"fault": "unreachable", "count": 1}),
        (1, {"fault": "unreachable", "count": 3}),
        (1, {"fault": "unreachable", "count": 4}),
    ],
}
INTERFACE = {"poll": "getAgentEvent", "push": "push"}


@pytest.mark.parametrize("mode", ["poll", "push"])
def test_soak_no_event_twice_and_every_loss_reported(mode: str) -> None:
    rng = random.Random(SEED)
    library = CCGatewayLibrary(event_timeout=timedelta(seconds=10), poll_interval=timedelta(milliseconds=5),
                               event_mode=mode)  # type: ignore[arg-type]
    # Push mode at a tenth of the gateway's timers: retries after 50, 100 and 200 ms, a heartbeat every 3 s.
    library.start_gateway_simulator(poll_wait=timedelta(milliseconds=200), time_scale=1.0 if mode == "poll" else 0.1)
    try:
        runner = library.ctx.simulator
        assert runner is not None
        simulator, loop = runner.simulator, runner._loop
        assert loop is not None
        library.sign_in_agent("101", Secret(Roster.load().password_of("101")), "70001")
        library.wait_for_event("AgentState_Ready")
        agent = simulator.model.agents["101"]
        interfaces = set(simulator.catalogue.interfaces)
        injected: list[str] = []
        started = time.monotonic()
        sent = 0
        while sent < EVENTS:
            # A push carries whatever queued meanwhile, so pushes are fewer than polls: one push fault at a time.
            if rng.random() < 0.3 and not (mode == "push" and _pending(loop, simulator)):
                fault = rng.choices([f for _, f in FAULTS[mode]], weights=[w for w, _ in FAULTS[mode]])[0]
                injected.append(fault["fault"] + (f" x{fault['count']}" if "count" in fault else ""))
                parsed = parse_fault(dict(fault, interface=INTERFACE[mode], agent="101"), interfaces)
                _on_loop(loop, lambda parsed=parsed: simulator.faults.append(parsed))
            burst = min(rng.randint(1, 20), EVENTS - sent)
            first = sent
            _on_loop(loop, lambda first=first, burst=burst: [
                simulator.model.emit(agent, "AgentState_SetNotReady_Success", {"reason": str(n)})
                for n in range(first, first + burst)])
            sent += burst
            time.sleep(rng.random() * 0.01)
            while mode == "push" and agent.queue and time.monotonic() - started < 600:
                time.sleep(0.002)  # the pusher takes the burst: a push per burst or so, not a few huge ones
        _on_loop(loop, lambda: simulator.faults.clear())
        # Everything not lost arrives; then nothing more comes.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lost = simulator.model.events["lost"]
            if len(_received(library)) + lost >= EVENTS and not agent.queue:
                time.sleep(0.5)  # a duplicate delivery still in flight must not count twice either
                break
            time.sleep(0.1)
        received = _received(library)
        lost = simulator.model.events["lost"]
        gaps = library.ctx.agent().journal.gaps()
        elapsed = time.monotonic() - started
        pushes = simulator.counters()["pushes"]
        handle = library.ctx.agent()
        duplicates = handle.poller.registration.duplicates if mode == "push" else 0  # type: ignore[union-attr]
        pushed = f", second deliveries recognised {duplicates}, pushes {pushes}"
        print(f"\nsoak ({mode}): {EVENTS} events, seed {SEED}, {len(injected)} faults "
              f"({', '.join(f'{k} {injected.count(k)}' for k in sorted(set(injected)))}); received {len(received)}, "
              f"duplicates {len(received) - len(set(received))}, lost (simulator) {lost}, gaps recorded "
              f"{len(gaps)}{pushed if mode == 'push' else ''}, {elapsed:.1f} s")
        assert len(received) == len(set(received)), "an event was returned twice"
        missing = set(range(EVENTS)) - set(received)
        assert len(missing) == lost, f"{len(missing)} missing but the simulator lost {lost}"
        if mode == "poll":
            assert len(gaps) >= lost, "a lost event left no gap in the journal"
        else:  # a push lost by the gateway leaves no trace at the receiver: nothing to show as a gap
            assert duplicates >= pushes["duplicated"], "a second delivery was not recognised"
            assert pushes["dropped"] + pushes["failed"] > 0 or lost == 0
        assert received == sorted(received), "events arrived out of order"
    finally:
        library.stop_gateway_simulator()


def _received(library: CCGatewayLibrary) -> list[int]:
    return [int(r.event["content"]["reason"]) for r in library.ctx.agent().journal.events()
            if r.name == "AgentState_SetNotReady_Success"]


def _pending(loop: Any, simulator: Any) -> bool:
    """Whether a fault injected earlier is still to come."""
    found: list[bool] = []
    _on_loop(loop, lambda: found.append(bool(simulator.faults)))
    return found[0]


def _on_loop(loop: Any, action: Any) -> None:
    """Runs ``action`` on the simulator's event loop and waits for it, as the server's own code runs there."""
    done = threading.Event()

    def run() -> None:
        try:
            action()
        finally:
            done.set()

    loop.call_soon_threadsafe(run)
    assert done.wait(10)
