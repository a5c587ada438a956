"""The simulator's agent-hosted conferences (simulator/conference.py): a chairperson (101) with agents (102, 103) and
a phone number as members; every member's events, the timer that follows time_scale, and each refusal."""

from __future__ import annotations

from typing import Any

import pytest
from simulated_world import AGENT, COLLEAGUES, CUSTOMER, OTHER_AGENT, OTHER_NUMBER, THIRD_AGENT, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState, CallState
from CCGatewayLibrary.simulator.model import SimulatorConfig

CHANGED = "AgentConf_ParticipantChanged"


def _agent(agent_id: str) -> dict[str, str]:
    return {"addressType": "9", "address": agent_id}


def _number(number: str) -> dict[str, str]:
    return {"addressType": "6", "address": number}


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    return made


def _chair(world: SimulatedWorld, **body: Any) -> int:
    world.do("requestAgentConf", AGENT, body={"memberNum": 4, **body})
    events = world.drain(AGENT)
    return int(events[-1]["content"]["confId"])


def _with_member(world: SimulatedWorld, member: str = OTHER_AGENT) -> int:
    conf_id = _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(member)]})
    world.do("answerAgentConf", member)
    world.drain_all()
    return conf_id


def _changes(world: SimulatedWorld, agent_id: str) -> list[tuple[str, int, int, int]]:
    return [(event["content"]["participant"], event["content"]["changeType"], event["content"]["changeReason"],
             event["content"]["result"]) for event in world.drain(agent_id) if event["eventType"] == CHANGED]


def test_an_idle_agent_applies_and_becomes_chair(world: SimulatedWorld) -> None:
    world.do("requestAgentConf", AGENT, body={"memberNum": 3})
    assert world.names(AGENT) == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                                  "AgentConf_SelfJoinResult", "AgentConf_RequestSuccess"]
    assert world.last[-1]["content"] == world.last[-2]["content"]
    assert world[AGENT].state == AgentState.TALKING


def test_an_invited_agent_rings_answers_and_the_chair_hears_it_joined(world: SimulatedWorld) -> None:
    conf_id = _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT)]})
    assert world.names(OTHER_AGENT) == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentConf_Ringing"]
    assert world.last[-1]["content"] == {"confId": conf_id}
    assert world.names(AGENT) == []  # ringing is not joining
    world.do("answerAgentConf", OTHER_AGENT)
    assert world.names(OTHER_AGENT) == ["AgentOther_PhoneOffhook", "AgentConf_SelfJoinResult"]
    assert _changes(world, AGENT) == [(OTHER_AGENT, 0, 255, 0)]


def test_a_number_joins_when_its_far_end_answers(world: SimulatedWorld) -> None:
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_number(OTHER_NUMBER) | {"deviceType": 7}]})
    assert world.names(AGENT) == []
    world.timers.pending.pop()()  # the far end answers; the conference's own timers wait
    event = world.drain(AGENT)[0]
    assert event["content"]["participantType"] == 6
    assert (event["content"]["participant"], event["content"]["changeType"], event["content"]["deviceType"]) == \
        (OTHER_NUMBER, 0, 7)


def test_an_unreachable_invitee_is_a_failed_join_for_the_chair(world: SimulatedWorld) -> None:
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent("555"), _agent(OTHER_AGENT)]})
    assert _changes(world, AGENT) == [("555", 0, 255, 1)]  # 555 is not signed in
    world.model.set_far_end(OTHER_NUMBER, "busy")
    world.do("batchAddParticipant", AGENT, body={"addresses": [_number(OTHER_NUMBER)]})
    world.timers.pending.pop()()
    assert _changes(world, AGENT) == [(OTHER_NUMBER, 0, 255, 1)]


