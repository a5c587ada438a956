"""Skill queues in the simulated gateway: calls to a skill (or its access code) go to the free agent with that skill
who has been idle longest, or wait in the skill's queue in arrival order until an agent with the skill becomes
free; callers give up while waiting. Queue figures and per-skill and per-agent statistics are counted from what
happened. Also the monitoring routes (server time and version, cluster nodes), which answer from the same world.

Speed (bench/queues.py): each skill keeps its waiting calls in an ordered dict (first in, first out, and a caller
who gives up leaves in O(1)) and its free agents in a heap by the time they became free, cleaned lazily: an entry
counts only while its agent is still free with the same token. Becoming free looks at the agent's own skills only,
and the agents signed in to and free for each queue are counted as states change: nothing walks all agents.
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.states import AgentState
from ..version import VERSION
from .agent_states import AgentStateMachine
from .agents import SERVER_NAME
from .calls import CallChapter
from .events import Feature
from .operations import Request, serves
from .roster import SkillQueue
from .world import Agent, Call, Leg, Refused, Role, SimulationError, World

BAD_PARAMETER = "000-002"  # the common code for a parameter that fails validation: a queue or VDN not there
# What the ACD statistics say in fields the simulator has nothing for: the documented example's values.
UNUSED = {"loadFactor": 65535, "estWaitTime": 0, "transferFlg": 0, "transferDeviceType": 255,
          "transferDeviceNo": 65535, "serviceLevel": 100}
NO_CALL_ID = {"dateTime": 4294967295000, "dsn": 65535, "server": 255, "handle": 255}
SERVICE_TYPE, REAL_QUEUE = 1, 1  # every simulated queue is a real queue of service type 1 (the example's values)
MAX_QUEUE_SIZE = 100  # the documented example's maxQueueSize; the simulator does not turn callers away
# queryCallStatisticsInfo's figures the simulator has nothing to count from: answered 0.
NOT_COUNTED = ("noanswernums", "intercallnums", "interhelpnums", "transfernums", "transferoutnums",
               "transferivrnums", "redirectnums", "keepnums", "restoutnums", "restouttime", "agentrelease")


@dataclass(eq=False)
class Waiting:
    """A call waiting in a skill queue."""

    call: Call
    customer: Leg
    skill: int
    since: float
    patience: int = 0  # bumped when the call leaves the queue, so a give-up timer set earlier does nothing


@dataclass
class Counts:
    """What happened to the calls of a skill queue, or to those an agent got from the queues."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    waited: float = 0.0  # seconds the answered calls waited, summed
    talk: float = 0.0  # seconds of talk of the answered calls, summed

    def describe(self) -> dict[str, Any]:
        return {"offered": self.offered, "answered": self.answered, "abandoned": self.abandoned,
                "averageWait": round(self.waited / self.answered, 3) if self.answered else 0,
                "talkTime": round(self.talk, 3)}


@dataclass
class AgentFigures(Counts):
    """An agent's figures: the calls the queues gave it (``offered``, their ``waited``), every call it answered and
    their talk, connected outbound calls, and its busy and rest spells."""

    from_queues: int = 0  # answered calls that came from a queue, whose waits ``waited`` sums
    callouts: int = 0
    busy: int = 0
    busy_seconds: float = 0.0
    rests: int = 0
    rest_seconds: float = 0.0

    def describe(self) -> dict[str, Any]:
        return {**super().describe(),
                "averageWait": round(self.waited / self.from_queues, 3) if self.from_queues else 0}

    def call_statistics(self) -> dict[str, int]:
        """The figures as queryCallStatisticsInfo names them; what the simulator does not count is 0."""
        counted = {"talktime": int(self.talk), "answernums": self.answered, "calloutnums": self.callouts,
                   "busynums": self.busy, "busytime": int(self.busy_seconds), "restnums": self.rests,
                   "resttime": int(self.rest_seconds)}
        return {**dict.fromkeys(NOT_COUNTED, 0), **counted}


@dataclass
class Queue:
    queue: SkillQueue
    waiting: OrderedDict[str, Waiting] = field(default_factory=OrderedDict)  # by call ID handed out, oldest first
    free: list[tuple[float, int, str]] = field(default_factory=list)  # heap: (free since, token, agent ID)
    counts: Counts = field(default_factory=Counts)


