"""Call-associated data, business data and call queries in the simulated gateway (the calldata chapter): data is
kept on the call and the next agent reads it after a transfer; an agent's calls, counts and parties; an
inspector's view of another agent's held calls; the refusals."""

from __future__ import annotations

import base64

import pytest
from simulated_world import AGENT, CUSTOMER, OTHER_AGENT, OTHER_NUMBER, THIRD_AGENT, SimulatedWorld, Worlds

SUPERVISOR = "900"
RELEASE_TRANSFER, CONSULT_TRANSFER_TO_AGENT = 0, 2


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """101, 102, 103 and supervisor 900 signed in, idle, answering by hand."""
    made = worlds()
    made.sign_in_all(AGENT, OTHER_AGENT, THIRD_AGENT, SUPERVISOR)
    return made


def test_call_data_set_is_read_back_plain_or_base64(world: SimulatedWorld) -> None:
    callid = world.customer_talking_to(AGENT)
    world.do("setCallAppDataEx", AGENT, body={"callid": callid, "calldata": "order=42;tier=gold"})
    assert world.do("queryCallAppData", AGENT) == "order=42;tier=gold"
    assert world.do("queryCallAppData", AGENT, query={"isEncodeResult": "true", "callId": callid}) == \
        base64.b64encode(b"order=42;tier=gold").decode()
    assert world.do("queryCallInfo", AGENT)["calldata"] == "order=42;tier=gold"


def test_base64_data_is_stored_decoded(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("setCallAppDataEx", AGENT, body={"calldata": base64.b64encode("über".encode()).decode(),
                                              "isDataEncoded": True})
    assert world.do("queryCallAppData", AGENT) == "über"
    world.refused("000-002", "setCallAppDataEx", AGENT, body={"calldata": "not base64!", "isDataEncoded": "true"})


def test_call_data_follows_the_call_through_a_transfer(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("setCallAppDataEx", AGENT, body={"calldata": "crm-case-7"})
    world.do("setCallBusinessData", AGENT, body={"businessdata": "priority"})
    world.do("transfer", AGENT, body={"devicetype": 2, "address": OTHER_AGENT, "mode": RELEASE_TRANSFER})
    world.do("answer", OTHER_AGENT)
    assert world[AGENT].calls == []
    assert world.do("queryCallAppData", OTHER_AGENT) == "crm-case-7"
    assert world.do("getCallBusinessData", OTHER_AGENT, body={}) == "priority"
    world.refused("400-001", "queryCallAppData", AGENT)


def test_call_data_follows_the_customer_through_a_consulted_transfer(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to(AGENT)
    world.do("setCallAppDataEx", AGENT, body={"calldata": "crm-case-8"})
    world.do("innerHelp", AGENT, body={"dstaddress": OTHER_AGENT, "devicetype": 2, "mode": 1})
    world.do("answer", OTHER_AGENT)
    world.do("transfer", AGENT, body={"devicetype": 2, "address": OTHER_AGENT, "mode": CONSULT_TRANSFER_TO_AGENT})
    assert [leg.callid for leg in world[OTHER_AGENT].calls] == [customer]
    assert world.do("queryCallAppData", OTHER_AGENT) == "crm-case-8"


def test_setting_data_without_a_call_or_on_anothers_call_is_refused(world: SimulatedWorld) -> None:
    world.refused("400-001", "setCallAppDataEx", AGENT, body={"calldata": "x"})
    world.refused("400-001", "setCallAppData", AGENT, query={"calldata": "x"})
    world.refused("400-001", "setCallBusinessData", AGENT, body={"businessdata": "x"})
    world.refused("400-001", "getCallBusinessData", AGENT, body={})
    other = world.customer_talking_to(OTHER_AGENT)
    world.customer_talking_to(AGENT)
    world.refused("000-002", "setCallAppDataEx", AGENT, body={"callid": other, "calldata": "x"})
    world.refused("000-002", "queryCallAppData", AGENT, query={"callId": other})


def test_data_over_16_kb_is_refused(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("setCallAppDataEx", AGENT, body={"calldata": "x" * 16384})
    world.refused("000-002", "setCallAppDataEx", AGENT, body={"calldata": "é" * 8193})


def test_the_legacy_setter_writes_the_same_data(world: SimulatedWorld) -> None:
    callid = world.customer_talking_to(AGENT)
    world.do("setCallAppData", AGENT, query={"calldata": "legacy", "callid": callid})
    assert world.do("queryCallAppData", AGENT) == "legacy"


def test_an_agents_calls_counts_and_parties(world: SimulatedWorld) -> None:
    assert (world.do("queryAllCallID", AGENT), world.do("queryCallNumsOnAgent", AGENT)) == ([], 0)
    assert world.do("isProcessCall", AGENT) is False
    customer = world.customer_talking_to(AGENT)
    world.do("hold", AGENT)
    outbound = world.do("callout", AGENT, body={"called": OTHER_NUMBER})
    world.timers.run_all()
    assert world.do("queryAllCallID", AGENT) == [customer, outbound]
    assert world.do("queryCallNumsOnAgent", AGENT) == 2 and world.do("isProcessCall", AGENT) is True
    assert world.do("queryRemoteNumbers", AGENT) == [CUSTOMER, OTHER_NUMBER]
    assert world.do("queryAllCallInfoByAgentWorkNoEx", OTHER_AGENT, path={"workno": AGENT}) == [customer, outbound]
    assert [call["callid"] for call in world.do("queryAllCallInfoByAgentWorkNo", OTHER_AGENT,
                                                  path={"workno": AGENT})] == [customer, outbound]
    assert world.do("queryAgentHoldNum", OTHER_AGENT, path={"workno": AGENT}) == 1
    assert {call["callid"] for call in world.do("queryAllCallInfoOnVdn", OTHER_AGENT)} == {customer, outbound}
    assert world.do("queryPrivateCallInfo", AGENT) == []


def test_a_call_between_agents_is_private(world: SimulatedWorld) -> None:
    callid = world.do("callInner", AGENT, body={"called": OTHER_AGENT})
    assert [call["callid"] for call in world.do("queryPrivateCallInfo", AGENT)] == [callid]


def test_asking_about_an_agent_not_signed_in_or_unknown(world: SimulatedWorld) -> None:
    world.refused("100-006", "queryAllCallInfoByAgentWorkNoEx", AGENT, path={"workno": "104"})
    world.refused("000-002", "queryAllCallInfoByAgentWorkNoEx", AGENT, path={"workno": "99999"})
    world.refused("000-002", "queryAgentHoldNum", AGENT, path={"workno": "99999"})
    world.refused("000-002", "queryAllCallInfoByAgentWorkNo", AGENT, path={"workno": "99999"})


def test_an_inspector_lists_an_agents_held_calls(world: SimulatedWorld) -> None:
    world.refused("400-003", "queryHoldListInfoEx", SUPERVISOR, path={"workno": AGENT})
    customer = world.customer_talking_to(AGENT)
    world.do("hold", AGENT)
    held = world.do("queryHoldListInfoEx", SUPERVISOR, path={"workno": AGENT})
    assert held == [{"callfeature": 0, "callid": customer, "caller": CUSTOMER, "called": "70001", "callskill": ""}]
    world.refused("300-001", "queryHoldListInfoEx", OTHER_AGENT, path={"workno": AGENT})
    world.refused("100-006", "queryHoldListInfoEx", SUPERVISOR, path={"workno": "104"})


def test_no_call_records_are_kept(world: SimulatedWorld) -> None:
    assert world.do("queryCallRecordList", AGENT) == world.do("querySelfCallRecordInfo", AGENT) == []