def test_hold_unhold_and_mute_are_told_to_every_member(world: SimulatedWorld) -> None:
    _with_member(world)
    hold = {**_agent(OTHER_AGENT), "voicePath": "y:/conf/120/1136287.V3"}
    world.do("holdParticipant", AGENT, body=hold)
    assert _changes(world, AGENT) == _changes(world, OTHER_AGENT) == [(OTHER_AGENT, 5, 255, 0)]
    world.refused("100-007", "holdParticipant", AGENT, body=hold)
    world.do("unholdParticipant", AGENT, body=_agent(OTHER_AGENT))
    assert _changes(world, AGENT) == [(OTHER_AGENT, 6, 255, 0)]
    world.refused("100-007", "unholdParticipant", AGENT, body=_agent(OTHER_AGENT))
    world.drain_all()
    world.do("changeParticipantMode", AGENT, body={"attribute": 1, **_agent(OTHER_AGENT)})
    assert _changes(world, AGENT) == [(OTHER_AGENT, 3, 255, 0)]
    world.do("changeParticipantMode", AGENT, body={"attribute": 2, **_agent(OTHER_AGENT)})
    assert _changes(world, AGENT) == []  # attribute 2 and 4 raise no event
    assert world[OTHER_AGENT].calls[0].muted is False


