"""The simulator's text sessions (simulator/text.py): a customer writes (the control interface), agent 101 answers,
writes back, transfers the session to 102 or ends it; session limits; the H5 video routes it refuses."""

from __future__ import annotations

import pytest
from simulated_world import AGENT, COLLEAGUES, CUSTOMER, OTHER_AGENT, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import SimulationError


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    return made


def _answered(world: SimulatedWorld) -> str:
    callid = world.model.text.customer_writes(CUSTOMER, AGENT, "hello")
    world.do("textchatAnswer", AGENT, path={"callid": callid})
    world.drain_all()
    return callid


def test_a_customer_writes_and_the_messages_wait_for_the_answer(world: SimulatedWorld) -> None:
    callid = world.model.text.customer_writes(CUSTOMER, AGENT, "hello")
    assert world.model.text.customer_writes(CUSTOMER, AGENT, "anyone there?", callid) == callid
    assert world.names(AGENT) == ["AgentChat_Ring"]
    assert world.last[0]["content"]["callId"] == callid and world.last[0]["content"]["caller"] == CUSTOMER
    assert world.do("textchatAnswer", AGENT, path={"callid": callid}) == callid
    assert world.names(AGENT) == ["AgentChat_Connected", "AgentEvent_MessageData", "AgentEvent_MessageData"]
    assert [event["content"]["message"] for event in world.last[1:]] == ["hello", "anyone there?"]
    assert world.last[1]["content"]["mediaAbility"] == "5"
    world.model.text.customer_writes(CUSTOMER, AGENT, "thanks", callid)
    assert world.names(AGENT) == ["AgentEvent_MessageData"]
    assert world[AGENT].state == AgentState.IDLE  # a text session leaves the voice state alone


def test_the_agent_writes_back_and_the_session_keeps_both_sides(world: SimulatedWorld) -> None:
    callid = _answered(world)
    world.do("sendMessage", AGENT, body={"callid": callid, "data": "How can I help?"})
    world.do("chat", AGENT, body={"callId": callid, "content": "Still there?"})
    assert world.model.text.describe(callid)["messages"] == [
        {"from": CUSTOMER, "text": "hello"}, {"from": AGENT, "text": "How can I help?"},
        {"from": AGENT, "text": "Still there?"}]
    world.refused("106-002", "sendMessage", AGENT, body={"callid": callid, "data": "  "})
    world.refused("100-007", "sendMessage", AGENT, body={"callid": "1-2", "data": "hi"})


def test_a_transfer_offers_the_session_to_the_colleague(world: SimulatedWorld) -> None:
    callid = _answered(world)
    world.do("mediaTransfer", AGENT, body={"callid": callid, "devicetype": 2, "mode": 0, "address": OTHER_AGENT,
                                           "calldata": "vip"})
    assert world.names(AGENT) == ["AgentChat_Disconnected"]
    assert world.names(OTHER_AGENT) == ["AgentChat_Ring"]
    assert world.last[0]["content"]["attachData"] == "vip"
    world.refused("100-007", "sendMessage", AGENT, body={"callid": callid, "data": "hi"})
    world.do("textchatAnswer", OTHER_AGENT, path={"callid": callid})
    assert world.names(OTHER_AGENT) == ["AgentChat_Connected"]
    world.refused("106-004", "tranfser", OTHER_AGENT, body={"callid": callid, "addesstype": 10, "destaddr": "1"})
    world.refused("100-007", "mediaTransfer", OTHER_AGENT,
                  body={"callid": callid, "devicetype": 2, "mode": 2, "address": "555"})  # not signed in
    world.do("tranfser", OTHER_AGENT, body={"callid": callid, "addesstype": 1, "destaddr": AGENT})
    assert world.names(AGENT) == ["AgentChat_Ring"]


def test_ending_and_rejecting(world: SimulatedWorld) -> None:
    callid = _answered(world)
    assert world.do("textchatDrop", AGENT, path={"callid": callid}) == callid
    assert world.names(AGENT) == ["AgentChat_Disconnected"]
    world.refused("100-007", "textchatDrop", AGENT, path={"callid": callid})
    offered = world.model.text.customer_writes(CUSTOMER, AGENT, "hi")
    world.refused("100-007", "textchatReject", OTHER_AGENT, path={"callid": offered})
    world.do("textchatReject", AGENT, path={"callid": offered})
    world.refused("100-007", "textchatAnswer", AGENT, path={"callid": offered})
    with pytest.raises(SimulationError, match="no text session"):
        world.model.text.customer_writes(CUSTOMER, AGENT, "hello?", offered)
    # an ended session stays readable for the test: its transcript, and that it ended
    ended = world.model.text.describe(callid)
    assert (ended["ended"], ended["connected"], ended["messages"]) == (True, False, [{"from": CUSTOMER,
                                                                                       "text": "hello"}])
    assert world.model.text.describe(offered)["ended"] is True
    assert callid not in world.model.text.sessions  # nor is it among the running ones (the console's)


def test_the_session_limit_is_kept(world: SimulatedWorld) -> None:
    world.refused("106-003", "setCallNums", AGENT, body={"mediaType": "1", "callnums": "61"})
    world.do("setCallNums", AGENT, body={"mediaType": "1", "callnums": "1"})
    world.model.text.customer_writes(CUSTOMER, AGENT, "one")
    with pytest.raises(SimulationError, match="its limit"):
        world.model.text.customer_writes("88880009", AGENT, "two")
    world.do("setCallNumsByMediaType", OTHER_AGENT, body={"totalCallNum": 1, "agentMediaCallNums": []})
    world.model.text.customer_writes(CUSTOMER, OTHER_AGENT, "one")
    with pytest.raises(SimulationError, match="its limit"):
        world.model.text.customer_writes("88880009", OTHER_AGENT, "two")


def test_what_the_simulator_has_not_got(world: SimulatedWorld) -> None:
    world.refused("106-011", "imageCapture", AGENT, body={"callid": "1-1", "userType": "user"})
    world.refused("106-011", "getConnectInfo", AGENT, body={"callid": "1-1", "userType": "agent"})
    world.refused("100-007", "textchatInternalCall", AGENT, path={"destno": OTHER_AGENT})
    with pytest.raises(SimulationError, match="not signed in"):
        world.model.text.customer_writes(CUSTOMER, "555", "hello")


def test_sessions_and_limits_do_not_outlive_the_sign_in(world: SimulatedWorld) -> None:
    world.do("setCallNums", AGENT, body={"mediaType": "1", "callnums": "1"})
    callid = _answered(world)
    world.sign_in(AGENT, force=True)
    world.refused("100-007", "textchatDrop", AGENT, path={"callid": callid})
    with pytest.raises(SimulationError, match="no text session"):
        world.model.text.customer_writes(CUSTOMER, AGENT, "still there?", callid)
    world.model.text.customer_writes(CUSTOMER, AGENT, "one")
    world.model.text.customer_writes("88880009", AGENT, "two")  # the limit was the earlier sign-in's
