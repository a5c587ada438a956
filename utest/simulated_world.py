"""The one harness for the simulator model's unit tests: a gateway model on a fake clock, driven as the server
drives it, with every contract the catalogue states checked on the way.

- the clock is fake (``world.clock.advance``) and timers wait until a test runs them (``world.timers``), unless
  the world is made ``immediate``;
- ``do`` runs an interface as the server does: the request is checked against its request schema, the events it
  causes are attributed to it, the reply is built in the gateway's envelope and checked against the response
  schema, and its retcode against the interface's list in the catalogue;
- every event the model queues is checked against its event schema and, when an interface caused it, against
  that interface's event list.

What breaks a contract is collected in ``breaches``, not raised where it happens (a timer or a chapter may be deep
in the stack); ``checked_worlds`` fails the test at teardown when any world it made has one. conftest.py offers it
as the fixture ``worlds``; a test module adds the world it needs::

    @pytest.fixture
    def world(worlds: Worlds) -> SimulatedWorld:
        return worlds()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from CCGatewayLibrary.catalogue import POLL_RESPONSE_SCHEMA, Catalogue, Interface, load_catalogue
from CCGatewayLibrary.catalogue.gateway import POLL_INTERFACE, SUCCESS
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import Agent, GatewayModel, Refused, SimulatorConfig
from CCGatewayLibrary.simulator.operations import FileReply
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.server import simulated_by

CATALOGUE = load_catalogue()
START = 1_700_000_000.0
AGENT, OTHER_AGENT, THIRD_AGENT = "101", "102", "103"
COLLEAGUES = (AGENT, OTHER_AGENT, THIRD_AGENT)  # the agents of the tests of calls between agents
PHONE = "70001"  # agent 101's phone; agents 10n sign in with 7000n
CUSTOMER, OTHER_NUMBER = "88880001", "88880002"
RELEASED = ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]
# A rest request as a tester gives it (``do``'s keyword arguments): 60 seconds, cause 3, may change a running rest.
REST_REQUEST: dict[str, dict[str, Any]] = {"path": {"time": "60", "restcause": "3"}, "query": {"prolong": "true"}}
# A timer that sets itself again would keep run_all going for ever; no scenario needs more rounds than this.
MAX_TIMER_ROUNDS = 50


def reply_breaches(interface: Interface, reply: object, catalogue: Catalogue = CATALOGUE) -> list[str]:
    """What breaks the catalogue's contract in ``reply`` as ``interface``'s answer: a retcode the catalogue does not
    list for the interface, a reply that breaks its response schema (a poll's success: the poll envelope's)."""
    retcode = reply.get("retcode") if isinstance(reply, dict) else None
    found = []
    if retcode not in interface.possible_retcodes:
        found.append(f"{interface.name} answered retcode {retcode}, which the catalogue does not list for it")
    polled = interface.name == POLL_INTERFACE and retcode == SUCCESS
    problems = catalogue.problems(POLL_RESPONSE_SCHEMA if polled else interface.response_schema["$id"], reply)
    if problems is not None:
        found.append(f"{interface.name} reply breaks its schema: {problems}")
    return found


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Timers:
    """The model's scheduler: runs actions at once (``immediate``) or keeps them until a test runs them; the delays
    asked for are recorded either way."""

    def __init__(self, immediate: bool = False) -> None:
        self.immediate = immediate
        self.delays: list[float] = []
        self.pending: list[Callable[[], None]] = []

    def __call__(self, delay: float, action: Callable[[], None]) -> None:
        self.delays.append(delay)
        if self.immediate:
            action()
        else:
            self.pending.append(action)

    def run_pending(self) -> None:
        """Runs what is pending now; what those actions schedule waits for the next call."""
        actions, self.pending = self.pending, []
        for action in actions:
            action()

    def run_all(self) -> None:
        """Runs timers until none are left, as if all the time they wait had passed."""
        for _ in range(MAX_TIMER_ROUNDS):
            if not self.pending:
                return
            self.run_pending()
        raise AssertionError(f"timers still pending after {MAX_TIMER_ROUNDS} rounds: a timer keeps setting itself")


class _CheckedModel(GatewayModel):
    """The model, reporting each event it queues, whole, to the harness."""

    def __init__(self, on_event: Callable[[dict[str, Any]], None], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_event = on_event

    def emit(self, agent: Agent, name: str, content: Any = None) -> None:
        super().emit(agent, name, content)
        self._on_event(agent.queue[-1])


class SimulatedWorld:
    """A gateway model plus what a test needs to drive and check it (see the module's documentation)."""

    def __init__(self, config: SimulatorConfig | None = None, *, immediate: bool = False,
                 catalogue: Catalogue = CATALOGUE) -> None:
        self.catalogue = catalogue
        self.roster = Roster.load()
        self.clock = FakeClock()
        self.timers = Timers(immediate)
        self.notified: list[str] = []
        self.breaches: list[str] = []
        self.emitted: list[dict[str, Any]] = []
        self.caused: list[tuple[str | None, str]] = []  # (interface or None, event name), in order
        self.last: list[dict[str, Any]] = []  # the events the last ``names``/``drain`` took
        self.last_reply: dict[str, Any] | None = None  # the envelope ``do`` built last
        self.model = _CheckedModel(self._check_event, self.roster, config or SimulatorConfig(), schedule=self.timers,
                                   notify=self.notified.append, clock=self.clock, observe=self._observe)

    # -- contracts ------------------------------------------------------------------------------------------
    def _observe(self, cause: str | None, event: str) -> None:
        self.caused.append((cause, event))
        if cause is not None and event not in self.catalogue.interface(cause).events:
            self.breaches.append(f"{cause} caused {event}, which the catalogue does not list for it")

    def _check_event(self, event: dict[str, Any]) -> None:
        self.emitted.append(event)
        problems = self.catalogue.event_problems(event)
        if problems is not None:
            self.breaches.append(f"{event['eventType']} breaks its schema: {problems}")

    def _check_reply(self, interface: str, retcode: str, result: Any = None, message: str = "") -> dict[str, Any]:
        """The reply the gateway would send, in its envelope, with its breaches recorded."""
        reply: dict[str, Any] = {"message": message or ("success" if retcode == SUCCESS else
                                                        self.catalogue.meaning(retcode)), "retcode": retcode}
        if retcode == SUCCESS:
            reply["result"] = result if result is not None else {}
        self.breaches += reply_breaches(self.catalogue.interface(interface), reply, self.catalogue)
        self.last_reply = reply
        return reply

    # -- driving ------------------------------------------------------------------------------------------
    def __getitem__(self, agent_id: str) -> Agent:
        return self.model.agents[agent_id]

    def password(self, agent_id: str = AGENT) -> str:
        return self.roster.password_of(agent_id)

    def sign_in(self, agent_id: str = AGENT, *, force: bool = False, **fields: Any) -> tuple[Agent, str]:
        """Signs ``agent_id`` in on phone 7000n (n: the ID's last digit) unless ``phonenum`` says otherwise."""
        body = {"password": self.password(agent_id), "phonenum": "7000" + agent_id[-1], **fields}
        result, guid = self.model.login(agent_id, body, force=force)
        assert result["workno"] == agent_id
        return self.model.authorize(agent_id, guid), guid

    def sign_in_all(self, *agent_ids: str, auto_answer: bool = False) -> None:
        """Signs the agents in, idle, with the answer mode given, and drains their sign-in events."""
        for agent_id in agent_ids:
            self.sign_in(agent_id, autoanswer=str(auto_answer).lower())
        self.drain_all()

    def request(self, interface: str, agent_id: str, *, path: dict[str, Any] | None = None,
                query: dict[str, Any] | None = None, body: Any = None) -> dict[str, Any]:
        """The request as the server hands it to the model, checked against the interface's request schema."""
        request = {"path": {"agentid": agent_id, **(path or {})}, "query": query or {}, "body": body}
        problems = self.catalogue.problems(self.catalogue.interface(interface).request_schema["$id"], request)
        assert problems is None, f"the test's {interface} request is invalid: {problems}"
        return request

    def do(self, interface: str, agent_id: str, *, path: dict[str, Any] | None = None,
           query: dict[str, Any] | None = None, body: Any = None) -> Any:
        """Runs ``interface`` as the server would (the Guid aside) and returns its result; a refusal is checked
        against the interface's retcode list and raised again."""
        request = self.request(interface, agent_id, path=path, query=query, body=body)
        how = simulated_by(self.catalogue.interface(interface))
        assert how not in (None, "event poll"), f"{interface} does not run through do; take events with drain or names"
        try:
            with self.model.caused_by(interface):
                if how == "sign-in":
                    result, _ = self.model.login(agent_id, request["body"], force=interface == "forceLogin")
                elif how == "agent state table":
                    self.model.change_state(self.model.signed_in(agent_id), interface, request)
                    result = None
                else:
                    result = self.model.run(interface, self.model.signed_in(agent_id), request)
        except Refused as refusal:
            self._check_reply(interface, refusal.retcode, message=refusal.message)
            raise
        if isinstance(result, FileReply):  # a download's success is the file, not a reply
            if self.catalogue.interface(interface).file_type is None:
                self.breaches.append(f"{interface} answered a file, which the catalogue does not say it serves")
            return result
        self._check_reply(interface, SUCCESS, result)
        return result

    def refused(self, retcode: str, interface: str, agent_id: str, **request: Any) -> None:
        """``interface`` run through ``do`` is refused with ``retcode``, a code the catalogue lists for it."""
        assert retcode in self.catalogue.interface(interface).possible_retcodes, \
            f"{retcode} is not listed for {interface}"
        with pytest.raises(Refused) as caught:
            self.do(interface, agent_id, **request)
        assert caught.value.retcode == retcode

    def refused_by(self, retcode: str, step: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """A direct call into the model (a chapter method, login, authorize) is refused with ``retcode``."""
        assert retcode in self.catalogue.retcodes, f"{retcode} is not in retcodes.json"
        with pytest.raises(Refused) as caught:
            step(*args, **kwargs)
        assert caught.value.retcode == retcode

    def offer_call(self, agent_id: str = AGENT, caller: str = CUSTOMER) -> str:
        return self.model.offer_inbound_call(caller, agent_id)

    def customer_talking_to(self, agent_id: str = AGENT) -> str:
        """A customer's call offered to ``agent_id`` and answered; every queue drained."""
        callid = self.offer_call(agent_id)
        self.do("answer", agent_id)
        self.drain_all()
        return callid

    def agent_in(self, state: AgentState, agent_id: str = AGENT) -> Agent:
        """``agent_id`` signed in and brought to ``state`` (talking: with a customer, auto answer), nothing queued
        and nothing recorded as caused yet."""
        status = {AgentState.BUSY: "3", AgentState.WORK: "5"}.get(state, "4")
        agent, _ = self.sign_in(agent_id, status=status, autoanswer="true")
        if state == AgentState.REST:
            self.model.change_state(agent, "rest", self.request("rest", agent_id, **REST_REQUEST))
        elif state == AgentState.TALKING:
            self.offer_call(agent_id)
        agent.queue.clear()
        self.caused.clear()
        assert agent.state == state
        return agent

    # -- reading events ---------------------------------------------------------------------------------------
    def drain(self, agent: Agent | str = AGENT) -> list[dict[str, Any]]:
        """The agent's queued events, taken as a poll would; each keeps its schema and names the agent."""
        agent = agent if isinstance(agent, Agent) else self[agent]
        events = []
        while (event := self.model.next_event(agent)) is not None:
            assert self.catalogue.event_problems(event) is None, f"{event} breaks its schema"
            assert event["workNo"] == agent.agent_id
            events.append(event)
        self.last = events
        return events

    def names(self, agent: Agent | str = AGENT) -> list[str]:
        return [event["eventType"] for event in self.drain(agent)]

    def drain_all(self) -> None:
        for agent_id in list(self.model.agents):
            self.drain(agent_id)


class Worlds:
    """Makes the worlds of one test, so that all of them are checked at its end."""

    def __init__(self) -> None:
        self.made: list[SimulatedWorld] = []

    def __call__(self, config: SimulatorConfig | None = None, *, immediate: bool = False,
                 catalogue: Catalogue = CATALOGUE) -> SimulatedWorld:
        world = SimulatedWorld(config, immediate=immediate, catalogue=catalogue)
        self.made.append(world)
        return world

    def breaches(self) -> list[str]:
        return [breach for world in self.made for breach in world.breaches]


def checked_worlds() -> Iterator[Worlds]:
    """Yields a world maker to a test and fails the test at teardown if any of its worlds broke the catalogue's
    contract."""
    worlds = Worlds()
    yield worlds
    assert worlds.breaches() == [], "the model broke the catalogue's contract"
