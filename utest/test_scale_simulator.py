"""Scale: N agents signed in to a ccgw-sim process, each holding a live long poll, N inbound calls answered.

Each agent signs in, polls without pause (one poll always held at the simulator), is offered a call through the
control interface, answers it on AgentEvent_Ringing, releases it on AgentEvent_Talking and is done at the
AgentState_Ready that follows. Every agent must receive exactly the events of that flow, in order, each once;
the simulator's counters must agree (every queued event delivered, none dropped or lost); no connection may be
refused. The test prints agents, calls, wall time, p99 reply time and the simulator's RSS.

The clients are asyncio (aiohttp), one coroutine per agent: the library's poller runs one thread per agent,
which is what a Robot suite with a handful of agents needs, but not how to drive a thousand from one process.

    .venv/bin/python -m pytest -q -s utest/test_scale_simulator.py                         # N = 50
    CCGW_SCALE_AGENTS=1000 .venv/bin/python -m pytest -q -s utest/test_scale_simulator.py  # N = 1000
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.simulator.control import CONTROL_PREFIX
from CCGatewayLibrary.simulator.process import SimulatorProcess

pytestmark = pytest.mark.scale

AGENTS = int(os.environ.get("CCGW_SCALE_AGENTS", "50"))
PASSWORD = "Scale-Pw-2718"
POLL_WAIT = 10.0
CONCURRENCY = 100  # requests other than polls in flight at once (sign-ins, calls offered, answers, releases)
EXPECTED = ["AgentOther_InService", "AgentState_Ready", "AgentState_Busy", "AgentOther_PhoneAlerting",
            "AgentOther_PhoneOffhook", "AgentEvent_Ringing", "AgentEvent_Customer_Alerting", "AgentEvent_Talking",
            "AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]
MAX_RSS_MB = 1024  # bounded memory: far above what 1000 agents need, far below leaking per request


def _raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


class Crowd:
    """N agents driven by coroutines, with what each received and how long each reply took."""

    def __init__(self, http: aiohttp.ClientSession, url: str, ids: list[str]) -> None:
        self.http, self.url, self.ids = http, url, ids
        self.catalogue = load_catalogue()
        self.guids: dict[str, str] = {}
        self.received: dict[str, list[dict[str, Any]]] = {agent: [] for agent in ids}
        self.done = {agent: asyncio.Event() for agent in ids}
        self.reply_ms: dict[str, list[float]] = {}  # per interface (or control path)
        self.refused = 0
        self.failures: list[str] = []
        self.gate = asyncio.Semaphore(CONCURRENCY)

    async def gateway(self, name: str, agent: str, body: Any = None, *, timed: bool = True) -> dict[str, Any]:
        interface = self.catalogue.interface(name)
        headers = {"Guid": self.guids[agent]} if agent in self.guids else {}
        started = time.perf_counter()
        try:
            async with self.http.request(interface.method, self.url + interface.url_path({"agentid": agent}),
                                         json=body, headers=headers) as response:
                reply = await response.json()
                guid = response.headers.get("Set-GUID", "").partition("JSESSIONID=")[2]
                if guid:
                    self.guids[agent] = guid
        except aiohttp.ClientConnectorError:
            self.refused += 1
            raise
        if timed:
            self.reply_ms.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        if reply.get("retcode") != "0":
            self.failures.append(f"{name} for {agent}: {reply}")
        return reply

    async def control(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            async with self.http.request(method, self.url + CONTROL_PREFIX + path, json=body) as response:
                reply = await response.json()
                if response.status >= 300:
                    self.failures.append(f"{method} {path}: HTTP {response.status} {reply}")
        except aiohttp.ClientConnectorError:
            self.refused += 1
            raise
        self.reply_ms.setdefault(f"{method} {path}", []).append((time.perf_counter() - started) * 1000)
        return reply

    async def limited(self, call: Callable[[], Any]) -> Any:
        async with self.gate:
            return await call()

    async def sign_in(self, agent: str) -> None:
        await self.gateway("login", agent, {"password": PASSWORD, "phonenum": f"7{agent}", "autoanswer": "false"})

    async def poll(self, agent: str) -> None:
        """Polls until the agent's call flow is over, answering and releasing as the events come."""
        readies = 0
        while readies < 2:
            reply = await self.gateway("getAgentEvent", agent, timed=False)
            event = reply.get("event")
            if not event:
                continue
            self.received[agent].append(event)
            name = event["eventType"]
            if name == "AgentState_Ready":
                readies += 1
                if readies == 1:
                    self.done[agent].set()  # signed in and idle: ready for a call
            elif name == "AgentEvent_Ringing":
                await self.limited(lambda: self.gateway("answer", agent))
            elif name == "AgentEvent_Talking":
                await self.limited(lambda: self.gateway("release", agent))


