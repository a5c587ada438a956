"""Skill queues at scale: the simulator's model with 1,000 signed-in agents, 200 skill queues and 5,000 waiting calls
answering queries and state changes, and how soon a waiting call is offered to an agent who became free.

The model is driven in-process, as utest/simulated_world.py drives it, with what the server adds to each request:
the request checked against its schema, the reply built in its envelope and checked against its schema. Agents
sign in without auto-idle, so after a call they are in after-call work; each operation is one of

- a state change: an agent in after-call work ends it (``cancelWork``: it becomes free and the longest-waiting
  call of its skills is offered to it, auto-answered), an agent in a call releases it (``release``: after-call
  work) and a new customer calls a random queue, so about 5,000 calls keep waiting;
- a query: ``getAgentStatus``, ``queryQueueLengthBySkillId``, ``queryQueueLengthOnAgent``,
  ``queryWaitCallInfoBySkillId``, ``queryStatInfoOfAcd`` (10 queues), ``querySkillsStatisticInfo``.

The anchor is the same run without queues: no call waits, so ending after-call work offers nothing and the agent
goes back to work with ``sayWork``. The offer time is taken from the moment the state machine reports the agent
free to the moment the call has been offered (and answered) there.

    .venv/bin/python bench/queues.py                  # 1000 agents, 200 skills, 5000 waiting, 20,000 operations
    .venv/bin/python bench/queues.py --quick          # 200 agents, 40 skills, 1000 waiting, 3,000 operations
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from benchlib import command_line, load_note, percentile, today

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.catalogue.gateway import SUCCESS
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import GatewayModel, Refused, SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster, RosterEntry, Skill, SkillQueue

PASSWORD = "Bench-Queue-Pw-1"
SKILLS_PER_AGENT = 5
QUERY_SHARE = 0.5  # half the operations are queries, half state changes
CATALOGUE = load_catalogue()


def roster(agents: int, skills: int) -> Roster:
    """Agents 101.. with SKILLS_PER_AGENT skill queues each, spread so that every queue has agents."""
    queues = {n: SkillQueue(Skill(n, f"skill{n}", 5), f"6{n:04d}", f"queue {n}") for n in range(1, skills + 1)}
    entries = {}
    for index in range(agents):
        agent_id = str(101 + index)
        own = tuple(queues[(index * 7 + step * 41) % skills + 1].skill for step in range(SKILLS_PER_AGENT))
        entries[agent_id] = RosterEntry(agent_id, PASSWORD, tuple(dict.fromkeys(own)))
    return Roster(entries, queues)


class Server:
    """What the server does around the model for one request: checks, runs, builds and checks the reply."""

    def __init__(self, model: GatewayModel) -> None:
        self.model = model

    def __call__(self, interface: str, agent_id: str, path: dict[str, Any] | None = None,
                 body: Any = None) -> Any:
        entry = CATALOGUE.interface(interface)
        request = {"path": {"agentid": agent_id, **(path or {})}, "query": {}, "body": body}
        problems = CATALOGUE.problems(entry.request_schema["$id"], request)
        if problems:
            raise AssertionError(f"{interface}: the bench's request is invalid: {problems}")
        agent = self.model.agents[agent_id]
        result: Any = None
        try:
            with self.model.caused_by(interface):
                if interface in ("cancelWork", "sayWork"):
                    self.model.change_state(agent, interface, request)
                else:
                    result = self.model.run(interface, agent, request)
            reply = {"message": "success", "retcode": SUCCESS, "result": {} if result is None else result}
        except Refused as refusal:
            reply = {"message": refusal.message, "retcode": refusal.retcode}
        problems = CATALOGUE.problems(entry.response_schema["$id"], reply)
        if problems:
            raise AssertionError(f"{interface}: the simulator's reply breaks its schema: {problems}")
        return reply


def run(agents: int, skills: int, waiting: int, operations: int, queues: bool) -> dict[str, float]:
    model = GatewayModel(roster(agents, skills), SimulatorConfig(), schedule=lambda delay, action: None)
    server = Server(model)
    rng = random.Random(19)
    ids = [str(101 + index) for index in range(agents)]
    for agent_id in ids:  # in after-call work: no call is offered while the queues fill
        model.login(agent_id, {"password": PASSWORD, "phonenum": "7" + agent_id, "status": "5",
                               "autoanswer": "true", "autoenteridle": "false"})
    callers = iter(range(10_000_000, 99_999_999))
    if queues:
        for _ in range(waiting):
            model.queue_inbound_call(str(next(callers)), rng.randint(1, skills))

    offers: list[float] = []
    freed_at: dict[str, float] = {}
    moved, offer = model.state_machine.moved, model.call_chapter.offer

    def timed_moved(agent: Any, before: AgentState) -> None:
        if agent.state == AgentState.IDLE:
            freed_at[agent.agent_id] = time.perf_counter()
        moved(agent, before)

    def timed_offer(agent: Any, call: Any) -> Any:
        leg = offer(agent, call)
        if agent.agent_id in freed_at:
            offers.append((time.perf_counter() - freed_at.pop(agent.agent_id)) * 1000)
        return leg

    model.state_machine.moved = timed_moved
    model.call_chapter.offer = timed_offer  # type: ignore[method-assign]

    def change(agent_id: str) -> None:
        state = model.agents[agent_id].state
        if state == AgentState.TALKING:
            server("release", agent_id)
            if queues:
                model.queue_inbound_call(str(next(callers)), rng.randint(1, skills))
        elif state == AgentState.WORK:
            server("cancelWork", agent_id)
            if model.agents[agent_id].state == AgentState.IDLE:  # no call waited: back to work
                server("sayWork", agent_id)

    queries: list[Callable[[str], Any]] = [
        lambda agent_id: server("getAgentStatus", agent_id),
        lambda agent_id: server("queryQueueLengthBySkillId", agent_id, {"skillid": str(rng.randint(1, skills))}),
        lambda agent_id: server("queryQueueLengthOnAgent", agent_id),
        lambda agent_id: server("queryWaitCallInfoBySkillId", agent_id, {"skillid": str(rng.randint(1, skills))}),
        lambda agent_id: server("queryStatInfoOfAcd", agent_id,
                                body={"skills": rng.sample(range(1, skills + 1), min(10, skills))}),
        lambda agent_id: server("querySkillsStatisticInfo", agent_id, {"skillid": str(rng.randint(1, skills))}),
    ]
    times: list[float] = []
    began = time.perf_counter()
    for count in range(operations):
        agent_id = rng.choice(ids)
        started = time.perf_counter()
        if rng.random() < QUERY_SHARE:
            rng.choice(queries)(agent_id)
        else:
            change(agent_id)
        times.append((time.perf_counter() - started) * 1000)
        if count % 1000 == 0:  # nobody polls: let go of the events, as a poll would take them
            for agent in model.agents.values():
                agent.queue.clear()
    elapsed = time.perf_counter() - began
    still = sum(model.queues.queue_length(skill) for skill in model.queues.queues)
    return {"ops": operations / elapsed, "p50": percentile(times, 50), "p99": percentile(times, 99),
            "offers": len(offers), "offer_p50": percentile(offers, 50), "offer_p99": percentile(offers, 99),
            "waiting": still}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 agents, 40 skills, 1000 waiting, 3000 operations")
    parser.add_argument("--agents", type=int, help="signed-in agents (default 1000)")
    parser.add_argument("--skills", type=int, help="skill queues (default 200)")
    parser.add_argument("--waiting", type=int, help="calls waiting at the start (default 5000)")
    parser.add_argument("--operations", type=int, help="operations measured (default 20000)")
    args = parser.parse_args()
    quick = (200, 40, 1000, 3000) if args.quick else (1000, 200, 5000, 20000)
    agents, skills, waiting, operations = (given or default for given, default in
                                           zip((args.agents, args.skills, args.waiting, args.operations), quick,
                                               strict=True))
    print(f"# skill queues at scale, {today()}; {load_note()}\n# {command_line()}")
    print(f"# {agents} agents signed in ({SKILLS_PER_AGENT} skills each), {skills} skill queues, {waiting} calls "
          f"waiting; {operations} operations, half queries, half state changes; in-process model with the "
          "server's schema checks\n")
    rows = {True: run(agents, skills, waiting, operations, True), False: run(agents, skills, 0, operations, False)}
    print(f"{'run':<16} {'ops/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'offers':>7} {'offer p50 ms':>13} "
          f"{'offer p99 ms':>13} {'waiting at end':>15} {'ops/s vs anchor':>16}")
    for queued, row in rows.items():
        name = "with queues" if queued else "without (anchor)"
        ratio = f"{row['ops'] / rows[False]['ops']:.2f}" if queued else "(anchor)"
        offer_p50 = f"{row['offer_p50']:.3f}" if row["offers"] else "n/a"
        offer_p99 = f"{row['offer_p99']:.3f}" if row["offers"] else "n/a"
        print(f"{name:<16} {row['ops']:8.0f} {row['p50']:8.3f} {row['p99']:8.3f} {row['offers']:7.0f} "
              f"{offer_p50:>13} {offer_p99:>13} {row['waiting']:15.0f} {ratio:>16}")
    target = rows[True]
    met = target["ops"] >= 1000 and target["p99"] <= 25 and target["offer_p99"] <= 5
    print(f"\n# target: >= 1000 ops/s, p99 <= 25 ms, offer p99 <= 5 ms with queues: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