def test_a_member_leaves_and_the_others_hear_why(world: SimulatedWorld) -> None:
    _with_member(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(THIRD_AGENT)]})
    world.do("answerAgentConf", THIRD_AGENT)
    world.drain_all()
    world.do("requestLeaveAgentConf", OTHER_AGENT)
    assert world.names(OTHER_AGENT) == ["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]
    assert _changes(world, AGENT) == _changes(world, THIRD_AGENT) == [(OTHER_AGENT, 1, 0, 0)]


def test_the_chair_removes_a_batch_and_learns_which_were_not_there(world: SimulatedWorld) -> None:
    _with_member(world)
    result = world.do("batchRemoveParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT), _number("123")]})
    assert result == {"noExistParticipants": [{"addressType": "6", "address": "123"}]}
    assert _changes(world, AGENT) == [(OTHER_AGENT, 1, 1, 0)]
    assert world.names(OTHER_AGENT) == ["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]


def test_ending_the_conference_releases_everyone(world: SimulatedWorld) -> None:
    _with_member(world)
    world.do("releaseAgentConf", AGENT)
    assert world.names(AGENT) == ["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]
    assert world.names(OTHER_AGENT) == [CHANGED, "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult",
                                        "AgentState_Ready"]
    assert (world.last[0]["content"]["participant"], world.last[0]["content"]["changeReason"]) == (AGENT, 3)
    assert world.model.conference.conferences == {} and world[AGENT].calls == []


def test_the_chair_can_be_handed_over(world: SimulatedWorld) -> None:
    _with_member(world)
    world.refused("101-005", "applyToShiftPresident", AGENT, body={"destAgentNo": AGENT})
    world.refused("000-002", "applyToShiftPresident", AGENT, body={"destAgentNo": THIRD_AGENT})
    world.do("applyToShiftPresident", AGENT, body={"destAgentNo": int(OTHER_AGENT)})
    assert world.names(OTHER_AGENT) == [CHANGED, "AgentConf_PresidentChanged"]
    assert world.last[0]["content"]["changeType"] == 2
    world.refused("101-002", "releaseAgentConf", AGENT)
    world.do("requestLeaveAgentConf", AGENT)  # no longer the chair, so it may leave
    world.do("releaseAgentConf", OTHER_AGENT)


def test_the_reminder_and_the_end_follow_time_scale(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(time_scale=0.01))
    world.sign_in_all(*COLLEAGUES)
    world.do("requestAgentConf", AGENT, body={"memberNum": 2, "time": 10, "promptTime": 4})
    assert world.timers.delays[-2:] == [pytest.approx(6 * 60 * 0.01), pytest.approx(10 * 60 * 0.01)]
    world.drain_all()
    world.timers.run_pending()
    assert world.names(AGENT) == ["AgentConf_Timeout", "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult",
                                  "AgentState_Ready"]


def test_prolonging_moves_the_end_and_caps_the_total(world: SimulatedWorld) -> None:
    world.do("requestAgentConf", AGENT, body={"memberNum": 2, "time": 1400})
    world.drain_all()
    assert world.do("prolongTime", AGENT, body={"prolongTime": 100}) == {"applyedTime": 40}
    assert world.timers.delays[-1] == pytest.approx(1440 * 60)
    world.timers.run_all()  # the superseded timers do nothing: one reminder, one end
    assert world.names(AGENT).count("AgentConf_Timeout") == 1


def test_announcements_end_with_their_event_unless_stopped(world: SimulatedWorld) -> None:
    _with_member(world)
    world.do("playVoiceToConf", AGENT, body={"voicePath": "y:/conf/120/1.V3"})
    world.refused("100-007", "playVoiceToConf", AGENT, body={"voicePath": "y:/conf/120/1.V3"})
    world.do("stopVoiceToConf", AGENT)
    world.refused("100-007", "stopVoiceToConf", AGENT)
    world.do("playVoiceToParticipant", AGENT, body={**_agent(OTHER_AGENT), "voicePath": "y:/conf/120/1.V3"})
    world.do("stopVoiceToParticipant", AGENT, body=_agent(OTHER_AGENT))
    assert world.names(AGENT) == ["AgentConf_StopParticipantVoice"]
    world.refused("100-007", "stopVoiceToParticipant", AGENT, body=_agent(OTHER_AGENT))
    world.do("playVoiceToConf", AGENT, body={"voicePath": "y:/conf/120/1.V3"})
    world.timers.pending[-1]()
    assert world.names(AGENT) == ["AgentConf_StopVoice"]


def test_refusals(world: SimulatedWorld) -> None:
    world.refused("101-001", "releaseAgentConf", AGENT)
    world.refused("101-001", "answerAgentConf", AGENT)
    world.refused("101-001", "rejectAgentConf", AGENT)
    world.refused("101-001", "requestLeaveAgentConf", AGENT)
    _with_member(world)
    world.refused("101-003", "requestAgentConf", AGENT, body={"memberNum": 2})
    world.refused("101-003", "batchAddParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT)]})
    world.refused("000-002", "batchAddParticipant", AGENT,
                  body={"addresses": [_number(str(88880000 + n)) for n in range(3)]})  # 4 seats
    world.refused("101-006", "batchRemoveParticipant", AGENT, body={"addresses": [_agent(AGENT)]})
    world.refused("101-007", "requestLeaveAgentConf", AGENT)
    world.refused("101-002", "prolongTime", OTHER_AGENT, body={"prolongTime": 5})
    world.refused("000-002", "holdParticipant", AGENT, body={**_agent(THIRD_AGENT), "voicePath": "y:/c/1.V3"})
    world.model.state_machine.take(world[THIRD_AGENT], world.model.state_machine.outcome(world[THIRD_AGENT],
                                                                                          "sayBusy", {}), "0")
    world.refused("100-007", "requestAgentConf", THIRD_AGENT, body={"memberNum": 2})


def test_a_rejected_invitation_is_told_to_the_members(world: SimulatedWorld) -> None:
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT)]})
    world.drain_all()
    world.do("rejectAgentConf", OTHER_AGENT)
    assert world.names(OTHER_AGENT) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert _changes(world, AGENT) == [(OTHER_AGENT, 1, 2, 0)]


def test_a_customer_in_the_chairs_call_comes_along(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to(AGENT)
    world.do("requestAgentConf", AGENT, body={"memberNum": 3})
    names = world.names(AGENT)
    assert names[:2] == ["AgentConf_SelfJoinResult", "AgentConf_RequestSuccess"]  # no new Busy: it was talking
    assert world.model.calls.get(customer) is None
    assert [leg.number for leg in world[AGENT].calls[0].call.legs] == [CUSTOMER, world[AGENT].phone]


# -- every way a member leaves goes through the conference's rules -------------------------------------------------
SUPERVISOR = "900"
LEFT_EVENTS = ["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]


def _three(world: SimulatedWorld) -> str:
    """Agent 101 chairs a conference that agents 102 and 103 joined, supervisor 900 is signed in; the call ID."""
    world.model.login(SUPERVISOR, {"password": world.model.roster.password_of(SUPERVISOR), "phonenum": "7900"})
    _with_member(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(THIRD_AGENT)]})
    world.do("answerAgentConf", THIRD_AGENT)
    world.drain_all()
    return world[AGENT].calls[0].callid


def _no_call_events(world: SimulatedWorld, *agent_ids: str) -> None:
    for agent_id in agent_ids:
        assert not [name for name in world.names(agent_id) if name.startswith("AgentEvent_")], agent_id


@pytest.mark.parametrize("sign_out", ["forceLogOutAgent", "forceLogout", "forced sign-in"])
def test_a_member_signed_out_is_told_to_the_others_as_signed_out(world: SimulatedWorld, sign_out: str) -> None:
    _three(world)
    if sign_out == "forceLogOutAgent":
        world.do(sign_out, SUPERVISOR, path={"workNo": OTHER_AGENT})
    elif sign_out == "forceLogout":
        world.model.change_state(world[OTHER_AGENT], sign_out, {})
    else:  # the agent signs in again elsewhere: its session, and its seat, end
        world.sign_in(OTHER_AGENT, force=True)
    assert _changes(world, AGENT) == _changes(world, THIRD_AGENT) == [(OTHER_AGENT, 1, 4, 0)]
    assert world.names(OTHER_AGENT) == (["AgentOther_ShutdownService"] if sign_out != "forced sign-in" else
                                        ["AgentOther_InService", "AgentState_Ready"])
    assert [leg.agent_id for leg in world[AGENT].calls[0].call.legs] == [AGENT, THIRD_AGENT]
    world.do("releaseAgentConf", AGENT)  # the conference goes on without the member, and ends as usual
    assert _changes(world, THIRD_AGENT) == [(AGENT, 1, 3, 0)]


def test_a_chair_signed_out_ends_the_conference(world: SimulatedWorld) -> None:
    callid = _three(world)
    world.do("forceLogOutAgent", SUPERVISOR, path={"workNo": AGENT})
    for member in (OTHER_AGENT, THIRD_AGENT):
        names = world.names(member)
        assert names[0] == CHANGED and names[-3:] == LEFT_EVENTS and not any(n.startswith("AgentEvent_") for n in names)
        assert (world.last[0]["content"]["participant"], world.last[0]["content"]["changeReason"]) == (AGENT, 3)
    assert world.model.conference.conferences == {} and callid not in world.model.calls
    assert world[OTHER_AGENT].calls == [] and world[OTHER_AGENT].state == AgentState.IDLE


def test_a_forced_release_of_the_conference_ends_it(world: SimulatedWorld) -> None:
    callid = _three(world)
    world.do("forceDropCall", SUPERVISOR, path={"callid": callid})
    assert world.names(AGENT) == LEFT_EVENTS
    names = world.names(OTHER_AGENT)
    assert names[0] == CHANGED and names[-3:] == LEFT_EVENTS and not any(n.startswith("AgentEvent_") for n in names)
    assert world.model.conference.conferences == {} and callid not in world.model.calls


def test_a_member_whose_guid_expired_is_signed_out_of_the_conference(world: SimulatedWorld) -> None:
    _three(world)
    world.model.expire_guid(world[OTHER_AGENT])
    world.clock.advance(world.model.config.silence_sign_out + 1)
    for still_polling in (AGENT, THIRD_AGENT, SUPERVISOR):
        world.model.seen(world[still_polling])
    assert world.model.sign_out_silent_agents() == [OTHER_AGENT]
    assert _changes(world, AGENT) == _changes(world, THIRD_AGENT) == [(OTHER_AGENT, 1, 4, 0)]
    _no_call_events(world, AGENT, THIRD_AGENT)


@pytest.mark.parametrize("hang_up", ["release", "releaseEx", "dropCall", "disconnect"])
def test_a_member_hanging_up_leaves_with_reason_hung_up(world: SimulatedWorld, hang_up: str) -> None:
    callid = _three(world)
    path = {"callid": callid} if hang_up == "dropCall" else {"number": world[OTHER_AGENT].phone} \
        if hang_up == "disconnect" else None
    world.do(hang_up, OTHER_AGENT, path=path)
    assert world.names(OTHER_AGENT) == LEFT_EVENTS
    assert world.last[0]["content"]["phoneState"] == 2  # the agent hung up
    assert _changes(world, AGENT) == _changes(world, THIRD_AGENT) == [(OTHER_AGENT, 1, 2, 0)]
    _no_call_events(world, AGENT, THIRD_AGENT)


def test_a_chair_hanging_up_ends_the_conference(world: SimulatedWorld) -> None:
    _three(world)
    world.do("release", AGENT)
    assert world.names(AGENT) == LEFT_EVENTS
    assert world.last[0]["content"]["phoneState"] == 2
    assert world.names(OTHER_AGENT)[-3:] == LEFT_EVENTS
    assert world.model.conference.conferences == {}


def test_a_member_dropped_with_disconnect_is_removed_for_another_reason(world: SimulatedWorld) -> None:
    _three(world)
    world.do("disconnect", AGENT, path={"number": world[OTHER_AGENT].phone})
    assert world.names(OTHER_AGENT) == LEFT_EVENTS
    assert _changes(world, AGENT) == _changes(world, THIRD_AGENT) == [(OTHER_AGENT, 1, 6, 0)]


def test_a_number_that_hangs_up_leaves_with_reason_hung_up(world: SimulatedWorld) -> None:
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_number(OTHER_NUMBER)]})
    world.timers.pending.pop()()
    world.drain_all()
    world.model.customer_hangs_up(world[AGENT].calls[0].callid, OTHER_NUMBER)
    assert _changes(world, AGENT) == [(OTHER_NUMBER, 1, 2, 0)]
    assert world.names(AGENT) == [] and world[AGENT].calls[0].state == CallState.TALKING


