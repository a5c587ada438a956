"""One agent's calls in the simulated gateway model: inbound calls answered by hand or at once, hold, call out,
a conference with two customers, release, the agent's own state changes, and the refusals on the way."""

from __future__ import annotations

import pytest
from simulated_world import AGENT, CUSTOMER, OTHER_NUMBER, PHONE, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import Agent, SimulationError

SECOND_CUSTOMER = OTHER_NUMBER
INBOUND_MANUAL = ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Ringing",
                  "AgentEvent_Customer_Alerting"]
RELEASE = ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]



@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    # Timers run at once: these tests follow one agent, and the far end answering is part of the sequence.
    return worlds(immediate=True)


@pytest.fixture
def manual(world: SimulatedWorld) -> tuple[Agent, str]:
    """Agent 101 signed in idle with manual answer, its sign-in events drained."""
    agent, guid = world.sign_in(autoanswer="false")
    world.drain(agent)
    return agent, guid


def _inbound_talking(world: SimulatedWorld, agent: Agent) -> str:
    callid = world.model.offer_inbound_call(CUSTOMER, agent.agent_id)
    world.do("answer", AGENT, query={"callid": callid})
    world.drain(agent)
    return callid


# ---------------------------------------------------------------- calls


def test_inbound_manual_answer_sequence(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == INBOUND_MANUAL
    ringing = events[3]["content"]
    assert (ringing["callid"], ringing["caller"], ringing["called"]) == (callid, CUSTOMER, PHONE)
    assert events[4]["content"]["callid"] == callid
    assert agent.state == AgentState.TALKING
    world.do("answer", AGENT)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    assert events[0]["content"]["callid"] == callid
    assert events[0]["content"]["caller"] == CUSTOMER
    assert events[0]["content"]["feature"] == "0"
    assert [c.state for c in agent.calls] == ["talking"]


def test_inbound_auto_answer_sequence(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    assert world.names(agent) == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                  "AgentEvent_Auto_Answer", "AgentEvent_Talking"]
    assert agent.find("talking")[0].callid == callid


def test_answer_without_ringing_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    world.refused("200-002", "answer", AGENT)
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.refused("200-002", "answer", AGENT, query={"callid": callid + "x"})
    world.do("answer", AGENT, query={"callid": callid})
    world.refused("200-002", "answer", AGENT, query={"callid": callid})


def test_offer_call_to_busy_or_absent_agent(world: SimulatedWorld) -> None:
    with pytest.raises(SimulationError, match="not signed in"):
        world.model.offer_inbound_call(CUSTOMER, AGENT)
    with pytest.raises(SimulationError, match="not in the roster"):
        world.model.offer_inbound_call(CUSTOMER, "5")
    world.sign_in(status="3")
    with pytest.raises(SimulationError, match="not idle"):
        world.model.offer_inbound_call(CUSTOMER, AGENT)


def test_hold_and_get_hold(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = _inbound_talking(world, agent)
    world.do("hold", AGENT)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Hold"]
    assert events[0]["content"] == callid
    assert [c.state for c in agent.calls] == ["held"]
    world.refused("200-015", "getHold", AGENT, query={"callid": "1-999"})
    world.do("getHold", AGENT, query={"callid": callid})
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    assert events[0]["content"]["callid"] == callid


def test_callout_far_end_answers_through_scheduler(worlds: Worlds) -> None:
    world = worlds()
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.do("callout", AGENT, body={"called": SECOND_CUSTOMER})
    events = world.drain(agent)
    # the line opens for the call (sign-in default releasephone=true): the phone rings and goes off hook first
    assert [e["eventType"] for e in events] == ["AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                              "AgentState_Busy", "AgentEvent_Customer_Alerting"]
    assert events[3]["content"]["callid"] == callid
    assert world.timers.delays == [world.model.config.answer_delay]
    assert [c.state for c in agent.calls] == ["alerting"]
    world.timers.run_pending()
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Talking"]
    talking = events[0]["content"]
    assert (talking["callid"], talking["caller"], talking["called"], talking["feature"]) == \
        (callid, PHONE, SECOND_CUSTOMER, "7")


def test_callout_released_before_far_end_answers(worlds: Worlds) -> None:
    world = worlds()
    agent, _ = world.sign_in()
    world.do("callout", AGENT, body={"called": SECOND_CUSTOMER})
    world.do("release", AGENT)
    world.drain(agent)
    world.timers.run_pending()
    assert world.drain(agent) == []


def _conference(world: SimulatedWorld, agent: Agent) -> tuple[str, str]:
    customer = _inbound_talking(world, agent)
    world.do("hold", AGENT)
    world.drain(agent)
    second = world.do("callout", AGENT, body={"called": SECOND_CUSTOMER})
    events = world.drain(agent)
    # the agent is already busy with the held call, so no second AgentState_Busy
    assert [e["eventType"] for e in events] == ["AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                              "AgentEvent_Customer_Alerting", "AgentEvent_Talking"]
    assert events[3]["content"]["callid"] == second
    assert world.timers.delays == [world.model.config.answer_delay]
    world.do("confJoin", AGENT, body={"callid": customer})
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentEvent_Conference"]
    assert events[0]["content"] == {"callid": customer, "partner": f"{CUSTOMER},{SECOND_CUSTOMER}"}
    assert [c.state for c in agent.calls] == ["conference"]  # one call under the held call's ID
    return customer, second


def test_hold_callout_conference_release(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer, second = _conference(world, agent)
    world.do("release", AGENT)
    events = world.drain(agent)
    names = [e["eventType"] for e in events]
    assert names == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", *RELEASE[2:]]
    assert events[0]["content"] == customer
    assert events[-2]["content"] == {"phoneState": 2}
    assert agent.calls == [] and agent.state == AgentState.IDLE
    # the agent leaves; the two customers stay connected
    assert [leg.number for leg in world.model.calls[customer].legs] == [CUSTOMER, SECOND_CUSTOMER]
    assert second not in world.model.calls


def test_a_customer_leaving_a_conference_leaves_the_agent_with_the_other(world: SimulatedWorld,
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


def test_release_sequence(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    callid = _inbound_talking(world, agent)
    world.do("release", AGENT)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == RELEASE
    assert events[0]["content"] == callid
    assert events[1]["content"] == {"callid": callid, "number": CUSTOMER}
    assert agent.state == AgentState.IDLE
    assert world.do("getAgentStatus", AGENT) == {"agentState": int(AgentState.IDLE), "isWorking": False}


def test_release_without_auto_idle_enters_work(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in(autoenteridle="false")
    world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.drain(agent)
    world.do("release", AGENT)
    assert world.names(agent) == [*RELEASE[:3], "AgentState_Work"]
    assert agent.state == AgentState.WORK


def test_customer_hangs_up(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in()
    callid = world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.drain(agent)
    world.model.customer_hangs_up(callid)
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == RELEASE
    assert events[2]["content"] == {"phoneState": 3}
    with pytest.raises(SimulationError):
        world.model.customer_hangs_up(callid)


def test_state_changes(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in(status="3")
    world.drain(agent)
    world.do("sayFree", AGENT)
    assert world.names(agent) == ["AgentState_CancelNotReady_Success", "AgentState_Ready"]
    world.do("sayBusy", AGENT, query={"reason": "207", "prolong": "true"})  # 200 to 250, as the schema says
    events = world.drain(agent)
    assert [e["eventType"] for e in events] == ["AgentState_SetNotReady_Success"]
    assert events[0]["content"] == {"reason": "207"}
    assert world.do("getAgentStatus", AGENT)["agentState"] == int(AgentState.BUSY)


# ---------------------------------------------------------------- refusals


def test_hold_with_no_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    world.refused("200-013", "hold", AGENT)


def test_hold_ringing_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    world.model.offer_inbound_call(CUSTOMER, AGENT)
    world.refused("200-014", "hold", AGENT)


def test_get_hold_unknown_callid(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-015", "getHold", AGENT)
    _inbound_talking(world, agent)
    world.do("hold", AGENT)
    world.refused("200-015", "getHold", AGENT, query={"callid": "1-999"})


def test_get_hold_while_talking(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer = _inbound_talking(world, agent)
    world.do("hold", AGENT)
    world.do("callout", AGENT, body={"called": SECOND_CUSTOMER})
    world.refused("200-016", "getHold", AGENT, query={"callid": customer})


def test_conf_join_without_talking_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-010", "confJoin", AGENT, body={"callid": "1-1"})
    customer = _inbound_talking(world, agent)
    world.do("hold", AGENT)
    world.refused("200-010", "confJoin", AGENT, body={"callid": customer})


def test_conf_join_unknown_held_callid(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    customer = _inbound_talking(world, agent)
    world.do("hold", AGENT)
    second = world.do("callout", AGENT, body={"called": SECOND_CUSTOMER})
    world.refused("200-011", "confJoin", AGENT, body={"callid": "1-999"})
    # talking, not held
    world.refused("200-011", "confJoin", AGENT, body={"callid": second})
    world.drain(agent)
    world.do("confJoin", AGENT, body={"callid": customer})
    assert world.names(agent) == ["AgentEvent_Conference"]


def test_release_with_no_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    world.refused("200-017", "release", AGENT)
    assert world.drain(agent) == []


def test_logout_during_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, guid = manual
    _inbound_talking(world, agent)
    world.refused("100-010", "logout", AGENT)
    assert agent.signed_in
    assert world.model.authorize(AGENT, guid) is agent
    world.do("forceLogout", AGENT)
    assert not agent.signed_in
    assert agent.calls == []


def test_state_change_during_call(world: SimulatedWorld, manual: tuple[Agent, str]) -> None:
    agent, _ = manual
    _inbound_talking(world, agent)
    world.refused("100-009", "sayFree", AGENT)
    world.refused("100-009", "sayBusy", AGENT)
    world.refused("100-009", "callout", AGENT, body={"called": SECOND_CUSTOMER})


def test_say_free_from_work(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in(status="5")
    world.drain(agent)
    world.do("sayFree", AGENT)
    assert world.names(agent) == ["AgentState_CancelWork_Success", "AgentState_Ready"]
    assert agent.state == AgentState.IDLE


def test_callout_with_explicit_caller(world: SimulatedWorld) -> None:
    agent, _ = world.sign_in()
    world.drain(agent)
    callid = world.do("callout", AGENT, body={"called": SECOND_CUSTOMER, "caller": "55501"})
    talking = [e for e in world.drain(agent) if e["eventType"] == "AgentEvent_Talking"]
    assert [e["content"]["callid"] for e in talking] == [callid]
    assert (talking[0]["content"]["caller"], talking[0]["content"]["called"]) == ("55501", SECOND_CUSTOMER)
