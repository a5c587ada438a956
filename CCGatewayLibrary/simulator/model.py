"""The simulated gateway's state: agents, Guids, calls and the events each step produces.

Pure and synchronous so it can be tested without a server. Retcodes are named by their code only;
their meaning lives in the catalogue. Agent state changes follow the table in ``agent_states``; the
other interfaces are methods marked with ``@serves(<interface>)``. Event orders follow the vendor's
developer-guide scenarios: sign-in (InService, Ready), manual-answer inbound call (Busy, PhoneAlerting,
PhoneOffhook, Ringing, Customer_Alerting, then Talking on answer) and release (Call_Release,
Customer_Release, PhoneRelease, Ready).
"""

from __future__ import annotations

import contextlib
import itertools
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import gateway
from ..catalogue.states import SIGN_IN_STATUS, AgentState, CallState
from .agent_states import cell
from .calls import Call, CallHandling, Leg, Refused, SimulationError

__all__ = ["Agent", "GatewayModel", "Refused", "SimulationError", "SimulatorConfig"]
from .operations import Request, serves
from .roster import Roster, Skill

SIGNED_OUT, BUSY, IDLE, WORK, TALKING, REST = (AgentState.SIGNED_OUT, AgentState.BUSY, AgentState.IDLE,
                                               AgentState.WORK, AgentState.TALKING, AgentState.REST)
SIGN_IN_STATES = {str(int(state)): state for state in SIGN_IN_STATUS.values()}

Scheduler = Callable[[float, Callable[[], None]], None]


@dataclass
class SimulatorConfig:
    poll_wait: float = gateway.POLL_WAIT
    dynamic_auth: bool = True
    # Multiplies the gateway's own timers (Guid renewal and lifetime, sign-out of an agent nobody polls for,
    # the rest timer), so a test can see them fire in seconds.
    time_scale: float = 1.0
    guid_rotation: float | None = None  # seconds between Guid changes on polls; default: the gateway's, scaled
    guid_grace: float | None = None  # how long the previous Guid still works; default: the rest of its lifetime
    answer_delay: float = 0.05  # the far end of an outbound call answers after this
    # The CA that push callbacks' certificates must chain to (a gateway's trust store); None: the system's.
    callback_ca: Path | None = None
    # The gateway version whose routes are served (gateway_versions in interfaces.json); None: the current one.
    gateway_version: str | None = None

    @property
    def guid_renewal(self) -> float:
        return self.guid_rotation if self.guid_rotation is not None else gateway.GUID_RENEWAL * self.time_scale

    @property
    def previous_guid_lifetime(self) -> float:
        if self.guid_grace is not None:
            return self.guid_grace
        return (gateway.GUID_LIFETIME - gateway.GUID_RENEWAL) * self.time_scale

    @property
    def silence_sign_out(self) -> float:
        return gateway.SILENCE_SIGN_OUT * self.time_scale


@dataclass
class Agent:
    agent_id: str
    password: str
    skills: tuple[Skill, ...] = ()
    signed_in: bool = False
    state: AgentState = SIGNED_OUT
    phone: str = ""
    guid: str | None = None
    guid_issued: float = 0.0
    previous_guid: str | None = None
    previous_valid_until: float = 0.0
    rotation_grace: float | None = None  # control interface: the next rotation's grace for the previous Guid
    login_time: int = 0
    session: int = 0  # counts sign-ins: a poll that began in an earlier session must not take this one's events
    last_seen: float = 0.0  # last poll or heartbeat
    open_polls: int = 0  # a poll the gateway holds counts as a sign of life for as long as it is held
    auto_answer: bool = True
    auto_enter_idle: bool = True
    active_skills: tuple[Skill, ...] = ()
    custom_state: int | None = None
    rest_timer: int = 0  # bumped on every rest change, so a superseded timer does nothing
    release_phone: bool = True  # the phone line is not kept open between calls (sign-in's releasephone)
    calls: list[Leg] = field(default_factory=list)  # the agent's part in each of its calls, oldest first
    last_call: Call | None = None  # the agent's most recent call, also once ended, for queryCallInfo
    queue: deque[dict[str, Any]] = field(default_factory=deque)
    # Push mode: the sign-in gave both callBackUri and serviceToken (with one alone the session polls).
    callback: str | None = None
    service_token: str | None = None

    @property
    def pushed(self) -> bool:
        return self.callback is not None

    def find(self, *states: CallState) -> list[Leg]:
        return [leg for leg in self.calls if leg.state in states]


def _flag(value: object, default: bool) -> bool:
    return default if value is None else str(value).lower() == "true"


