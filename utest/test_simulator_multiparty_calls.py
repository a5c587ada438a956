"""Calls between several parties in the simulated gateway: internal calls, help, transfers, conferences that
lose a party, mute, digits, pick-up and the call queries, run through the shared harness (utest/simulated_world.py)."""

from __future__ import annotations

from typing import Any

import pytest
from simulated_world import COLLEAGUES, CUSTOMER, OTHER_NUMBER, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """Agents 101, 102, 103 signed in and idle, with manual answer; timers wait until a test runs them."""
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    return made


def test_internal_call_rings_the_colleague_who_answers(world: SimulatedWorld) -> None:
    callid = world.do("callInner", "101", body={"called": "102"})
    assert world.names("101") == ["AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentState_Busy",
                                  "AgentEvent_Customer_Alerting"]
    assert world.last[-1]["content"]["otherPhoneWorkno"] == "102"
    assert world.names("102") == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                  "AgentEvent_Ringing", "AgentEvent_Customer_Alerting"]
    assert world.last[3]["content"]["feature"] == "6"
    world.do("answer", "102", query={"callid": callid})
    assert world.names("102") == ["AgentEvent_Talking"]
    assert world.names("101") == ["AgentEvent_Talking"]
    world.do("release", "102")
    assert world.names("102") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease",
                                  "AgentState_Ready"]
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease",
                                  "AgentState_Ready"]
    assert world.model.calls == {}


