"""The simulator's gateway model, driven directly with a fake clock and an immediate scheduler.

Every event the model emits is checked against its event schema, and every retcode it refuses
with must be in the catalogue's retcode table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from CCGatewayLibrary.catalogue import Catalogue, load_catalogue
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.secrets import GUID_PATTERN
from CCGatewayLibrary.simulator.model import (
    Agent,
    GatewayModel,
    Refused,
    SimulationError,
    SimulatorConfig,
)
from CCGatewayLibrary.simulator.roster import Roster

START = 1_700_000_000.0
AGENT = "101"
OTHER_AGENT = "102"
PHONE = "70001"
CUSTOMER = "88880001"
SECOND_CUSTOMER = "88880002"
INBOUND_MANUAL = ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Ringing",
                  "AgentEvent_Customer_Alerting"]
RELEASE = ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Scheduler:
    """Runs actions at once (``immediate``) or keeps them until ``run_pending``; records the delays."""

    def __init__(self, immediate: bool = True) -> None:
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
        actions, self.pending = self.pending, []
        for action in actions:
            action()


class World:
    """A model plus everything a test needs to drive and check it."""

    def __init__(self, catalogue: Catalogue, config: SimulatorConfig | None = None, *, immediate: bool = True) -> None:
        self.catalogue = catalogue
        self.roster = Roster.load()
        self.clock = FakeClock()
        self.scheduler = Scheduler(immediate)
        self.notified: list[str] = []
        self.model = GatewayModel(self.roster, config or SimulatorConfig(), schedule=self.scheduler,
                                  notify=self.notified.append, clock=self.clock)
        self.emitted: list[dict[str, Any]] = []
        original = self.model.emit

        def recording_emit(agent: Agent, name: str, content: Any = None) -> None:
            original(agent, name, content)
            self.emitted.append(agent.queue[-1])

        self.model.emit = recording_emit  # type: ignore[method-assign]

    def password(self, agent_id: str = AGENT) -> str:
        return self.roster.password_of(agent_id)

    def sign_in(self, agent_id: str = AGENT, *, force: bool = False, **fields: Any) -> tuple[Agent, str]:
        body = {"password": self.password(agent_id), "phonenum": PHONE, **fields}
        result, guid = self.model.login(agent_id, body, force=force)
        assert result["workno"] == agent_id
        return self.model.authorize(agent_id, guid), guid

    def drain(self, agent: Agent) -> list[dict[str, Any]]:
        events = []
        while (event := self.model.next_event(agent)) is not None:
            assert self.catalogue.event_problems(event) is None, f"{event} breaks its schema"
            assert event["workNo"] == agent.agent_id
            events.append(event)
        return events

    def names(self, agent: Agent) -> list[str]:
        return [event["eventType"] for event in self.drain(agent)]

    def refused(self, retcode: str, step: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        assert retcode in self.catalogue.retcodes, f"{retcode} is not in retcodes.json"
        with pytest.raises(Refused) as caught:
            step(*args, **kwargs)
        assert caught.value.retcode == retcode
        assert caught.value.retcode in self.catalogue.retcodes


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _check_all_emitted(world: World) -> None:
    problems = [(e["eventType"], world.catalogue.event_problems(e)) for e in world.emitted
                if world.catalogue.event_problems(e) is not None]
    assert problems == [], "the model emitted events that break their schemas"


@pytest.fixture
def world(catalogue: Catalogue) -> Iterator[World]:
    made = World(catalogue)
    yield made
    _check_all_emitted(made)


@pytest.fixture
def manual(world: World) -> tuple[Agent, str]:
    """Agent 101 signed in idle with manual answer, its sign-in events drained."""
    agent, guid = world.sign_in(autoanswer="false")
    world.drain(agent)
    return agent, guid


def _inbound_talking(world: World, agent: Agent) -> str:
    callid = world.model.offer_inbound_call(CUSTOMER, agent.agent_id)
    world.model.call_chapter.answer(agent, {"query": {"callid": callid}})
    world.drain(agent)
    return callid


# ---------------------------------------------------------------- sign-in


def test_sign_in_idle_events(world: World) -> None:
    agent, guid = world.sign_in()
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready"]
    assert agent.signed_in
    assert agent.state == AgentState.IDLE
    assert agent.phone == PHONE
    assert GUID_PATTERN.fullmatch(guid)
    assert world.model.issued_guids == [guid]
    assert AGENT in world.notified


def test_sign_in_busy_adds_set_not_ready(world: World) -> None:
    agent, _ = world.sign_in(status="3")
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentOther_InService", "AgentState_Ready",
                                                "AgentState_SetNotReady_Success"]
    assert agent.state == AgentState.BUSY


def test_sign_in_work_adds_work(world: World) -> None:
    agent, _ = world.sign_in(status=5)
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready", "AgentState_Work"]
    assert agent.state == AgentState.WORK


def test_event_times_come_from_the_clock(world: World) -> None:
    world.clock.advance(12.5)
    agent, _ = world.sign_in()
    assert {e["eventGenTime"] for e in world.drain(agent)} == {int((START + 12.5) * 1000)}


def test_wrong_password_is_refused(world: World) -> None:
    world.refused("100-004", world.model.login, AGENT, {"password": "wrong", "phonenum": PHONE})
    assert not world.model.agent(AGENT).signed_in
    world.refused("100-004", world.model.login, "5", {"password": world.password(), "phonenum": PHONE})


def test_second_login_is_refused(world: World) -> None:
    agent, guid = world.sign_in()
    world.drain(agent)
    world.refused("100-002", world.model.login, AGENT, {"password": world.password(), "phonenum": PHONE})
    assert world.model.authorize(AGENT, guid) is agent
    assert world.drain(agent) == []


def test_force_login_takes_over(world: World) -> None:
    agent, old = world.sign_in()
    world.drain(agent)
    same, new = world.sign_in(force=True)
    assert same is agent
    assert new != old
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready"]
    assert world.model.authorize(AGENT, new) is agent
    world.refused("000-003", world.model.authorize, AGENT, old)


def test_force_login_drops_calls(world: World) -> None:
    agent, _ = world.sign_in()
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.sign_in(force=True)
    assert agent.calls == []
    assert callid not in world.model.calls


# ---------------------------------------------------------------- authorization


def test_authorize_missing_or_wrong_guid(world: World) -> None:
    world.sign_in()
    world.refused("000-003", world.model.authorize, AGENT, None)
    world.refused("000-003", world.model.authorize, AGENT, "")
    world.refused("000-003", world.model.authorize, AGENT, "0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway0")


def test_authorize_not_signed_in(world: World) -> None:
    world.refused("100-006", world.model.authorize, AGENT, None)
    world.refused("100-006", world.model.authorize, "99", "anything")


def test_guid_of_other_agent_is_refused(world: World) -> None:
    _, guid = world.sign_in(AGENT)
    world.sign_in(OTHER_AGENT)
    world.refused("000-003", world.model.authorize, OTHER_AGENT, guid)


def test_guid_refused_after_logout(world: World) -> None:
    agent, guid = world.sign_in()
    world.model.agent_chapter.logout(agent)
    assert not agent.signed_in
    assert agent.state == AgentState.SIGNED_OUT
    world.refused("100-006", world.model.authorize, AGENT, guid)
    assert world.drain(agent) == []


def test_guid_rotation_in_dynamic_auth(catalogue: Catalogue) -> None:
    world = World(catalogue, SimulatorConfig(dynamic_auth=True, guid_rotation=60, guid_grace=30))
    agent, first = world.sign_in()
    world.clock.advance(59.5)
    assert world.model.rotate_guid(agent) is None
    world.clock.advance(0.5)
    second = world.model.rotate_guid(agent)
    assert second is not None and second != first
    assert GUID_PATTERN.fullmatch(second)
    assert world.model.issued_guids == [first, second]
    assert world.model.rotate_guid(agent) is None  # the new Guid is fresh
    assert world.model.authorize(AGENT, second) is agent
    world.clock.advance(29.9)
    assert world.model.authorize(AGENT, first) is agent  # within the grace period
    world.clock.advance(0.1)
    world.refused("000-003", world.model.authorize, AGENT, first)  # grace is over
    assert world.model.authorize(AGENT, second) is agent
    world.clock.advance(30)
    third = world.model.rotate_guid(agent)
    assert third not in (None, first, second)
    assert world.model.authorize(AGENT, second) is agent
    assert world.model.authorize(AGENT, third) is agent
    _check_all_emitted(world)


def test_no_guid_rotation_in_static_auth(catalogue: Catalogue) -> None:
    world = World(catalogue, SimulatorConfig(dynamic_auth=False, guid_rotation=60, guid_grace=30))
    agent, guid = world.sign_in()
    for _ in range(3):
        world.clock.advance(3600)
        assert world.model.rotate_guid(agent) is None
    assert world.model.authorize(AGENT, guid) is agent
    assert world.model.issued_guids == [guid]


# ---------------------------------------------------------------- calls


def test_inbound_manual_answer_sequence(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == INBOUND_MANUAL
    ringing = events[3]["content"]
    assert (ringing["callid"], ringing["caller"], ringing["called"]) == (callid, CUSTOMER, PHONE)
    assert events[4]["content"]["callid"] == callid
    assert agent.state == AgentState.TALKING
    world.model.call_chapter.answer(agent, {"query": {"callid": None}})
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    assert events[0]["content"]["callid"] == callid
    assert events[0]["content"]["caller"] == CUSTOMER
    assert events[0]["content"]["feature"] == "0"
    assert [c.state for c in agent.calls] == ["talking"]


def test_inbound_auto_answer_sequence(world: World) -> None:
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    assert world.names(agent) == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                  "AgentEvent_Auto_Answer", "AgentEvent_Talking"]
    assert agent.find("talking")[0].callid == callid


def test_answer_without_ringing_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-002", world.model.call_chapter.answer, agent, {"query": {"callid": None}})
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.refused("200-002", world.model.call_chapter.answer, agent, {"query": {"callid": callid + "x"}})
    world.model.call_chapter.answer(agent, {"query": {"callid": callid}})
    world.refused("200-002", world.model.call_chapter.answer, agent, {"query": {"callid": callid}})


def test_offer_call_to_busy_or_absent_agent(world: World) -> None:
    with pytest.raises(SimulationError, match="not signed in"):
        world.model.offer_inbound_call(CUSTOMER, AGENT)
    with pytest.raises(SimulationError, match="not in the roster"):
        world.model.offer_inbound_call(CUSTOMER, "5")
    world.sign_in(status="3")
    with pytest.raises(SimulationError, match="not idle"):
        world.model.offer_inbound_call(CUSTOMER, AGENT)


def test_hold_and_get_hold(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Hold"]
    assert events[0]["content"] == callid
    assert [c.state for c in agent.calls] == ["held"]
    world.refused("200-015", world.model.call_chapter.get_hold, agent, {"query": {"callid": "1-999"}})
    world.model.call_chapter.get_hold(agent, {"query": {"callid": callid}})
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    assert events[0]["content"]["callid"] == callid


def test_callout_far_end_answers_through_scheduler(catalogue: Catalogue) -> None:
    world = World(catalogue, immediate=False)
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER}})
    events = world.drain(agent)
    # the line opens for the call (sign-in default releasephone=true): the phone rings and goes off hook first
    assert [e["eventType"] for e in events] == ["AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                              "AgentState_Busy", "AgentEvent_Customer_Alerting"]
    assert events[3]["content"]["callid"] == callid
    assert world.scheduler.delays == [world.model.config.answer_delay]
    assert [c.state for c in agent.calls] == ["alerting"]
    world.scheduler.run_pending()
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    talking = events[0]["content"]
    assert (talking["callid"], talking["caller"], talking["called"], talking["feature"]) == \
        (callid, PHONE, SECOND_CUSTOMER, "7")
    _check_all_emitted(world)


def test_callout_released_before_far_end_answers(catalogue: Catalogue) -> None:
    world = World(catalogue, immediate=False)
    agent, _ = world.sign_in()
    world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER}})
    world.model.call_chapter.release(agent)
    world.drain(agent)
    world.scheduler.run_pending()
    assert world.drain(agent) == []
    _check_all_emitted(world)


def _conference(world: World, agent: Agent) -> tuple[str, str]:
    customer = _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    world.drain(agent)
    second = world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER}})
    events = world.drain(agent)
    # the agent is already busy with the held call, so no second AgentState_Busy
    assert [e["eventType"] for e in events] == ["AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                              "AgentEvent_Customer_Alerting", "AgentEvent_Talking"]
    assert events[3]["content"]["callid"] == second
    assert world.scheduler.delays == [world.model.config.answer_delay]
    world.model.call_chapter.conf_join(agent, {"body": {"callid": customer}})
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Conference"]
    assert events[0]["content"] == {"callid": customer, "partner": f"{CUSTOMER},{SECOND_CUSTOMER}"}
    assert [c.state for c in agent.calls] == ["conference"]  # one call under the held call's ID
    return customer, second


def test_hold_callout_conference_release(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer, second = _conference(world, agent)
    world.model.call_chapter.release(agent)
    events = world.drain(agent)
    names = [e["eventType"] for e in events]
    assert names == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", *RELEASE[2:]]
    assert events[0]["content"] == customer
    assert events[-2]["content"] == {"phoneState": 2}
    assert agent.calls == [] and agent.state == AgentState.IDLE
    # the agent leaves; the two customers stay connected
    assert [leg.number for leg in world.model.calls[customer].legs] == [CUSTOMER, SECOND_CUSTOMER]
    assert second not in world.model.calls


def test_a_customer_leaving_a_conference_leaves_the_agent_with_the_other(world: World,
                                                                        manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer, _ = _conference(world, agent)
    world.model.customer_hangs_up(customer, CUSTOMER)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Customer_Release"]
    assert events[0]["content"] == {"callid": customer, "number": CUSTOMER}
    assert [c.state for c in agent.calls] == ["talking"]
    world.model.customer_hangs_up(customer)
    assert [e["eventType"] for e in world.drain(agent)] == [*RELEASE[:2], "AgentOther_PhoneRelease", "AgentState_Ready"]


def test_release_sequence(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = _inbound_talking(world, agent)
    world.model.call_chapter.release(agent)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == RELEASE
    assert events[0]["content"] == callid
    assert events[1]["content"] == {"callid": callid, "number": CUSTOMER}
    assert agent.state == AgentState.IDLE
    assert world.model.agent_chapter.status(agent) == {"agentState": int(AgentState.IDLE), "isWorking": False}


def test_release_without_auto_idle_enters_work(world: World) -> None:
    agent, _ = world.sign_in(autoenteridle="false")
    world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.drain(agent)
    world.model.call_chapter.release(agent)
    assert world.names(agent) == [*RELEASE[:3], "AgentState_Work"]
    assert agent.state == AgentState.WORK


def test_customer_hangs_up(world: World) -> None:
    agent, _ = world.sign_in()
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.drain(agent)
    world.model.customer_hangs_up(callid)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == RELEASE
    assert events[2]["content"] == {"phoneState": 3}
    with pytest.raises(SimulationError):
        world.model.customer_hangs_up(callid)


def test_state_changes(world: World) -> None:
    agent, _ = world.sign_in(status="3")
    world.drain(agent)
    world.model.agent_chapter.say_free(agent)
    assert world.names(agent) == ["AgentState_CancelNotReady_Success", "AgentState_Ready"]
    world.model.agent_chapter.say_busy(agent, "7")
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentState_SetNotReady_Success"]
    assert events[0]["content"] == {"reason": "7"}
    assert world.model.agent_chapter.status(agent)["agentState"] == int(AgentState.BUSY)


# ---------------------------------------------------------------- refusals


def test_hold_with_no_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-013", world.model.call_chapter.hold, agent)


def test_hold_ringing_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.refused("200-014", world.model.call_chapter.hold, agent)


def test_get_hold_unknown_callid(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-015", world.model.call_chapter.get_hold, agent, {"query": {"callid": None}})
    _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    world.refused("200-015", world.model.call_chapter.get_hold, agent, {"query": {"callid": "1-999"}})


def test_get_hold_while_talking(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer = _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER}})
    world.refused("200-016", world.model.call_chapter.get_hold, agent, {"query": {"callid": customer}})


def test_conf_join_without_talking_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-010", world.model.call_chapter.conf_join, agent, {"body": {"callid": "1-1"}})
    customer = _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    world.refused("200-010", world.model.call_chapter.conf_join, agent, {"body": {"callid": customer}})


def test_conf_join_unknown_held_callid(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer = _inbound_talking(world, agent)
    world.model.call_chapter.hold(agent)
    second = world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER}})
    world.refused("200-011", world.model.call_chapter.conf_join, agent, {"body": {"callid": "1-999"}})
    # talking, not held
    world.refused("200-011", world.model.call_chapter.conf_join, agent, {"body": {"callid": second}})
    world.drain(agent)
    world.model.call_chapter.conf_join(agent, {"body": {"callid": customer}})
    assert world.names(agent) == ["AgentEvent_Conference"]


def test_release_with_no_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-017", world.model.call_chapter.release, agent)
    assert world.drain(agent) == []


def test_logout_during_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, guid = manual
    _inbound_talking(world, agent)
    world.refused("100-010", world.model.agent_chapter.logout, agent)
    assert agent.signed_in
    assert world.model.authorize(AGENT, guid) is agent
    world.model.agent_chapter.logout(agent, force=True)
    assert not agent.signed_in
    assert agent.calls == []


def test_state_change_during_call(world: World, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    _inbound_talking(world, agent)
    world.refused("100-009", world.model.agent_chapter.say_free, agent)
    world.refused("100-009", world.model.agent_chapter.say_busy, agent, None)
    world.refused("100-009", world.model.call_chapter.callout, agent, {"body": {"called": SECOND_CUSTOMER}})


def test_say_free_from_work(world: World) -> None:
    agent, _ = world.sign_in(status="5")
    world.drain(agent)
    world.model.agent_chapter.say_free(agent)
    assert world.names(agent) == ["AgentState_CancelWork_Success", "AgentState_Ready"]
    assert agent.state == AgentState.IDLE


def test_callout_with_explicit_caller(world: World) -> None:
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.model.call_chapter.callout(agent, {"body": {"called": SECOND_CUSTOMER, "caller": "55501"}})
    talking = [e for e in world.drain(agent) if e["eventType"] == "AgentEvent_Talking"]
    assert [e["content"]["callid"] for e in talking] == [callid]
    assert (talking[0]["content"]["caller"], talking[0]["content"]["called"]) == ("55501", SECOND_CUSTOMER)