class GatewayModel(CallHandling):
    def __init__(self, roster: Roster, config: SimulatorConfig | None = None, *,
                 schedule: Scheduler | None = None, notify: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time,
                 observe: Callable[[str | None, str], None] | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.roster = roster
        self.agents: dict[str, Agent] = {}
        self.calls: dict[str, Call] = {}
        self.far_ends: dict[str, str] = {}  # number -> how it answers: answer, silent, busy, reject
        self._schedule = schedule or (lambda delay, action: action())
        self._notify = notify or (lambda agent_id: None)
        self._observe = observe or (lambda cause, event: None)
        self._clock = clock
        self._call_numbers = itertools.count(1)
        self._cause: str | None = None
        self.issued_guids: list[str] = []
        # lost: taken by a poll whose reply an injected fault dropped, or by a push that never arrived
        self.events = Counter({"queued": 0, "delivered": 0, "dropped": 0, "lost": 0})

    # -- helpers ---------------------------------------------------------------------------------
    def agent(self, agent_id: str) -> Agent:
        if agent_id not in self.agents:
            entry = self.roster.entries[str(agent_id)]
            self.agents[agent_id] = Agent(agent_id, entry.password, entry.skills)
        return self.agents[agent_id]

    def _signed_in(self, agent_id: str) -> Agent:
        if agent_id not in self.roster or not self.agent(agent_id).signed_in:
            raise Refused("100-006")
        return self.agents[agent_id]

    @contextlib.contextmanager
    def caused_by(self, interface: str | None) -> Iterator[None]:
        """Events queued inside are reported to ``observe`` as caused by ``interface`` (None: the outside world)."""
        outer, self._cause = self._cause, interface
        try:
            yield
        finally:
            self._cause = outer

    def later(self, delay: float, action: Callable[[], None]) -> None:
        """Runs ``action`` after ``delay`` seconds, its events caused by what caused this."""
        cause = self._cause

        def run() -> None:
            with self.caused_by(cause):
                action()

        self._schedule(delay, run)

    def emit(self, agent: Agent, name: str, content: Any = None) -> None:
        self._observe(self._cause, name)
        self.events["queued"] += 1
        agent.queue.append({"eventType": name, "workNo": agent.agent_id, "content": content,
                            "eventGenTime": int(self._clock() * 1000)})
        self._notify(agent.agent_id)

    def _new_guid(self, agent: Agent) -> str:
        guid = f"{uuid.uuid4()}.AgentGateway0"
        self.issued_guids.append(guid)
        agent.guid, agent.guid_issued = guid, self._clock()
        return guid

    # -- authentication ----------------------------------------------------------------------------
    def authorize(self, agent_id: str, guid: str | None) -> Agent:
        agent = self._signed_in(agent_id)
        if guid and guid == agent.guid:
            return agent
        if guid and guid == agent.previous_guid and self._clock() < agent.previous_valid_until:
            return agent
        raise Refused("000-003")

    def rotate_guid(self, agent: Agent) -> str | None:
        """A poll (or heartbeat) hands out a new Guid: in dynamic auth once the current one is old enough, and
        whenever the control interface asked for a rotation."""
        due = agent.rotation_grace is not None or (
            self.config.dynamic_auth and self._clock() - agent.guid_issued >= self.config.guid_renewal)
        if not due:
            return None
        grace = self.config.previous_guid_lifetime if agent.rotation_grace is None else agent.rotation_grace
        agent.previous_guid, agent.previous_valid_until = agent.guid, self._clock() + grace
        agent.rotation_grace = None
        return self._new_guid(agent)

    def rotate_guid_soon(self, agent: Agent, grace: float) -> None:
        """Control interface: the agent's next poll or heartbeat reply carries a new Guid, and the old one works
        ``grace`` seconds longer (0: a request still carrying it is refused)."""
        agent.rotation_grace = max(0.0, grace)

    def expire_guid(self, agent: Agent) -> None:
        """Control interface: the agent's Guid (and a previous one still in grace) stops working now."""
        agent.previous_guid = None
        self._new_guid(agent)  # issued to nobody: the next request with the old one gets 000-003

    def seen(self, agent: Agent) -> None:
        """A poll or heartbeat arrived: the agent's client is alive."""
        agent.last_seen = self._clock()

    def sign_out_silent_agents(self) -> list[str]:
        """Signs out every agent nobody polled for (or sent a heartbeat for) longer than the gateway allows."""
        limit = self._clock() - self.config.silence_sign_out
        # In push mode only the heartbeat is a sign of life.
        silent = [a for a in self.agents.values()
                  if a.signed_in and not (a.open_polls and not a.pushed) and a.last_seen < limit]
        for agent in silent:
            with self.caused_by(None):
                self._sign_out(agent, release=True, events=("AgentOther_ShutdownService",))
        return [agent.agent_id for agent in silent]

    # -- sign-in and agent state ---------------------------------------------------------------------
    def login(self, agent_id: str, body: dict[str, Any], *, force: bool = False) -> tuple[dict[str, Any], str]:
        if agent_id not in self.roster or body.get("password") != self.roster.password_of(agent_id):
            raise Refused("100-004")
        agent = self.agent(agent_id)
        if agent.signed_in and not force:
            raise Refused("100-002")
        if agent.signed_in:
            self._leave_all_calls(agent)
        self._drop_queue(agent)
        agent.session += 1
        agent.signed_in, agent.phone = True, str(body.get("phonenum") or "")
        agent.auto_answer = _flag(body.get("autoanswer"), True)
        agent.auto_enter_idle = _flag(body.get("autoenteridle"), True)
        agent.release_phone = _flag(body.get("releasephone"), not force)  # forceLogin's default is false
        agent.login_time = int(self._clock() * 1000)
        agent.last_seen = self._clock()
        agent.previous_guid = None
        uri, token = body.get("callBackUri"), body.get("serviceToken")
        agent.callback, agent.service_token = (str(uri), str(token)) if uri and token else (None, None)
        agent.active_skills = agent.skills
        agent.custom_state = None
        agent.rest_timer += 1
        guid = self._new_guid(agent)
        status = str(body.get("status", int(IDLE)))
        agent.state = SIGN_IN_STATES[status]
        self.emit(agent, "AgentOther_InService")
        self.emit(agent, "AgentState_Ready")
        if agent.state == BUSY:
            self.emit(agent, "AgentState_SetNotReady_Success", {"reason": "0"})
        elif agent.state == WORK:
            self.emit(agent, "AgentState_Work")
        result = {"vdnid": 1, "workno": agent_id, "mediatype": "TFF", "loginTime": str(agent.login_time),
                  "isForceChange": "false", "serverName": "AgentGateway0", "timeRemaining": ""}
        return result, guid

    def change_state(self, agent: Agent, interface: str, request: Request) -> None:
        """Carries out a state interface as the agent state table says, or refuses it."""
        with self.caused_by(interface):
            self._change_state(agent, interface, request)

    def _change_state(self, agent: Agent, interface: str, request: Request) -> None:
        outcome = cell(interface, agent.state if not agent.calls else TALKING)
        if isinstance(outcome, str):
            raise Refused(outcome, f"{interface} is not allowed while the agent is {agent.state.name.lower()}")
        query = request.get("query") or {}
        if outcome.needs and str(query.get(outcome.needs, "")).lower() != "true":
            raise Refused("100-009", f"the agent is already {outcome.to.name.lower()}: give {outcome.needs}=true "
                                     "to change the reason")
        if outcome.to == SIGNED_OUT:
            self._sign_out(agent, release=outcome.releases_calls, events=outcome.events)
            return
        agent.state = outcome.to
        path = request.get("path") or {}
        for name in outcome.events:
            self.emit(agent, name, self._content(agent, name, path, query))
        if interface == "rest":
            self._start_rest_timer(agent, float(path["time"]))
        elif outcome.to != REST:
            agent.rest_timer += 1

    @staticmethod
    def _content(agent: Agent, event: str, path: dict[str, Any], query: dict[str, Any]) -> Any:
        """The ``content`` of a state event, as the event's page documents it."""
        if event == "AgentOther_ShutdownService":
            return {"loginTime": str(agent.login_time)}
        if event == "AgentState_SetNotReady_Success":
            return {"reason": str(query.get("reason") or "0")}
        if event == "AgentState_SetRest_Success":
            return {"reason": str(path.get("restcause", "0"))}
        return None

    def _start_rest_timer(self, agent: Agent, seconds: float) -> None:
        agent.rest_timer += 1
        timer, session = agent.rest_timer, agent.session

        def time_is_up() -> None:
            if agent.signed_in and agent.session == session and agent.rest_timer == timer and agent.state == REST:
                self.emit(agent, "AgentState_Rest_Timeout")  # a reminder: the agent stays in rest

        self.later(seconds * self.config.time_scale, time_is_up)

    def _sign_out(self, agent: Agent, *, release: bool, events: tuple[str, ...] = ()) -> None:
        if release:
            self._leave_all_calls(agent)
        agent.signed_in, agent.state, agent.guid, agent.previous_guid = False, SIGNED_OUT, None, None
        agent.rest_timer += 1
        self._drop_queue(agent)
        # What the sign-out itself produces (AgentOther_ShutdownService after a forced one) is still collected
        # by a poll that was waiting; new polls are refused.
        for name in events:
            self.emit(agent, name, self._content(agent, name, {}, {}))
        self._notify(agent.agent_id)  # wake a waiting poll so it can answer "not signed in"

    def logout(self, agent: Agent, *, force: bool = False) -> None:
        self.change_state(agent, "forceLogout" if force else "logout", {})

    def say_free(self, agent: Agent) -> None:
        self.change_state(agent, "sayFree", {})

    def say_busy(self, agent: Agent, reason: str | None) -> None:
        prolong = "true" if agent.state == BUSY else None
        self.change_state(agent, "sayBusy", {"query": {"reason": reason, "prolong": prolong}})

    @serves("getAgentStatus")
    def status(self, agent: Agent, request: Request | None = None) -> dict[str, Any]:
        return {"agentState": int(agent.state), "isWorking": bool(agent.calls)}

    @serves("handShake")
    def heartbeat(self, agent: Agent, request: Request) -> None:
        self.seen(agent)

    # -- skills, settings and notes ------------------------------------------------------------------
    @serves("resetSkill")
    def reset_skills(self, agent: Agent, request: Request) -> dict[str, Any]:
        if str(request["path"]["autoflag"]).lower() == "true":
            agent.active_skills = agent.skills
        else:
            wanted = {part for part in str(request["query"].get("skillid") or "").split(";") if part}
            agent.active_skills = tuple(s for s in agent.skills if str(s.id) in wanted)
        return {}

    @serves("queryAgentSkills")
    def skills_of(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [skill.as_reply() for skill in agent.active_skills]

    @serves("queryAgentSkillsByWorkNo")
    def skills_of_other(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        other = str(request["path"]["workno"])
        if other not in self.roster:
            raise Refused("000-002", f"agent {other} is not configured")
        target = self.agent(other)
        return [skill.as_reply() for skill in (target.active_skills if target.signed_in else target.skills)]

    @serves("setAgentAutoAnswer")
    def set_auto_answer(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.auto_answer = str(request["path"]["isautoanswer"]) == "true"
        return {}

    @serves("setAgentAutoEnterIdle")
    def set_auto_enter_idle(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.auto_enter_idle = str(request["path"]["flag"]) == "true"
        return {}

    @serves("setCustomState")
    def set_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.custom_state = int(request["query"]["customstate"])
        return {}

    @serves("queryCustomState")
    def query_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        return {"agentcustomstate": str(agent.custom_state if agent.custom_state is not None else 65535)}

    @serves("cancelSetCustomState")
    def cancel_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        if agent.custom_state is None:
            raise Refused("100-009", "no custom state is set")
        agent.custom_state = None
        return {}

    @serves("sendNoteletEx")
    def send_note(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        for receiver in dict.fromkeys(str(item) for item in body["agentIds"]):
            if receiver in self.roster and self.agent(receiver).signed_in:
                self.emit(self.agents[receiver], "AgentOther_Note")  # documented with no content: the text stays out

    @serves("modifyAccountPwdEx")
    def change_password(self, agent: Agent, request: Request) -> dict[str, Any]:
        body = request["body"]
        if body["oldPassword"] != agent.password:
            raise Refused("100-007", "the old password is wrong")
        agent.password = body["newPassword"]
        self.roster.set_password(agent.agent_id, agent.password)
        return {}

    @serves("updateGuid")
    def update_guid(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.previous_guid, agent.previous_valid_until = agent.guid, self._clock() + self.config.previous_guid_lifetime
        return {"guid": self._new_guid(agent)}

    @serves("loginInfo")
    def login_info(self, agent: Agent, request: Request) -> dict[str, Any]:
        return {"phonenum": agent.phone, "phonetoken": uuid.uuid4().hex}

    @serves("syncagentinfo")
    def sync_agent_info(self, agent: Agent, request: Request) -> dict[str, Any]:
        self._drop_queue(agent)  # documented: the agent's queued events are dropped
        current = agent.calls[0] if agent.calls else None
        return {"callinfo": "", "agentStateInfo": {"workNo": agent.agent_id, "state": int(agent.state),
                                                   "curCallId": current.callid if current else ""}}

    # -- events ------------------------------------------------------------------------------------
    def next_event(self, agent: Agent) -> dict[str, Any] | None:
        if not agent.queue:
            return None
        self.events["delivered"] += 1
        return agent.queue.popleft()

    def _drop_queue(self, agent: Agent) -> None:
        """Events nobody will fetch any more (a new sign-in, a sign-out, syncagentinfo) are counted as dropped."""
        self.events["dropped"] += len(agent.queue)
        agent.queue.clear()
