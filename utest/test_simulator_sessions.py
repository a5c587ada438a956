"""One agent's session in the simulated gateway model: sign-in and its events, Guids (who may use which, their
rotation in dynamic authentication) and the sign-out of an agent nobody polls for."""

from __future__ import annotations

import pytest
from simulated_world import AGENT, CUSTOMER, OTHER_AGENT, PHONE, START, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.secrets import GUID_PATTERN
from CCGatewayLibrary.simulator.model import SimulatorConfig


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    # Timers run at once: these tests follow one agent, and the far end answering is part of the sequence.
    return worlds(immediate=True)


# ---------------------------------------------------------------- sign-in


def test_sign_in_idle_events(world: SimulatedWorld) -> None:
    agent, guid = world.sign_in()
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready"]
    assert agent.signed_in
    assert agent.state == AgentState.IDLE
    assert agent.phone == PHONE
    assert GUID_PATTERN.fullmatch(guid)
    assert world.model.issued_guids == [guid]
    assert AGENT in world.notified


def test_sign_in_busy_adds_set_not_ready(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in(status="3")
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentOther_InService", "AgentState_Ready",
                                                "AgentState_SetNotReady_Success"]
    assert agent.state == AgentState.BUSY


def test_sign_in_work_adds_work(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in(status=5)
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready", "AgentState_Work"]
    assert agent.state == AgentState.WORK


def test_event_times_come_from_the_clock(world: SimulatedWorld) -> None:
    world.clock.advance(12.5)
    agent, _ = world.sign_in()
    assert {e["eventGenTime"] for e in world.drain(agent)} == {int((START + 12.5) * 1000)}


def test_wrong_password_is_refused(world: SimulatedWorld) -> None:
    world.refused_by("100-004", world.model.login, AGENT, {"password": "wrong", "phonenum": PHONE})
    assert not world.model.agent(AGENT).signed_in
    world.refused_by("100-004", world.model.login, "5", {"password": world.password(), "phonenum": PHONE})


def test_second_login_is_refused(world: SimulatedWorld) -> None:
    agent, guid = world.sign_in()
    world.drain(agent)
    world.refused_by("100-002", world.model.login, AGENT, {"password": world.password(), "phonenum": PHONE})
    assert world.model.authorize(AGENT, guid) is agent
    assert world.drain(agent) == []


def test_force_login_takes_over(world: SimulatedWorld) -> None:
    agent, old = world.sign_in()
    world.drain(agent)
    same, new = world.sign_in(force=True)
    assert same is agent
    assert new != old
    assert world.names(agent) == ["AgentOther_InService", "AgentState_Ready"]
    assert world.model.authorize(AGENT, new) is agent
    world.refused_by("000-003", world.model.authorize, AGENT, old)


def test_force_login_drops_calls(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in()
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.sign_in(force=True)
    assert agent.calls == []
    assert callid not in world.model.calls


# ---------------------------------------------------------------- authorization


def test_authorize_missing_or_wrong_guid(world: SimulatedWorld) -> None:
    world.sign_in()
    world.refused_by("000-003", world.model.authorize, AGENT, None)
    world.refused_by("000-003", world.model.authorize, AGENT, "")
    world.refused_by("000-003", world.model.authorize, AGENT, "0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway0")


def test_authorize_not_signed_in(world: SimulatedWorld) -> None:
    world.refused_by("100-006", world.model.authorize, AGENT, None)
    world.refused_by("100-006", world.model.authorize, "99", "anything")


def test_guid_of_other_agent_is_refused(world: SimulatedWorld) -> None:
    _, guid = world.sign_in(AGENT)
    world.sign_in(OTHER_AGENT)
    world.refused_by("000-003", world.model.authorize, OTHER_AGENT, guid)


def test_guid_refused_after_logout(world: SimulatedWorld) -> None:
    agent, guid = world.sign_in()
    world.do("logout", AGENT)
    assert not agent.signed_in
    assert agent.state == AgentState.SIGNED_OUT
    world.refused_by("100-006", world.model.authorize, AGENT, guid)
    assert world.drain(agent) == []


def test_guid_rotation_in_dynamic_auth(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(dynamic_auth=True, guid_rotation=60, guid_grace=30), immediate=True)
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
    world.refused_by("000-003", world.model.authorize, AGENT, first)  # grace is over
    assert world.model.authorize(AGENT, second) is agent
    world.clock.advance(30)
    third = world.model.rotate_guid(agent)
    assert third not in (None, first, second)
    assert world.model.authorize(AGENT, second) is agent
    assert world.model.authorize(AGENT, third) is agent


def test_no_guid_rotation_in_static_auth(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(dynamic_auth=False, guid_rotation=60, guid_grace=30), immediate=True)
    agent, guid = world.sign_in()
    for _ in range(3):
        world.clock.advance(3600)
        assert world.model.rotate_guid(agent) is None
    assert world.model.authorize(AGENT, guid) is agent
    assert world.model.issued_guids == [guid]


def test_silent_agent_is_signed_out_after_the_scaled_time(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(time_scale=0.01))
    agent, _ = world.sign_in()
    world.clock.advance(1.1)  # 2 minutes scaled by 0.01 is 1.2 s
    assert world.model.sign_out_silent_agents() == []
    world.model.seen(agent)
    world.clock.advance(1.19)
    assert world.model.sign_out_silent_agents() == []
    world.clock.advance(0.02)
    assert world.model.sign_out_silent_agents() == [AGENT]
    assert not agent.signed_in
    assert [e["eventType"] for e in agent.queue] == ["AgentOther_ShutdownService"]