def test_internal_call_to_a_busy_colleague_fails(world: SimulatedWorld) -> None:
    world.model.change_state(world["102"], "sayBusy", {})
    world.drain_all()
    world.do("callInner", "101", body={"called": "102"})
    world.timers.run_all()
    assert world.names("101")[-3:] == ["AgentEvent_Inside_Call_Fail", "AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world["101"].calls == []


def test_call_to_a_skill_queue_reaches_a_free_agent_of_it(world: SimulatedWorld) -> None:
    world.do("resetSkill", "102", path={"autoflag": "false"}, query={"skillid": "2"})
    world.do("resetSkill", "103", path={"autoflag": "false"}, query={"skillid": "1"})
    world.do("callInnerSkill", "101", body={"skillId": 2})
    assert "AgentEvent_Ringing" in world.names("102")
    assert "AgentEvent_Ringing" not in world.names("103")


def test_consult_then_transfer_hands_the_customer_to_the_colleague(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    consult = world.do("innerHelp", "101", body={"dstaddress": "102", "devicetype": 2, "mode": 1})
    assert world.names("101")[:2] == ["AgentEvent_Hold", "AgentOther_PhoneAlerting"]
    world.do("answer", "102", query={"callid": consult})
    world.drain_all()
    world.do("transfer", "101", body={"devicetype": 2, "address": "102", "mode": 2})
    names = world.names("101")
    assert names[-3:] == ["AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]
    assert "AgentEvent_SuccTransResult" in names
    # the colleague sees the agent leave, then talks with the customer
    assert world.names("102") == ["AgentEvent_Customer_Release", "AgentEvent_Talking"]
    assert world.last[1]["content"]["callid"] == customer
    assert [leg.number for leg in world.model.calls[customer].legs] == [CUSTOMER, "70002"]
    assert world["101"].state == AgentState.IDLE and world["102"].state == AgentState.TALKING


def test_consult_with_nobody_free_fails_and_keeps_the_customer_held(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.model.change_state(world["102"], "sayBusy", {})
    world.do("innerHelp", "101", body={"dstaddress": "102"})
    world.timers.run_all()
    assert world.names("101") == ["AgentEvent_Hold", "AgentEvent_Consult_Fail"]
    world.do("getHold", "101", query={"callid": customer})
    assert world.names("101") == ["AgentEvent_Talking"]


def test_three_party_help_makes_a_conference_when_the_helper_answers(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("innerHelp", "101", body={"dstaddress": "102", "mode": 2})
    world.do("answer", "102", query={"callid": customer})
    assert "AgentEvent_Conference" in world.names("101")
    assert world.names("102")[-2:] == ["AgentEvent_Talking", "AgentEvent_Conference"]
    assert len(world.model.calls[customer].legs) == 3


def test_blind_transfer_to_a_colleague(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("transfer", "101", body={"devicetype": 2, "address": "102", "mode": 0})
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease",
                                  "AgentState_Ready"]
    assert "AgentEvent_Ringing" in world.names("102")
    ringing = next(e for e in world.last if e["eventType"] == "AgentEvent_Ringing")["content"]
    assert (ringing["callid"], ringing["transfer"], ringing["transfrom"]) == (customer, "yes", "101")


def test_success_transfer_completes_when_the_target_answers(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("transfer", "101", body={"devicetype": 2, "address": "102", "mode": 2})
    assert world.names("101") == []  # waits, holding the customer, until the target answers
    world.do("answer", "102", query={"callid": customer})
    assert world.names("101")[0] == "AgentEvent_SuccTransResult"
    assert world.last[0]["content"] == {"result": 0, "callId": customer}


def test_transfer_to_a_skill_queue_nobody_serves_fails(world: SimulatedWorld) -> None:
    world.customer_talking_to("101")
    world.do("transfer", "101", body={"devicetype": 1, "address": "99", "mode": 2})
    world.timers.run_all()
    assert world.names("101") == ["AgentEvent_Connect_Fail"]
    assert world["101"].calls  # the agent keeps the customer


def test_transfer_mode_not_allowed_for_the_target(world: SimulatedWorld) -> None:
    world.customer_talking_to("101")
    world.refused("000-002", "transfer", "101", body={"devicetype": 3, "address": "1234", "mode": 2})
    world.refused("200-012", "transfer", "102", body={"devicetype": 2, "address": "101", "mode": 0})


def test_talk_transfer_to_an_external_number_and_cancel(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("transfer", "101", body={"devicetype": 5, "address": OTHER_NUMBER, "mode": 3})
    world.timers.run_all()
    assert world.names("101") == ["AgentEvent_Conference"]  # the developer guide sends it for talk transfer too
    world.do("cancelTransfer", "101")
    assert world.names("101") == ["AgentEvent_Customer_Release", "AgentEvent_Talking"]
    assert [leg.number for leg in world.model.calls[customer].legs] == [CUSTOMER, "70001"]


def test_external_number_that_is_busy(world: SimulatedWorld) -> None:
    world.model.set_far_end(OTHER_NUMBER, "busy")
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.drain_all()
    world.timers.run_all()
    assert world.names("101") == ["AgentOther_PhoneRelease", "AgentEvent_Call_Out_Fail", "AgentEvent_Connect_Fail",
                                  "AgentState_Ready"]


def test_silent_far_end_keeps_ringing(world: SimulatedWorld) -> None:
    world.model.set_far_end(OTHER_NUMBER, "silent")
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.drain_all()
    world.timers.run_all()
    assert world.names("101") == [] and [leg.state for leg in world["101"].calls] == ["alerting"]


def test_conference_loses_a_customer_and_goes_on(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("hold", "101")
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.timers.run_all()
    world.do("confJoin", "101", body={"callid": customer})
    world.drain_all()
    world.model.customer_hangs_up(customer, CUSTOMER)
    assert world.names("101") == ["AgentEvent_Customer_Release"]
    world.do("disconnect", "101", path={"number": OTHER_NUMBER})
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease",
                                  "AgentState_Ready"]


def test_agent_leaving_a_conference_with_a_colleague_leaves_the_others_connected(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("innerHelp", "101", body={"dstaddress": "102", "mode": 2})
    world.do("answer", "102", query={"callid": customer})
    world.drain_all()
    world.do("release", "101")
    assert world.names("102") == ["AgentEvent_Customer_Release"]
    assert world.last[0]["content"]["number"] == "70001"
    assert [leg.number for leg in world.model.calls[customer].legs] == [CUSTOMER, "70002"]


def test_connect_hold_joins_the_other_two_and_the_agent_leaves(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("hold", "101")
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.timers.run_all()
    world.drain_all()
    world.do("connectHold", "101", path={"callid": customer})
    assert world.names("101")[-2:] == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert sorted(leg.number for leg in world.model.calls[customer].legs) == [CUSTOMER, OTHER_NUMBER]


def test_mute_and_unmute(world: SimulatedWorld) -> None:
    world.refused("200-003", "beginMute", "101")
    world.customer_talking_to("101")
    world.do("beginMute", "101")
    world.refused("200-004", "beginMute", "101")
    assert world["101"].calls[0].muted
    world.do("endMute", "101")
    world.refused("200-008", "endMute", "101")


def test_an_internal_call_cannot_be_muted(world: SimulatedWorld) -> None:
    callid = world.do("callInner", "101", body={"called": "102"})
    world.do("answer", "102", query={"callid": callid})
    world.refused("200-004", "beginMute", "101")


def test_digits_are_recorded_on_the_call(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("secondDialEx", "101", query={"number": "12#"})
    world.do("secondDialEx", "101", query={"number": "*9"})
    assert world.model.calls[customer].digits == ["12#", "*9"]
    assert world.names("101") == []


def test_pick_up_a_colleagues_ringing_call(world: SimulatedWorld) -> None:
    callid = world.model.offer_inbound_call(CUSTOMER, "102")
    world.drain_all()
    world.do("snatchpickup", "101", query={"destWorkNo": "102"})
    assert world.names("101")[-1] == "AgentEvent_Talking"
    assert world.names("102") == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world["101"].calls[0].callid == callid and world["102"].calls == []
    world.refused("100-007", "snatchpickup", "103", query={"destWorkNo": "102"})


def test_reject_sets_the_agent_busy_or_idle(world: SimulatedWorld) -> None:
    world.model.offer_inbound_call(CUSTOMER, "101")
    world.drain_all()
    world.do("reject", "101", body={"mode": 1})
    assert world.names("101") == ["AgentEvent_No_Answer", "AgentOther_PhoneRelease", "AgentState_SetNotReady_Success"]
    assert world["101"].state == AgentState.BUSY
    world.refused("200-002", "reject", "101", body={"mode": 2})


def test_call_queries_answer_from_the_model(world: SimulatedWorld) -> None:
    world.refused("400-003", "queryHoldListInfo", "101")
    customer = world.customer_talking_to("101")
    info = world.do("queryCallInfo", "101")
    assert (info["callid"], info["caller"], info["callfeature"]) == (customer, CUSTOMER, 0)
    assert world.do("queryCallInfoByCallId", "101", path={"callid": customer})["callid"] == customer
    world.do("hold", "101")
    assert [call["callid"] for call in world.do("queryHoldListInfo", "101")] == [customer]
    world.model.offer_inbound_call(OTHER_NUMBER, "102")
    assert [call["caller"] for call in world.do("queryCallInfoBeforeAnswer", "102")] == [OTHER_NUMBER]
    world.refused("100-007", "queryCallInfoByCallId", "101", path={"callid": "1-1"})


@pytest.mark.parametrize(("interface", "retcode", "request_"), [
    ("mediaSwitch", "100-007", {"query": {"mediaType": "3"}}),
    ("adjustVideoMode", "200-031", {"body": {"mode": 0}}),
    ("requestAppointedCall", "100-007", {"path": {"callid": "1-1", "skilltype": "0"}}),
    ("phonepickup", "100-007", {}),
    ("phonehangup", "100-007", {}),
    ("thirdPartyConfTransmitNum", "10001", {}),
    ("startASR", "200-040", {"query": {"callId": "1-1"}}),
    ("previewCallout", "000-002", {"body": {"called": "123", "callcontrolid": 5}}),
])
def test_what_the_simulator_has_not_got_is_refused_with_a_documented_code(
        world: SimulatedWorld, interface: str, retcode: str, request_: dict[str, Any]) -> None:
    world.refused(retcode, interface, "101", **request_)


def _consulting(world: SimulatedWorld) -> tuple[str, str]:
    customer = world.customer_talking_to("101")
    consult = world.do("innerHelp", "101", body={"dstaddress": "102"})
    world.do("answer", "102", query={"callid": consult})
    world.drain_all()
    return customer, consult


def test_helper_hanging_up_returns_the_agent_to_the_customer(world: SimulatedWorld) -> None:
    customer, _ = _consulting(world)
    world.do("release", "102")
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentEvent_Talking"]
    assert world.last[-1]["content"]["callid"] == customer
    assert [leg.state for leg in world["101"].calls] == ["talking"]


def test_agent_hanging_up_during_help_passes_the_customer_to_the_helper(world: SimulatedWorld) -> None:
    customer, _ = _consulting(world)
    world.do("release", "101")
    assert "AgentEvent_SuccTransResult" in world.names("101") and world["101"].calls == []
    assert world.names("102")[-1] == "AgentEvent_Talking"
    assert [leg.callid for leg in world["102"].calls] == [customer]


def test_customer_hanging_up_during_help_leaves_the_agents_talking(world: SimulatedWorld) -> None:
    customer, consult = _consulting(world)
    world.model.customer_hangs_up(customer)
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease"]
    assert [leg.callid for leg in world["101"].calls] == [consult]