@dataclass(eq=False)
class Handling:
    """A call the queues gave an agent, until the agent's talk ends."""

    call: Call
    skill: int | None  # None: a call that came another way (to the agent by name, a transfer, a consultation)
    since: float  # when the call reached its queue
    waited: float  # seconds it waited there before it was offered
    answered_at: float | None = None


class QueueChapter:
    """The skill queues, the queue and monitoring routes, and the control interface's inbound calls to a skill."""

    def __init__(self, world: World, states: AgentStateMachine, calls: CallChapter) -> None:
        self.world = world
        self.calls = calls
        self.queues = {skill: Queue(queue) for skill, queue in world.roster.queues.items()}
        self.by_access_code = {queue.access_code: skill for skill, queue in world.roster.queues.items()
                               if queue.access_code}
        self._tokens = itertools.count(1)
        self._free_token: dict[str, int] = {}  # agent ID -> token of its current free spell
        self._handling: dict[str, Handling] = {}  # agent ID -> the routed call it handles
        self.agent_counts: dict[str, AgentFigures] = {}
        self._state_since: dict[str, float] = {}  # agent ID -> when it entered its current state
        # Agents signed in to and free for each queue, kept up to date at each change the state machine reports:
        # what each agent is counted for (its queues, whether free) is undone before it is counted again.
        self._signed_in: dict[int, int] = dict.fromkeys(self.queues, 0)
        self._available: dict[int, int] = dict.fromkeys(self.queues, 0)
        self._counted: dict[str, tuple[tuple[int, ...], bool]] = {}
        self.timeout_enabled = True  # setAgentTimeOut's flag, reported by systemstate
        self.max_chats: dict[int, int] = {}  # setMaxChatNum: per VDN
        states.moved = self._moved
        calls.answered = self._answered
        calls.returned_to_queue = self._returned

    # -- routing -----------------------------------------------------------------------------------------
    def _queue(self, skill: int | str) -> Queue:
        try:
            return self.queues[int(skill)]
        except (KeyError, ValueError):
            raise Refused(BAD_PARAMETER, f"the VDN has no skill queue {skill}") from None

    @staticmethod
    def _free(agent: Agent) -> bool:
        return agent.signed_in and agent.state == AgentState.IDLE and not agent.calls

    def _take_free_agent(self, queue: Queue) -> Agent | None:
        """The agent free longest for ``queue``'s skill, its entry taken off; stale entries are dropped."""
        skill = queue.queue.skill.id
        while queue.free:
            _, token, agent_id = heapq.heappop(queue.free)
            agent = self.world.agents[agent_id]
            if (self._free_token.get(agent_id) == token and self._free(agent)
                    and any(s.id == skill for s in agent.active_skills)):
                return agent
        return None

    def inbound_call(self, caller: str, skill: int | None = None, access_code: str | None = None,
                     patience: float | None = None) -> dict[str, Any]:
        """Control interface: a customer calls a skill queue (by ID or access code). Returns the call ID, whether
        it waits, and the agent it was offered to."""
        if (skill is None) == (access_code is None):
            raise SimulationError("give either skill or access_code")
        if access_code is not None:
            if access_code not in self.by_access_code:
                raise SimulationError(f"no skill queue has access code {access_code}; the roster's are "
                                      f"{', '.join(sorted(self.by_access_code)) or 'none'}")
            skill = self.by_access_code[access_code]
        queue = self.queues.get(skill) if skill is not None else None
        if queue is None:
            raise SimulationError(f"the VDN has no skill queue {skill}; it has {', '.join(map(str, self.queues))}")
        skill_id = queue.queue.skill.id
        call, customer = self.calls.inbound_call(caller, queue.queue.access_code or str(skill_id), skill_id)
        queue.counts.offered += 1
        waiting = Waiting(call, customer, skill_id, self.world.now())
        agent = self._take_free_agent(queue)
        if agent is not None:
            self._route(agent, waiting)
            return {"callid": customer.handle, "queued": False, "agent": agent.agent_id}
        queue.waiting[str(customer.handle)] = waiting
        if patience is not None:
            self._give_up_after(waiting, patience)
        return {"callid": customer.handle, "queued": True, "agent": None}

    def _give_up_after(self, waiting: Waiting, seconds: float) -> None:
        mark = waiting.patience

        def time_is_up() -> None:
            if waiting.patience == mark:
                self.give_up(str(waiting.customer.handle))

        self.world.later(seconds * self.world.config.time_scale, time_is_up)

    def give_up(self, callid: str) -> dict[str, Any]:
        """Control interface: the caller of a waiting call hangs up before an agent got the call."""
        queue = next((queue for queue in self.queues.values() if callid in self._purge(queue).waiting), None)
        if queue is None:
            raise SimulationError(f"no call {callid} is waiting in a skill queue")
        waiting = queue.waiting.pop(callid)
        waiting.patience += 1
        queue.counts.abandoned += 1
        self.world.detach(waiting.customer)
        return {"gaveUp": callid, "skill": waiting.skill, "waited": round(self.world.now() - waiting.since, 3)}

    def _route(self, agent: Agent, waiting: Waiting) -> None:
        """The call goes to the agent: offered there, counted for the skill and the agent."""
        with self.world.caused_by(None):  # the platform routes it, not the request that freed the agent
            self._free_token.pop(agent.agent_id, None)
            self._figures(agent.agent_id).offered += 1
            waiting.patience += 1
            # Known before the offer: with auto-answer the agent answers inside it.
            self._handling[agent.agent_id] = Handling(waiting.call, waiting.skill, waiting.since,
                                                      self.world.now() - waiting.since)
            self.calls.offer(agent, waiting.call)

    def _returned(self, agent: Agent, call: Call) -> bool:
        """The agent rejected a call the queue gave it, asking for it to go back: it waits again at the head of its
        queue (it has waited longest) and is offered to the next free agent. False for a call from elsewhere."""
        handling = self._handling.get(agent.agent_id)
        customer = next((leg for leg in call.parties() if leg.handle is not None), None)
        if handling is None or handling.call is not call or handling.skill is None or customer is None:
            return False
        del self._handling[agent.agent_id]
        queue = self.queues[handling.skill]
        agent_free = self._take_free_agent(queue)
        waiting = Waiting(call, customer, handling.skill, handling.since)
        if agent_free is not None:
            self._route(agent_free, waiting)
            return True
        queue.waiting[str(customer.handle)] = waiting
        queue.waiting.move_to_end(str(customer.handle), last=False)
        return True

    def _next_waiting(self, agent: Agent) -> tuple[Queue, Waiting] | None:
        """The call that has waited longest in the agent's skill queues (callers gone are let go on the way)."""
        best: tuple[Queue, Waiting] | None = None
        for skill in agent.active_skills:
            queue = self.queues.get(skill.id)
            while queue is not None and queue.waiting:
                first = next(iter(queue.waiting.values()))
                if first.customer in first.call.legs:
                    if best is None or first.since < best[1].since:
                        best = (queue, first)
                    break
                queue.waiting.popitem(last=False)  # the customer hung up (Simulate Customer Hang Up): gone
                queue.counts.abandoned += 1
        return best

    # -- what agents' state changes and answers tell the queues -------------------------------------------
    def _figures(self, agent_id: str) -> AgentFigures:
        return self.agent_counts.setdefault(agent_id, AgentFigures())

    def _recount(self, agent: Agent) -> None:
        skills, free = self._counted.pop(agent.agent_id, ((), False))
        for skill in skills:
            self._signed_in[skill] -= 1
            self._available[skill] -= free
        if not agent.signed_in:
            return
        skills = tuple(skill.id for skill in agent.active_skills if skill.id in self.queues)
        free = self._free(agent)
        for skill in skills:
            self._signed_in[skill] += 1
            self._available[skill] += free
        self._counted[agent.agent_id] = (skills, free)

    def _moved(self, agent: Agent, before: AgentState) -> None:
        self._recount(agent)
        if agent.state != before:
            self._spell_ended(agent, before)
        if before == AgentState.TALKING and agent.state != AgentState.TALKING:
            self._talk_ended(agent)
        if not self._free(agent):
            return
        found = self._next_waiting(agent)
        if found is not None:
            queue, waiting = found
            del queue.waiting[str(waiting.customer.handle)]
            self._route(agent, waiting)
            return
        token = next(self._tokens)
        self._free_token[agent.agent_id] = token
        now = self.world.now()
        for skill in agent.active_skills:
            free_for = self.queues.get(skill.id)
            if free_for is None:
                continue
            heapq.heappush(free_for.free, (now, token, agent.agent_id))
            if len(free_for.free) > 4 * max(len(self._free_token), 16):
                self._compact(free_for)

    def _compact(self, queue: Queue) -> None:
        """Drops the entries of agents no longer free in that spell, so a heap stays near the free agents' count."""
        queue.free = [entry for entry in queue.free if self._free_token.get(entry[2]) == entry[1]]
        heapq.heapify(queue.free)

    def _spell_ended(self, agent: Agent, before: AgentState) -> None:
        """Counts the busy or rest spell the agent left, and starts timing the state it entered."""
        now = self.world.now()
        began = self._state_since.get(agent.agent_id, now)
        self._state_since[agent.agent_id] = now
        figures = self._figures(agent.agent_id)
        if before == AgentState.BUSY:
            figures.busy_seconds += now - began
        elif before == AgentState.REST:
            figures.rest_seconds += now - began
        if agent.state == AgentState.BUSY:
            figures.busy += 1
        elif agent.state == AgentState.REST:
            figures.rests += 1

    def _answered(self, leg: Leg) -> None:
        """A leg was answered: an agent took a call offered to it, or the far end of an agent's outbound call."""
        if leg.role is not Role.AGENT:
            if leg.call.feature == Feature.OUTBOUND:
                now = self.world.now()
                for party in leg.call.agent_parties():
                    self._figures(str(party.agent_id)).callouts += 1
                    self._handling.setdefault(str(party.agent_id), Handling(leg.call, None, now, 0.0, now))
            return
        agent_id = str(leg.agent_id)
        figures = self._figures(agent_id)
        handling = self._handling.get(agent_id)
        if handling is None:  # not from a queue: timed for the agent's talk only
            self._handling[agent_id] = handling = Handling(leg.call, None, self.world.now(), 0.0)
        elif leg.call is not handling.call or handling.answered_at is not None:
            return
        handling.answered_at = self.world.now()
        figures.answered += 1
        if handling.skill is not None:
            queue = self.queues[handling.skill].counts
            queue.answered += 1
            queue.waited += handling.waited
            figures.from_queues += 1
            figures.waited += handling.waited

    def _talk_ended(self, agent: Agent) -> None:
        handling = self._handling.pop(agent.agent_id, None)
        if handling is None or handling.answered_at is None:
            return
        talk = self.world.now() - handling.answered_at
        if handling.skill is not None:
            self.queues[handling.skill].counts.talk += talk
        self._figures(agent.agent_id).talk += talk

    # -- figures -------------------------------------------------------------------------------------------
    @staticmethod
    def _purge(queue: Queue) -> Queue:
        """Lets go of the calls whose customer hung up while waiting (Simulate Customer Hang Up): abandoned."""
        gone = [callid for callid, waiting in queue.waiting.items() if waiting.customer not in waiting.call.legs]
        for callid in gone:
            del queue.waiting[callid]
        queue.counts.abandoned += len(gone)
        return queue

    def queue_length(self, skill: int) -> int:
        return len(self._purge(self.queues[skill]).waiting)

    def _agents_per_skill(self) -> tuple[dict[int, int], dict[int, int]]:
        """Signed-in and free agents per skill queue."""
        return self._signed_in, self._available

    def _longest_wait(self, queue: Queue) -> float:
        first = next(iter(self._purge(queue).waiting.values()), None)
        return self.world.now() - first.since if first is not None else 0.0

    def statistics(self, skill: int) -> dict[str, Any]:
        """The skill queue's figures: what waits now and what happened since the simulator started."""
        queue = self._purge(self._queue(skill))
        signed_in, free = self._agents_per_skill()
        return {"skillId": skill, "name": queue.queue.skill.name, "accessCode": queue.queue.access_code,
                "queueSize": self.queue_length(skill), "longestWait": round(self._longest_wait(queue), 3),
                **queue.counts.describe(), "loggedOnAgents": signed_in[skill], "availAgents": free[skill]}

    def waiting_now(self, skill: int, limit: int | None = None) -> list[dict[str, Any]]:
        """The calls waiting in the skill queue, oldest first (``limit`` of them at most): the call ID a give-up
        names, the caller and the seconds waited. Read only (the console shows it)."""
        now = self.world.now()
        waiting = itertools.islice(self._purge(self._queue(skill)).waiting.items(), limit)
        return [{"callid": callid, "caller": call.call.caller, "waited": round(now - call.since, 3)}
                for callid, call in waiting]

    def agent_statistics(self, agent_id: str) -> dict[str, Any]:
        """What the calls the queues gave the agent came to (for the call-statistics routes and the control
        interface)."""
        return self.agent_counts.get(agent_id, AgentFigures()).describe()

    def _acd_item(self, queue: Queue, signed_in: dict[int, int], free: dict[int, int]) -> dict[str, Any]:
        skill = queue.queue.skill.id
        return {"pilotNbr": queue.queue.access_code, "deviceNo": skill, "queueSize": self.queue_length(skill),
                "queueTime": int(self._longest_wait(queue)), "loggedOnAgents": signed_in[skill],
                "availAgents": free[skill], "skillDescrip": queue.queue.description or queue.queue.skill.name,
                "resourceIdleRate": round(100 * free[skill] / signed_in[skill]) if signed_in[skill] else 0,
                "oldCallIdEx": NO_CALL_ID, "maxQueueSize": MAX_QUEUE_SIZE, **UNUSED}

    @staticmethod
    def _skill_item(queue: SkillQueue) -> dict[str, Any]:
        return {**queue.skill.as_reply(), "serviceType": SERVICE_TYPE, "realFlag": REAL_QUEUE}

    # -- queuedevice --------------------------------------------------------------------------------------
    @serves("queryQueueLengthOnAgent")
    def waiting_in_configured_queues(self, agent: Agent, request: Request) -> int:
        return sum(self.queue_length(skill.id) for skill in agent.skills if skill.id in self.queues)

    @serves("queryQueueLengthOnAgentSkills")
    def waiting_in_signed_in_queues(self, agent: Agent, request: Request) -> int:
        return sum(self.queue_length(skill.id) for skill in agent.active_skills if skill.id in self.queues)

    @serves("queryQueueLengthBySkillId")
    def waiting_in_queue(self, agent: Agent, request: Request) -> int:
        return self.queue_length(self._queue(request["path"]["skillid"]).queue.skill.id)

    @serves("querySkillQueueOnAgentVDN")
    def vdn_queues(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [self._skill_item(queue.queue) for queue in self.queues.values()]

    @serves("querySkillQueueOnVDN")
    def queues_of_vdn(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        self._vdn(request["path"]["vdnid"])
        return self.vdn_queues(agent, request)

    @serves("querySkillQueueOnAgent")
    def queues_of_agent(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        other = request["path"]["workNo"]
        if other not in self.world.roster:
            raise Refused(BAD_PARAMETER, f"the VDN has no agent {other}")
        return [skill.as_reply() for skill in self.world.signed_in(other).active_skills]

    @serves("queryStatInfoOfAcd")
    def acd_statistics(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        signed_in, free = self._agents_per_skill()
        asked = dict.fromkeys(int(skill) for skill in request["body"]["skills"])
        return [self._acd_item(self.queues[skill], signed_in, free) for skill in asked if skill in self.queues]

    @serves("querySkillStatWithVdn")
    def vdn_statistics(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        signed_in, free = self._agents_per_skill()
        return [self._acd_item(queue, signed_in, free) for queue in self.queues.values()]

    @serves("queryIVRInfoOnVdn")
    def ivrs(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"access": ivr.access, "id": ivr.id, "description": ivr.description, "serviceNo": ivr.service_no}
                for ivr in self.world.roster.ivrs]

    @serves("queryInNoOnVDN")
    def access_codes(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"description": queue.queue.description, "id": skill, "inno": queue.queue.access_code,
                 "vdnid": self.world.roster.vdn, "mediatype": queue.queue.skill.mediatype}
                for skill, queue in self.queues.items() if queue.queue.access_code]

    @serves("queryWaitCallInfoBySkillId")
    def waiting_calls(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        queue = self._queue(request["path"]["skillid"])
        now = self.world.now()
        return [{**waiting.call.info(), "callskill": queue.queue.skill.name, "orgicallednum": "", "endtime": None,
                 "userPriority": 0, "mediaType": queue.queue.skill.mediatype, "mediaAbility": 1,
                 "waitTime": int(now - waiting.since), "logontimes": int(now - waiting.since), "trace": None}
                for waiting in self._purge(queue).waiting.values()]

    def _vdn(self, vdnid: str) -> None:
        if int(vdnid) != self.world.roster.vdn:
            raise Refused(BAD_PARAMETER, f"no VDN {vdnid}: the simulator's agents are all in VDN "
                                         f"{self.world.roster.vdn}")

    @serves("queryCallStatisticsInfo")
    def call_statistics(self, agent: Agent, request: Request) -> dict[str, int]:
        return self._figures(agent.agent_id).call_statistics()

    @serves("queryCallStatisticsInfoEx")
    def call_statistics_in_short(self, agent: Agent, request: Request) -> dict[str, int]:
        figures = self._figures(agent.agent_id).call_statistics()
        return {name: figures[name] for name in ("talktime", "answernums", "calloutnums")}

    def _ivr(self, ivrid: str) -> None:
        if all(ivr.id != int(ivrid) for ivr in self.world.roster.ivrs):
            raise Refused(BAD_PARAMETER, f"the VDN has no IVR {ivrid}")

    @serves("queryCallCountByIVRId")
    def calls_on_ivr(self, agent: Agent, request: Request) -> int:
        self._ivr(request["path"]["ivrid"])
        return 0  # the simulator's IVRs hold no calls

    @serves("queryWaitCallInfoByIVRId")
    def calls_waiting_on_ivr(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        self._ivr(request["path"]["ivrid"])
        return []

    # -- querymonitor -------------------------------------------------------------------------------------
    @serves("queryServerTime")
    def server_time(self, agent: Agent, request: Request) -> int:
        return int(self.world.now() * 1000)

    @serves("querySysVersion")
    def version(self, agent: Agent, request: Request) -> str:
        return f"ccgw-sim {VERSION}"

    def _signed_in_agents(self) -> list[Agent]:
        return [agent for agent in self.world.agents.values() if agent.signed_in]

    @serves("querySystemStateInfo")
    def system_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        return {"state": "running", "signedInAgents": len(self._signed_in_agents()),
                "waitingCalls": sum(self.queue_length(skill) for skill in self.queues),
                "agentTimeout": self.timeout_enabled}

    def _node(self) -> dict[str, Any]:
        return {"name": SERVER_NAME, "state": "running", "agents": len(self._signed_in_agents())}

    @serves("queryClusterInfo")
    def cluster(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [self._node()]

    @serves("queryClusterInfoByName")
    def cluster_node(self, agent: Agent, request: Request) -> dict[str, Any]:
        name = request["path"]["clustername"]
        if name != SERVER_NAME:
            raise Refused(BAD_PARAMETER, f"no gateway node {name}: the simulator is one node, {SERVER_NAME}")
        return self._node()

    @serves("queryAgentClusterInfo")
    def agent_node(self, agent: Agent, request: Request) -> dict[str, Any]:
        other = request["path"]["workno"]
        if other not in self.world.roster:
            raise Refused(BAD_PARAMETER, f"the VDN has no agent {other}")
        return {"workNo": self.world.signed_in(other).agent_id, "node": SERVER_NAME}

    @serves("queryAllAgentClusterInfo")
    def agent_nodes(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"workNo": other.agent_id, "node": SERVER_NAME} for other in self._signed_in_agents()]

    @serves("querySkillsStatisticInfo")
    def skill_statistics(self, agent: Agent, request: Request) -> dict[str, Any]:
        return self.statistics(self._queue(request["path"]["skillid"]).queue.skill.id)

    @serves("setAgentTimeOut")
    def set_agent_timeout(self, agent: Agent, request: Request) -> None:
        self.timeout_enabled = str(request["path"]["flag"]).lower() == "true"

    @serves("setMaxChatNum")
    def set_max_chats(self, agent: Agent, request: Request) -> None:
        self._vdn(request["path"]["vdnid"])
        self.max_chats[int(request["path"]["vdnid"])] = int(request["path"]["chatnum"])