async def _run(url: str, ca_file: str, agents: int) -> dict[str, Any]:
    context = ssl.create_default_context(cafile=ca_file)
    connector = aiohttp.TCPConnector(ssl=context, limit=0)  # keep-alive: polls reuse their connection
    timeout = aiohttp.ClientTimeout(total=POLL_WAIT + 30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        crowd = Crowd(http, url, [str(101 + n) for n in range(agents)])
        began = time.monotonic()
        await asyncio.gather(*(crowd.limited(lambda agent=agent: crowd.sign_in(agent)) for agent in crowd.ids))
        pollers = [asyncio.create_task(crowd.poll(agent)) for agent in crowd.ids]
        await asyncio.gather(*(crowd.done[agent].wait() for agent in crowd.ids))
        signed_in = time.monotonic() - began
        held = await crowd.control("GET", "/counters")
        calls = await asyncio.gather(*(crowd.limited(lambda agent=agent: crowd.control(
            "POST", "/calls", {"caller": f"8{agent}", "agent": agent})) for agent in crowd.ids))
        await asyncio.wait_for(asyncio.gather(*pollers), timeout=120 + agents * 0.2)
        wall = time.monotonic() - began
        counters = await crowd.control("GET", "/counters")
        await asyncio.gather(*(crowd.limited(lambda agent=agent: crowd.gateway("logout", agent, timed=False))
                               for agent in crowd.ids))
    return {"crowd": crowd, "wall": wall, "signed_in": signed_in, "counters": counters, "held": held,
            "calls": [reply.get("callid") for reply in calls]}


def test_agents_with_live_polls_answer_inbound_calls_and_get_every_event_once(
        tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    _raise_file_limit(4 * AGENTS + 256)  # the child inherits it: a socket per poll on both sides, and spare
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"agents": [{"ids": f"101-{100 + AGENTS}", "password_env": "SCALE_PW"}]}),
                      encoding="utf-8")
    simulator = SimulatorProcess("--roster", str(roster), "--poll-wait", str(POLL_WAIT), folder=tmp_path,
                                 env={"SCALE_PW": PASSWORD})
    try:
        outcome = asyncio.run(_run(simulator.url, simulator.ca_file, AGENTS))
        memory = _rss_mb(simulator.pid)
    finally:
        simulator.stop()
    crowd: Crowd = outcome["crowd"]
    counters, held = outcome["counters"], outcome["held"]
    assert crowd.refused == 0 and crowd.failures == []
    assert len(set(outcome["calls"])) == AGENTS and None not in outcome["calls"]
    wrong = {agent: [e["eventType"] for e in events] for agent, events in crowd.received.items()
             if [e["eventType"] for e in events] != EXPECTED}
    assert wrong == {}, f"{len(wrong)} agents got other events than expected, e.g. {next(iter(wrong.items()))}"
    for agent, events in crowd.received.items():  # the call events carry the agent's own call
        callid = outcome["calls"][crowd.ids.index(agent)]
        assert all(e["content"]["callid"] == callid for e in events if e["eventType"] == "AgentEvent_Ringing")
    delivered = sum(len(events) for events in crowd.received.values())
    assert counters["events"] == {"queued": delivered, "delivered": delivered, "dropped": 0, "lost": 0}
    assert held["openPolls"] >= AGENTS * 0.9, held  # polls were really held, all at once
    assert counters["contractBreaches"] == 0
    every = [ms for times in crowd.reply_ms.values() for ms in times]
    summary = {"agents": AGENTS, "calls": len(outcome["calls"]), "events": delivered,
               "wall_s": round(outcome["wall"], 1), "sign_in_phase_s": round(outcome["signed_in"], 1),
               "p99_ms": round(_p99(every), 1), "requests_timed": len(every),
               "p99_ms_by_request": {name: round(_p99(times), 1) for name, times in sorted(crowd.reply_ms.items())},
               "rss_mb": round(memory.get("VmRSS", 0), 1), "peak_rss_mb": round(memory.get("VmHWM", 0), 1),
               "polls_held": held["openPolls"]}
    for name, value in summary.items():
        record_property(f"scale_{name}", value)
    print(f"\nscale: {json.dumps(summary)}")
    assert memory.get("VmHWM", 0) < MAX_RSS_MB