def test_a_recording_stops_when_its_member_is_forced_out(world: SimulatedWorld) -> None:
    callid = _three(world)
    for recording in (AGENT, OTHER_AGENT):
        world.do("beginRecordWithoutFilename", recording)
    world.drain_all()
    world.do("forceLogOutAgent", SUPERVISOR, path={"workNo": OTHER_AGENT})
    assert list(world.model.recording.running) == [AGENT]  # the member's stopped (its events went with its session)
    assert _changes(world, AGENT) == [(OTHER_AGENT, 1, 4, 0)]
    world.do("forceDropCall", SUPERVISOR, path={"callid": callid})
    assert world.names(AGENT) == ["AgentMediaEvent_StopRecordDone", *LEFT_EVENTS]
    assert world.model.recording.running == {}


def test_an_inspection_ends_when_the_inspected_member_leaves(world: SimulatedWorld) -> None:
    _three(world)
    world.do("addSupervise", SUPERVISOR, path={"workNo": OTHER_AGENT})
    world.drain_all()
    world.do("requestLeaveAgentConf", OTHER_AGENT)
    assert world.names(SUPERVISOR) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world[SUPERVISOR].calls == [] and world[SUPERVISOR].state == AgentState.IDLE
    assert _changes(world, AGENT) == [(OTHER_AGENT, 1, 0, 0)]  # nothing about the supervisor


