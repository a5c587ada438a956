"""The console's one view of the simulator: a JSON-ready snapshot of the world that the page renders as it comes.

Everything the page shows is read here, from what the world exposes: agents (state, phone, skills, who inspects
whom, calls), calls (parties with their roles, hold, mute), armed faults, far ends, the latest requests and events,
and the world's queues when it has any (``world.queues``; the section is left out when the attribute is not
there). Agents and calls are filtered and paged here, so a page watching 1,000 agents gets one page of rows.

Secrets stay out by construction: rows are built field by field from names, numbers, states and roles; no Guid,
password, service token, callback address, call data or event content is ever read into a snapshot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from ...catalogue.states import AgentState, CallState
from ..world import Agent, Call, Leg, Role

if TYPE_CHECKING:
    from ..server import GatewaySimulator

Scope = Literal["signed-in", "known", "roster"]
SCOPES: tuple[str, ...] = get_args(Scope)
MAX_PAGE_SIZE = 200  # rows of agents (or calls) in one snapshot, whatever the page asks for
MAX_FILTER = 100  # characters of filter text
RECENT = 50  # requests and events a snapshot carries, newest first


class ViewError(ValueError):
    """A view the page asked for that breaks a rule; the text names the field and the rule."""


@dataclass(frozen=True)
class View:
    """What one page wants to see: agents and calls matching ``filter`` (every word, in any field shown), agents
    of ``scope`` (signed in; known to the world this run; the whole roster), one page of each."""

    filter: str = ""
    scope: Scope = "signed-in"
    page: int = 0
    size: int = 50
    calls_page: int = 0

    @classmethod
    def parse(cls, data: Any) -> View:
        """The view a page sent (a JSON object with any of the fields), or ViewError naming the field."""
        if not isinstance(data, Mapping):
            raise ViewError("view must be a JSON object with filter, scope, page, size and calls_page")
        given = {name: data[name] for name in ("filter", "scope", "page", "size", "calls_page") if name in data}
        text = given.get("filter", "")
        if not isinstance(text, str) or len(text) > MAX_FILTER:
            raise ViewError(f"filter must be text of at most {MAX_FILTER} characters")
        if given.get("scope", "signed-in") not in SCOPES:
            raise ViewError(f"scope must be one of {', '.join(SCOPES)}")
        for name, low, high in (("page", 0, 1_000_000), ("size", 1, MAX_PAGE_SIZE), ("calls_page", 0, 1_000_000)):
            value = given.get(name, 0 if name != "size" else 50)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ViewError(f"{name} must be a whole number from {low} to {high}")
        return cls(**given)

    def matches(self, haystack: Iterable[object]) -> bool:
        text = " ".join(str(part) for part in haystack).lower()
        return all(word in text for word in self.filter.lower().split())


def snapshot(simulator: GatewaySimulator, view: View = View(), *, serving: bool = True) -> dict[str, Any]:
    """The simulator as the console shows it, for ``view``; ``serving`` is False while a restart keeps the port
    closed."""
    world = simulator.model
    agents = _agents(simulator, view)
    snap: dict[str, Any] = {
        "simulator": {"serving": serving, "restarts": simulator.restarts, "rosterAgents": len(world.roster),
                      "signedIn": sum(agent.signed_in for agent in world.agents.values()),
                      "authMode": "dynamic" if simulator.config.dynamic_auth else "static",
                      "timeScale": simulator.config.time_scale, "requests": simulator.requests_served,
                      "events": dict(world.events), "contractBreaches": len(simulator.breaches),
                      "states": _state_counts(world.agents.values())},
        "agents": agents,
        "calls": _calls(world.calls.values(), view),
        "faults": [fault.describe() for fault in simulator.faults],
        "farEnds": [{"number": number, "behaviour": behaviour} for number, behaviour in sorted(world.far_ends.items())],
        "requests": list(reversed(simulator.activity.requests))[:RECENT],
        "events": list(reversed(simulator.activity.events))[:RECENT],
    }
    queues = _queues(world)
    if queues is not None:
        snap["queues"] = queues
    return snap


# -- agents -----------------------------------------------------------------------------------------------
def _agents(simulator: GatewaySimulator, view: View) -> dict[str, Any]:
    world = simulator.model
    if view.scope == "roster":
        ids: Iterable[str] = world.roster.entries
    elif view.scope == "known":
        ids = world.agents
    else:
        ids = (agent_id for agent_id, agent in world.agents.items() if agent.signed_in)
    matching = [agent_id for agent_id in ids if not view.filter or view.matches(_agent_words(simulator, agent_id))]
    matching.sort(key=int)  # roster IDs are numbers (roster.IDS)
    start = view.page * view.size
    rows = [_agent_row(simulator, agent_id) for agent_id in matching[start:start + view.size]]
    return {"total": len(matching), "page": view.page, "size": view.size, "scope": view.scope, "rows": rows}


def _agent_words(simulator: GatewaySimulator, agent_id: str) -> list[object]:
    """What the filter searches in an agent: ID, group, skills, and when known, state and phone."""
    entry = simulator.model.roster.entries[agent_id]
    words: list[object] = [agent_id, entry.group, *(skill.name for skill in entry.skills)]
    agent = simulator.model.agents.get(agent_id)
    if agent is not None:
        words += [AgentState.describe(agent.state), agent.phone if agent.signed_in else "",
                  *(leg.callid for leg in agent.calls)]
    return words


def _agent_row(simulator: GatewaySimulator, agent_id: str) -> dict[str, Any]:
    world = simulator.model
    entry = world.roster.entries[agent_id]
    agent = world.agents.get(agent_id) or Agent(agent_id, "", entry.skills)  # never signed in: a blank agent
    active = {skill.id for skill in agent.active_skills} if agent.signed_in else set()
    row: dict[str, Any] = {
        "id": agent_id, "group": entry.group, "inspects": sorted(entry.inspects), "signedIn": agent.signed_in,
        "state": int(agent.state), "stateName": AgentState.describe(agent.state),
        "phone": agent.phone if agent.signed_in else "",
        "skills": [{"id": skill.id, "name": skill.name, "active": skill.id in active} for skill in entry.skills],
        "mode": ("push" if agent.pushed else "poll") if agent.signed_in else "",
        "autoAnswer": agent.auto_answer,
        "calls": [{"callid": leg.callid, "state": str(leg.state), "role": leg.role.value, "muted": leg.muted}
                  for leg in agent.calls],
        "inspecting": [], "inspectedBy": [],
    }
    if agent_id in world.agents:
        row.update(world.inspection.describe(agent))
    return row


def _state_counts(agents: Iterable[Agent]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for agent in agents:
        if agent.signed_in:
            name = AgentState.describe(agent.state)
            counts[name] = counts.get(name, 0) + 1
    return counts


# -- calls ------------------------------------------------------------------------------------------------
def _calls(calls: Iterable[Call], view: View) -> dict[str, Any]:
    matching = [call for call in calls if not view.filter or view.matches(_call_words(call))]
    matching.sort(key=lambda call: (call.begin, call.callid))
    start = view.calls_page * view.size
    rows = [_call_row(call) for call in matching[start:start + view.size]]
    return {"total": len(matching), "page": view.calls_page, "size": view.size, "rows": rows}


def _call_words(call: Call) -> list[object]:
    return [call.callid, call.caller, call.called,
            *(part for leg in call.legs for part in (leg.number, leg.agent_id or "", leg.role.value, leg.state))]


def _call_row(call: Call) -> dict[str, Any]:
    return {"callid": call.callid, "feature": call.feature, "caller": call.caller, "called": call.called,
            "begin": call.begin, "skill": call.skill, "digits": len(call.digits),
            "legs": [_leg_row(leg) for leg in call.legs]}


def _leg_row(leg: Leg) -> dict[str, Any]:
    return {"number": leg.number, "agent": leg.agent_id, "role": leg.role.value, "party": leg.role.is_party,
            "state": str(leg.state), "held": leg.state == CallState.HELD, "muted": leg.muted,
            "inspects": leg.inspected, "handle": leg.handle,
            # who hears this leg: the roles of the other legs it is heard on (a whisper: the agent only)
            "heardBy": sorted({other.role.value for other in leg.call.legs
                               if other is not leg and leg.role.heard_by(other.role)}),
            "customer": leg.role is Role.CUSTOMER}


# -- queues, when the world has them ------------------------------------------------------------------------
def _queues(world: object) -> list[dict[str, Any]] | None:
    """The world's queues as rows of plain values, or None when the world has no queues.

    Read generically, so the queue chapter needs nothing here: a queue's ``describe()`` when it has one, else its
    dataclass or mapping fields (text, numbers and flags as they are, collections by their length)."""
    queues = getattr(world, "queues", None)
    if isinstance(queues, Mapping):
        return [_plain(key, queue) for key, queue in queues.items()]
    if isinstance(queues, Iterable) and not isinstance(queues, str | bytes):
        return [_plain(None, queue) for queue in queues]
    return None  # none, or nothing a page could list


def _plain(key: object, queue: Any) -> dict[str, Any]:
    if callable(getattr(queue, "describe", None)):
        fields = queue.describe()
    elif dataclasses.is_dataclass(queue) and not isinstance(queue, type):
        fields = {field.name: getattr(queue, field.name) for field in dataclasses.fields(queue)}
    elif isinstance(queue, Mapping):
        fields = dict(queue)
    else:
        fields = {"queue": queue}
    row: dict[str, Any] = {} if key is None else {"id": key if isinstance(key, int | str) else str(key)}
    for name, value in fields.items():
        if isinstance(value, bool | int | float | str) or value is None:
            row[str(name)] = value
        elif isinstance(value, Mapping | list | tuple | set | frozenset) or hasattr(value, "__len__"):
            row[str(name)] = len(value)
    return row
