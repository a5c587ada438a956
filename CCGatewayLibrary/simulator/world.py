"""The simulated gateway's world: agents, calls, the clock, the scheduler and event delivery.

Chapters (agent sessions, agent states, calls; inspection, queues and media as they land) each receive the
world, as keyword classes receive the library's context, and import nothing of each other but what they are
handed. The world knows no chapter, so nothing here imports a chapter.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ..catalogue import gateway
from ..catalogue.states import AgentState, CallState
from .roster import Roster, Skill

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
    state: AgentState = AgentState.SIGNED_OUT  # changed by the agent state machine only
    state_since: float = 0.0  # when the agent entered its state (set with it; agentgroup's currentstatetime)
    state_reason: int = 0  # the busy or rest reason the state was entered with (agentgroup's currentStateReason)
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


class Role(Enum):
    """What a leg is to its call: a party (customer or agent) or a monitor (a supervisor's leg)."""

    CUSTOMER = "customer"
    AGENT = "agent"
    LISTEN = "listen"  # hears both sides, is heard by nobody
    WHISPER = "whisper"  # hears both sides, is heard by the agent only
    BARGE = "barge"  # talks to everyone, yet does not keep a call alive alone

    @property
    def is_party(self) -> bool:
        """Parties make the call: they count for whether it goes on, and are each other's partners."""
        return self in (Role.CUSTOMER, Role.AGENT)

    def heard_by(self, listener: Role) -> bool:
        """Whether a leg of this role is heard on a leg of role ``listener``."""
        if self is Role.LISTEN:
            return False
        if self is Role.WHISPER:
            return listener is Role.AGENT
        return True


class Departure(Enum):
    """How a party leaves a call other than by an interface of the chapter hosting the call (see ``Host``)."""

    HUNG_UP = "hung up"  # the party hung up: an agent's release or dropCall, a customer putting the phone down
    REMOVED = "removed"  # another party dropped it (disconnect)
    SIGNED_OUT = "signed out"  # the agent's session ended: a forced sign-out, a Guid that expired, a forced sign-in


class Host(Protocol):
    """A chapter that keeps some calls by its own rules (a conference): every way a party leaves such a call, and
    the platform releasing it, goes through the host, whichever chapter's interface caused it."""

    def depart(self, leg: Leg, why: Departure) -> None:
        """The party on ``leg`` leaves the call."""

    def drop(self, call: Call) -> None:
        """The platform releases the whole call (an inspector's forceDropCall)."""


@dataclass(eq=False)
class Leg:
    """One connection to one call: a party's or a monitor's."""

    call: Call
    number: str  # the phone number on this leg
    state: CallState
    agent_id: str | None = None  # set for an agent's leg (a party's or a monitoring supervisor's)
    role: Role = Role.CUSTOMER
    muted: bool = False
    inspected: str | None = None  # a monitor's leg: the agent it inspects (a call may have several agents)
    # The call ID the control interface handed out for this party (Simulate Inbound Call, Call Out): it names the
    # party, also after a merge moved it into another call.
    handle: str | None = None

    @property
    def callid(self) -> str:
        return self.call.callid


@dataclass(eq=False)
class Call:
    callid: str
    feature: int
    caller: str
    called: str
    begin: int  # epoch ms
    legs: list[Leg] = field(default_factory=list)
    data: str = ""  # call-associated data (setcalldataex); the call keeps it through transfers
    business_data: str = ""  # setcallbusinessdata's data, kept like ``data``
    skill: int | None = None
    digits: list[str] = field(default_factory=list)  # DTMF sent with secondDialEx
    pending_transfer: str | None = None  # agent whose success transfer completes when the target answers
    transfer_target: str | None = None  # external number of a talk or three-party transfer (cancelTransfer drops it)
    conference_on_answer: str | None = None  # interface whose new party, on answering, makes this a conference
    host: Host | None = None  # the chapter whose rules the call follows instead of the voice call's

    def others(self, leg: Leg) -> list[Leg]:
        """The parties of the call besides ``leg``."""
        return [other for other in self.parties() if other is not leg]

    def parties(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.role.is_party]

    def agent_parties(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.role is Role.AGENT]

    def info(self) -> dict[str, Any]:
        """The call as the call-info queries describe it."""
        return {"callfeature": self.feature, "callid": self.callid, "caller": self.caller, "called": self.called,
                "callskill": "", "callskillid": self.skill, "calldata": self.data, "begintime": self.begin}


class Event(NamedTuple):
    """An event for an agent, as one of the factories in ``events`` builds it."""

    name: str
    content: Any = None


class World:
    """What every chapter shares: the roster's agents, the calls, the clock, timers and the agents' event queues."""

    def __init__(self, roster: Roster, config: SimulatorConfig | None = None, *,
                 schedule: Scheduler | None = None, notify: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time,
                 observe: Callable[[str | None, str], None] | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.roster = roster
        self.agents: dict[str, Agent] = {}
        self.calls: dict[str, Call] = {}
        self.far_ends: dict[str, str] = {}  # number -> how it answers: answer, silent, busy, reject
        self.issued_guids: list[str] = []
        self.handles: dict[str, Leg] = {}  # call ID handed out -> the party it names (Leg.handle)
        self.leg_ended: list[Callable[[Leg], None]] = []  # chapters keeping something per leg hear of its end
        # lost: taken by a poll whose reply an injected fault dropped, or by a push that never arrived
        self.events = Counter({"queued": 0, "delivered": 0, "dropped": 0, "lost": 0})
        self._schedule = schedule or (lambda delay, action: action())
        self._notify = notify or (lambda agent_id: None)
        self._observe = observe or (lambda cause, event: None)
        self._clock = clock
        self._cause: str | None = None

    def now(self) -> float:
        return self._clock()

    def agent(self, agent_id: str) -> Agent:
        if agent_id not in self.agents:
            entry = self.roster.entries[str(agent_id)]
            self.agents[agent_id] = Agent(agent_id, entry.password, entry.skills)
        return self.agents[agent_id]

    def signed_in(self, agent_id: str) -> Agent:
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

    def send(self, agent: Agent, event: Event) -> None:
        self.emit(agent, event.name, event.content)

    def wake(self, agent: Agent) -> None:
        """Wakes a poll waiting for ``agent`` (so it can answer "not signed in" after a sign-out)."""
        self._notify(agent.agent_id)

    def next_event(self, agent: Agent) -> dict[str, Any] | None:
        if not agent.queue:
            return None
        self.events["delivered"] += 1
        return agent.queue.popleft()

    def drop_queue(self, agent: Agent) -> None:
        """Events nobody will fetch any more (a new sign-in, a sign-out, syncagentinfo) are counted as dropped."""
        self.events["dropped"] += len(agent.queue)
        agent.queue.clear()

    # -- legs -------------------------------------------------------------------------------------------
    def attach(self, call: Call, number: str, state: CallState, role: Role, agent: Agent | None = None) -> Leg:
        """A new leg of ``call``; an agent's leg is also one of the agent's calls."""
        leg = Leg(call, number, state, agent.agent_id if agent else None, role)
        call.legs.append(leg)
        if agent is not None:
            agent.calls.append(leg)
            agent.last_call = call
        return leg

    def name_party(self, leg: Leg) -> None:
        """The leg's call ID names this party from now on (the control interface handed it out)."""
        leg.handle = leg.callid
        self.handles[leg.handle] = leg

    def move(self, leg: Leg, into: Call) -> None:
        """The leg goes on in the call ``into`` (a merge, a hand-over), keeping its handle."""
        leg.call.legs.remove(leg)
        leg.call = into
        into.legs.append(leg)

    def detach(self, leg: Leg) -> None:
        """Everything removing a leg needs: off its call and its agent's calls, its handle retired, and a call
        with no leg left forgotten. Events are the chapter's business."""
        call = leg.call
        call.legs.remove(leg)
        if leg.agent_id is not None:
            self.agents[leg.agent_id].calls.remove(leg)
        if leg.handle is not None:
            self.handles.pop(leg.handle, None)
        if not call.legs:
            self.calls.pop(call.callid, None)
        for listener in self.leg_ended:
            listener(leg)