def test_an_inspection_of_a_member_ends_with_the_conference(world: SimulatedWorld) -> None:
    _three(world)
    world.do("addSupervise", SUPERVISOR, path={"workNo": OTHER_AGENT})
    world.drain_all()
    world.do("releaseAgentConf", AGENT)
    assert world.names(SUPERVISOR) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert all(event["content"]["participant"] != SUPERVISOR for agent_id in (OTHER_AGENT, THIRD_AGENT)
               for event in world.drain(agent_id) if event["eventType"] == CHANGED)


@pytest.mark.parametrize(("leaves", "reason"), [("forceLogOutAgent", 4), ("release", 2)])
def test_an_invitee_gone_before_answering_is_told_like_a_rejection(world: SimulatedWorld, leaves: str,
                                                                     reason: int) -> None:
    world.model.login(SUPERVISOR, {"password": world.model.roster.password_of(SUPERVISOR), "phonenum": "7900"})
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT)]})
    world.drain_all()
    if leaves == "release":
        world.do(leaves, OTHER_AGENT)
        assert world.names(OTHER_AGENT) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    else:
        world.do(leaves, SUPERVISOR, path={"workNo": OTHER_AGENT})
    assert _changes(world, AGENT) == [(OTHER_AGENT, 1, reason, 0)]
    assert [leg.agent_id for leg in world[AGENT].calls[0].call.legs] == [AGENT]


