"""The simulated gateway's state: agents, Guids, calls and the events each step produces.

Pure and synchronous so it can be tested without a server. Retcodes are named by their code only;
their meaning lives in the catalogue. Event orders follow the vendor's developer-guide scenarios:
sign-in (InService, Ready), manual-answer inbound call (Busy, PhoneAlerting, PhoneOffhook, Ringing,
Customer_Alerting, then Talking on answer) and release (Call_Release, Customer_Release,
PhoneRelease, Ready).
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.states import SIGN_IN_STATUS, AgentState
from .roster import Roster

SIGNED_OUT, BUSY, IDLE, WORK, TALKING = (AgentState.SIGNED_OUT, AgentState.BUSY, AgentState.IDLE, AgentState.WORK,
                                         AgentState.TALKING)
SIGN_IN_STATES = {str(int(state)): state for state in SIGN_IN_STATUS.values()}

Scheduler = Callable[[float, Callable[[], None]], None]


class Refused(Exception):
    """The gateway refuses the step with this retcode."""

    def __init__(self, retcode: str, message: str = "") -> None:
        super().__init__(retcode)
        self.retcode = retcode
        self.message = message


class SimulationError(Exception):
    """A control-interface request the simulated world cannot carry out."""


@dataclass
class SimulatorConfig:
    poll_wait: float = 10.0
    dynamic_auth: bool = True
    guid_rotation: float = 60.0  # seconds between Guid changes on polls (dynamic auth)
    guid_grace: float = 60.0  # how long the previous Guid still works after a change
    answer_delay: float = 0.05  # the far end of an outbound call answers after this


@dataclass
class Call:
    callid: str
    customer: str
    agent_number: str
    inbound: bool
    state: str  # ringing | alerting | talking | held | conference

    @property
    def feature(self) -> str:
        return "0" if self.inbound else "7"


@dataclass
class Agent:
    agent_id: str
    password: str
    signed_in: bool = False
    state: AgentState = SIGNED_OUT
    phone: str = ""
    guid: str | None = None
    guid_issued: float = 0.0
    previous_guid: str | None = None
    previous_valid_until: float = 0.0
    login_time: int = 0
    auto_answer: bool = True
    auto_enter_idle: bool = True
    calls: list[Call] = field(default_factory=list)
    queue: deque[dict[str, Any]] = field(default_factory=deque)

    def find(self, *states: str) -> list[Call]:
        return [call for call in self.calls if call.state in states]


def _flag(value: object, default: bool) -> bool:
    return default if value is None else str(value).lower() == "true"


class GatewayModel:
    def __init__(self, roster: Roster, config: SimulatorConfig | None = None, *,
                 schedule: Scheduler | None = None, notify: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.config = config or SimulatorConfig()
        self.roster = roster
        self.agents: dict[str, Agent] = {}
        self.calls: dict[str, Call] = {}
        self._schedule = schedule or (lambda delay, action: action())
        self._notify = notify or (lambda agent_id: None)
        self._clock = clock
        self._call_numbers = itertools.count(1)
        self.issued_guids: list[str] = []

    # -- helpers ---------------------------------------------------------------------------------
    def agent(self, agent_id: str) -> Agent:
        if agent_id not in self.agents:
            self.agents[agent_id] = Agent(agent_id, self.roster.password_of(agent_id))
        return self.agents[agent_id]

    def _signed_in(self, agent_id: str) -> Agent:
        if agent_id not in self.roster or not self.agent(agent_id).signed_in:
            raise Refused("100-006")
        return self.agents[agent_id]

    def emit(self, agent: Agent, name: str, content: Any = None) -> None:
        agent.queue.append({"eventType": name, "workNo": agent.agent_id, "content": content,
                            "eventGenTime": int(self._clock() * 1000)})
        self._notify(agent.agent_id)

    def _new_guid(self, agent: Agent) -> str:
        guid = f"{uuid.uuid4()}.AgentGateway0"
        self.issued_guids.append(guid)
        agent.guid, agent.guid_issued = guid, self._clock()
        return guid

    def _new_callid(self) -> str:
        return f"{int(self._clock())}-{next(self._call_numbers)}"

    def _talking_content(self, call: Call) -> dict[str, str]:
        caller, called = (call.customer, call.agent_number) if call.inbound else (call.agent_number, call.customer)
        return {"caller": caller, "called": called, "callid": call.callid, "type": "main",
                "feature": call.feature, "mediaAbility": "1"}

    # -- authentication ----------------------------------------------------------------------------
    def authorize(self, agent_id: str, guid: str | None) -> Agent:
        agent = self._signed_in(agent_id)
        if guid and guid == agent.guid:
            return agent
        if guid and guid == agent.previous_guid and self._clock() < agent.previous_valid_until:
            return agent
        raise Refused("000-003")

    def rotate_guid(self, agent: Agent) -> str | None:
        """In dynamic auth, a poll hands out a new Guid once the current one is old enough."""
        if not self.config.dynamic_auth or self._clock() - agent.guid_issued < self.config.guid_rotation:
            return None
        agent.previous_guid, agent.previous_valid_until = agent.guid, self._clock() + self.config.guid_grace
        return self._new_guid(agent)

    # -- sign-in and agent state ---------------------------------------------------------------------
    def login(self, agent_id: str, body: dict[str, Any], *, force: bool = False) -> tuple[dict[str, Any], str]:
        if agent_id not in self.roster or body.get("password") != self.roster.password_of(agent_id):
            raise Refused("100-004")
        agent = self.agent(agent_id)
        if agent.signed_in and not force:
            raise Refused("100-002")
        if agent.signed_in:
            self._drop_calls(agent)
        agent.queue.clear()
        agent.signed_in, agent.phone = True, str(body["phonenum"])
        agent.auto_answer = _flag(body.get("autoanswer"), True)
        agent.auto_enter_idle = _flag(body.get("autoenteridle"), True)
        agent.login_time = int(self._clock() * 1000)
        agent.previous_guid = None
        guid = self._new_guid(agent)
        status = str(body.get("status", "4"))
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

    def logout(self, agent: Agent, *, force: bool = False) -> None:
        if agent.calls and not force:
            raise Refused("100-010")
        self._drop_calls(agent)
        agent.signed_in, agent.state, agent.guid, agent.previous_guid = False, SIGNED_OUT, None, None
        agent.queue.clear()
        self._notify(agent.agent_id)  # wake a waiting poll so it can answer "not signed in"

    def say_free(self, agent: Agent) -> None:
        if agent.calls:
            raise Refused("100-009")
        if agent.state == BUSY:
            self.emit(agent, "AgentState_CancelNotReady_Success")
        elif agent.state == WORK:
            self.emit(agent, "AgentState_CancelWork_Success")
        agent.state = IDLE
        self.emit(agent, "AgentState_Ready")

    def say_busy(self, agent: Agent, reason: str | None) -> None:
        if agent.calls:
            raise Refused("100-009")
        agent.state = BUSY
        self.emit(agent, "AgentState_SetNotReady_Success", {"reason": reason or "0"})

    def status(self, agent: Agent) -> dict[str, Any]:
        return {"agentState": int(agent.state), "isWorking": bool(agent.calls)}

    # -- calls -------------------------------------------------------------------------------------
    def offer_inbound_call(self, caller: str, agent_id: str) -> str:
        """Control interface: a customer calls and the platform routes the call to this agent."""
        if agent_id not in self.roster:
            raise SimulationError(f"agent {agent_id} is not in the roster")
        agent = self.agent(agent_id)
        if not agent.signed_in:
            raise SimulationError(f"agent {agent_id} is not signed in")
        if agent.state != IDLE or agent.calls:
            raise SimulationError(f"agent {agent_id} is not idle (state {agent.state}) and cannot take a call")
        call = Call(self._new_callid(), caller, agent.phone, inbound=True, state="ringing")
        self.calls[call.callid] = call
        agent.calls.append(call)
        agent.state = TALKING
        self.emit(agent, "AgentState_Busy")
        self.emit(agent, "AgentOther_PhoneAlerting")
        self.emit(agent, "AgentOther_PhoneOffhook", {"type": "main"})
        ringing = {"caller": caller, "called": agent.phone, "callid": call.callid, "type": "main", "feature": "0",
                   "mediaAbility": "1", "transfer": "no", "transfrom": ""}
        if agent.auto_answer:
            self.emit(agent, "AgentEvent_Auto_Answer", ringing)
            call.state = "talking"
            self.emit(agent, "AgentEvent_Talking", self._talking_content(call))
        else:
            self.emit(agent, "AgentEvent_Ringing", ringing)
            self.emit(agent, "AgentEvent_Customer_Alerting",
                      {"callid": call.callid, "otherPhoneWorkno": "", "otherPhone": caller, "type": "main"})
        return call.callid

    def customer_hangs_up(self, callid: str) -> None:
        """Control interface: the customer of this call hangs up."""
        owner = next((a for a in self.agents.values() if any(c.callid == callid for c in a.calls)), None)
        if owner is None:
            raise SimulationError(f"no call {callid} in progress")
        call = next(c for c in owner.calls if c.callid == callid)
        self._end_calls(owner, [call], phone_state=3)

    def answer(self, agent: Agent, callid: str | None) -> None:
        ringing = [c for c in agent.find("ringing") if callid in (None, c.callid)]
        if not ringing:
            raise Refused("200-002")
        call = ringing[0]
        call.state = "talking"
        self.emit(agent, "AgentEvent_Talking", self._talking_content(call))

    def hold(self, agent: Agent) -> None:
        talking = agent.find("talking")
        if not talking:
            raise Refused("200-014" if agent.calls and not agent.find("held") else "200-013")
        talking[0].state = "held"
        self.emit(agent, "AgentEvent_Hold", talking[0].callid)

    def get_hold(self, agent: Agent, callid: str | None) -> None:
        held = [c for c in agent.find("held") if callid in (None, c.callid)]
        if not held:
            raise Refused("200-015")
        if agent.find("talking", "ringing", "alerting", "conference"):
            raise Refused("200-016")
        held[0].state = "talking"
        self.emit(agent, "AgentEvent_Talking", self._talking_content(held[0]))

    def callout(self, agent: Agent, body: dict[str, Any]) -> str:
        if agent.find("talking", "ringing", "alerting", "conference"):
            raise Refused("100-009")
        called = str(body["called"])
        was_free = not agent.calls
        call = Call(self._new_callid(), called, str(body.get("caller") or agent.phone), inbound=False, state="alerting")
        self.calls[call.callid] = call
        agent.calls.append(call)
        agent.state = TALKING
        if was_free:
            self.emit(agent, "AgentState_Busy")
        self.emit(agent, "AgentEvent_Customer_Alerting",
                  {"callid": call.callid, "otherPhoneWorkno": "", "otherPhone": called, "type": "main"})
        self._schedule(self.config.answer_delay, lambda: self._far_end_answers(agent, call))
        return call.callid

    def _far_end_answers(self, agent: Agent, call: Call) -> None:
        if call in agent.calls and call.state == "alerting":
            call.state = "talking"
            self.emit(agent, "AgentEvent_Talking", self._talking_content(call))

    def conf_join(self, agent: Agent, callid: str) -> None:
        talking = agent.find("talking")
        if not talking:
            raise Refused("200-010")
        held = [c for c in agent.find("held") if c.callid == callid]
        if not held:
            raise Refused("200-011")
        for call in (held[0], talking[0]):
            call.state = "conference"
        partner = ",".join(call.customer for call in (held[0], talking[0]))
        self.emit(agent, "AgentEvent_Conference", {"callid": callid, "partner": partner})

    def release(self, agent: Agent) -> None:
        current = agent.find("talking", "alerting", "conference", "ringing")
        if not current:
            raise Refused("200-017")
        self._end_calls(agent, current, phone_state=2)

    def _end_calls(self, agent: Agent, calls: list[Call], *, phone_state: int) -> None:
        for call in calls:
            agent.calls.remove(call)
            self.calls.pop(call.callid, None)
            self.emit(agent, "AgentEvent_Call_Release", call.callid)
            self.emit(agent, "AgentEvent_Customer_Release", {"callid": call.callid, "number": call.customer})
        self.emit(agent, "AgentOther_PhoneRelease", {"phoneState": phone_state})
        if not agent.calls:
            agent.state = IDLE if agent.auto_enter_idle else WORK
            self.emit(agent, "AgentState_Ready" if agent.auto_enter_idle else "AgentState_Work")

    def _drop_calls(self, agent: Agent) -> None:
        for call in agent.calls:
            self.calls.pop(call.callid, None)
        agent.calls.clear()

    # -- events ------------------------------------------------------------------------------------
    def next_event(self, agent: Agent) -> dict[str, Any] | None:
        return agent.queue.popleft() if agent.queue else None
