"""The console's one view of the simulator: a JSON-ready snapshot of the world that the page renders as it comes.

Everything the page shows is read here, from what the world and its chapters expose: agents (state, phone, skills,
who inspects whom, calls), calls (parties with their roles, hold, mute, recording, conference membership), the skill
queues (the queue chapter's own figures, as its statistics interfaces give them, and the calls waiting), text
sessions (counts of messages only), armed faults, far ends, the latest requests and events. Agents, calls and text
sessions are filtered and paged here, so a page watching 1,000 agents gets one page of rows.

Secrets stay out by construction: rows are built field by field from names, numbers, states and roles; no Guid,
password, service token, callback address, call data, message text or event content is ever read into a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from ...catalogue.states import AgentState, CallState
from ..world import Agent, Call, Leg, Role

if TYPE_CHECKING:
    from ..model import GatewayModel
    from ..server import GatewaySimulator

Scope = Literal["signed-in", "known", "roster"]
SCOPES: tuple[str, ...] = get_args(Scope)
MAX_PAGE_SIZE = 200  # rows of agents (or calls) in one snapshot, whatever the page asks for
MAX_FILTER = 100  # characters of filter text
RECENT = 50  # requests and events a snapshot carries, newest first
WAITING_SHOWN = 10  # waiting calls listed per queue (the oldest; the queue's length counts them all)


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
        "queues": _queues(world),  # first: its figures let go of callers who hung up while waiting
        "calls": _calls(world, view),
        "textSessions": _text_sessions(world, view),
        "faults": [fault.describe() for fault in simulator.faults],
        "farEnds": [{"number": number, "behaviour": behaviour} for number, behaviour in sorted(world.far_ends.items())],
        "requests": list(reversed(simulator.activity.requests))[:RECENT],
        "events": list(reversed(simulator.activity.events))[:RECENT],
    }
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
def _calls(world: GatewayModel, view: View) -> dict[str, Any]:
    matching = [call for call in world.calls.values() if not view.filter or view.matches(_call_words(world, call))]
    matching.sort(key=lambda call: (call.begin, call.callid))
    start = view.calls_page * view.size
    # the recording each agent's leg has running ("recording" or "paused"): one look at the running recordings
    recording = {rec.leg: rec.state for rec in world.recording.running.values() if rec.leg is not None}
    # the skill queue a customer waits in, by the call ID the queue keeps it under (its leg's handle)
    queued = {callid: queue.queue.skill.name for queue in world.queues.queues.values() for callid in queue.waiting}
    rows = [_call_row(world, call, recording, queued) for call in matching[start:start + view.size]]
    return {"total": len(matching), "page": view.calls_page, "size": view.size, "rows": rows}


def _call_words(world: GatewayModel, call: Call) -> list[object]:
    words: list[object] = [call.callid, call.caller, call.called,
                           *(part for leg in call.legs for part in (leg.number, leg.agent_id or "", leg.role.value,
                                                                    leg.state))]
    if call.callid in world.conference.conferences:
        words.append("conference")
    return words


def _call_row(world: GatewayModel, call: Call, recording: Mapping[Leg, str],
              queued: Mapping[str, str]) -> dict[str, Any]:
    conference = world.conference.conferences.get(call.callid)
    return {"callid": call.callid, "feature": call.feature, "caller": call.caller, "called": call.called,
            "begin": call.begin, "skill": call.skill, "digits": len(call.digits),
            "conference": None if conference is None else {
                "id": conference.conf_id, "chair": conference.chair, "seats": conference.seats,
                "joined": len(conference.joined())},
            "legs": [_leg_row(leg, recording.get(leg), conference is not None and leg.agent_id == conference.chair,
                              queued.get(leg.handle) if leg.handle is not None else None) for leg in call.legs]}


def _leg_row(leg: Leg, recording: str | None, chair: bool, queued: str | None) -> dict[str, Any]:
    return {"number": leg.number, "agent": leg.agent_id, "role": leg.role.value, "party": leg.role.is_party,
            "state": str(leg.state), "held": leg.state == CallState.HELD, "muted": leg.muted,
            "inspects": leg.inspected, "handle": leg.handle, "recording": recording, "chair": chair,
            "queued": queued,
            # who hears this leg: the roles of the other legs it is heard on (a whisper: the agent only)
            "heardBy": sorted({other.role.value for other in leg.call.legs
                               if other is not leg and leg.role.heard_by(other.role)}),
            "customer": leg.role is Role.CUSTOMER}


# -- skill queues -----------------------------------------------------------------------------------------------
def _queues(world: GatewayModel) -> list[dict[str, Any]]:
    """Each skill queue's figures as the queue chapter computes them for its statistics interfaces (length, longest
    wait, agents signed in and free, calls offered, answered and abandoned), and its oldest waiting calls."""
    chapter = world.queues
    return [{**chapter.statistics(skill), "waiting": chapter.waiting_now(skill, WAITING_SHOWN)}
            for skill in chapter.queues]


# -- text sessions ----------------------------------------------------------------------------------------------
def _text_sessions(world: GatewayModel, view: View) -> dict[str, Any]:
    """The text sessions going on (their agent still in the sign-in they belong to), one page of them: who and how
    many messages each way, never a message's text (what customers write is personal data)."""
    text = world.text
    going_on = [session for session in text.sessions.values() if text._current(session)]  # the chapter's own rule
    matching = [session for session in going_on
                if not view.filter or view.matches((session.call.callid, session.call.caller, session.agent_id))]
    rows = []
    for session in matching[:view.size]:
        from_customer = sum(1 for message in session.messages if message["from"] == session.call.caller)
        rows.append({"callid": session.call.callid, "customer": session.call.caller, "agent": session.agent_id,
                     "connected": session.connected, "fromCustomer": from_customer,
                     "fromAgents": len(session.messages) - from_customer, "unread": len(session.waiting)})
    return {"total": len(matching), "size": view.size, "rows": rows}