@pytest.mark.parametrize("interface", ["intercept", "interceptCall"])
def test_a_member_cannot_be_taken_over(world: SimulatedWorld, interface: str) -> None:
    callid = _three(world)
    world.do("addSupervise", SUPERVISOR, path={"workNo": OTHER_AGENT})
    world.drain_all()
    world.refused("900-005", interface, SUPERVISOR,
                  path={"workNo": OTHER_AGENT} | ({"callId": callid} if interface == "interceptCall" else {}))
    assert world.names(OTHER_AGENT) == [] and world.names(AGENT) == []
    assert [leg.agent_id for leg in world[AGENT].calls[0].call.parties()] == [AGENT, OTHER_AGENT, THIRD_AGENT]


def test_a_members_seat_is_not_a_voice_call_to_hold_mute_or_transfer(world: SimulatedWorld) -> None:
    _three(world)
    world.refused("200-014", "hold", OTHER_AGENT)  # the chairperson holds members (holdParticipant)
    world.refused("200-003", "beginMute", OTHER_AGENT)
    world.refused("200-012", "transfer", OTHER_AGENT, body={"devicetype": 2, "mode": 0, "address": SUPERVISOR})
    world.refused("200-018", "innerHelp", OTHER_AGENT, body={"dstaddress": SUPERVISOR, "devicetype": 2, "mode": 2})
    assert world.names(SUPERVISOR) == [] and world.names(OTHER_AGENT) == [] and world.names(AGENT) == []
    assert [leg.state for leg in world[AGENT].calls[0].call.parties()] == [CallState.TALKING] * 3


def test_an_invitation_is_answered_and_rejected_by_the_conference_interfaces_only(world: SimulatedWorld) -> None:
    _chair(world)
    world.do("batchAddParticipant", AGENT, body={"addresses": [_agent(OTHER_AGENT)]})
    world.drain_all()
    world.refused("200-002", "answer", OTHER_AGENT)
    world.refused("200-002", "reject", OTHER_AGENT, body={"mode": 2})
    assert world.names(OTHER_AGENT) == [] and world[OTHER_AGENT].calls[0].state == CallState.RINGING


def test_a_supervisor_listening_to_the_chairs_call_comes_along_as_no_member(world: SimulatedWorld) -> None:
    world.model.login(SUPERVISOR, {"password": world.model.roster.password_of(SUPERVISOR), "phonenum": "7900"})
    world.customer_talking_to(AGENT)
    world.do("addSupervise", SUPERVISOR, path={"workNo": AGENT})
    world.drain_all()
    world.do("requestAgentConf", AGENT, body={"memberNum": 3})
    assert [change[0] for change in _changes(world, AGENT)] == [CUSTOMER]
    assert world.names(SUPERVISOR) == []
    assert world.model.inspection.describe(world[SUPERVISOR])["inspecting"] == [{"agent": AGENT, "mode": "listen"}]
    assert [member["address"] for member in world.model.conference.describe(world[AGENT])["members"]] == \
        [CUSTOMER, AGENT]
    world.do("releaseAgentConf", AGENT)
    assert world.names(SUPERVISOR) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
