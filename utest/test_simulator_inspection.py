"""Real-time inspection in the simulated gateway: a supervisor (900, inspector of the frontline group) listens to,
whispers to, barges in on and takes over agent 101's call with customer 88880001; forced states, forced release,
skill changes and the refusals. Events are checked against their schemas and the catalogue, as the server does."""

from __future__ import annotations

import pytest
from simulated_world import COLLEAGUES, CUSTOMER, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.roster import Roster, RosterError
from CCGatewayLibrary.simulator.world import Role

SUPERVISOR, AGENT, COLLEAGUE, BACKOFFICE = "900", "101", "102", "1000"
LISTEN, BARGE, WHISPER = 8, 9, 20172



@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """Agents 101, 102 and 103 idle with manual answer; supervisor 900 and back-office agent 1000 signed in."""
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    for number in (SUPERVISOR, BACKOFFICE):
        made.model.login(number, {"password": made.model.roster.password_of(number), "phonenum": "7" + number})
    made.drain_all()
    return made


def _inspecting(world: SimulatedWorld, interface: str = "addSupervise") -> str:
    """Agent 101 talks with the customer and the supervisor starts ``interface`` on it; returns the call ID."""
    callid = world.customer_talking_to(AGENT)
    if interface == "requestWhisperAgent":
        world.do(interface, SUPERVISOR, query={"whisperagentid": AGENT})
    else:
        world.do(interface, SUPERVISOR, path={"workNo": AGENT})
    world.drain_all()
    return callid


def _monitor_role(world: SimulatedWorld) -> Role:
    [leg] = world[SUPERVISOR].calls
    return leg.role


@pytest.mark.parametrize(("interface", "role", "qc_type"), [
    ("addSupervise", Role.LISTEN, LISTEN), ("addInsert", Role.BARGE, BARGE),
    ("requestWhisperAgent", Role.WHISPER, WHISPER)])
def test_a_supervisor_joins_an_agents_call_as_a_monitor(world: SimulatedWorld, interface: str, role: Role,
                                                        qc_type: int) -> None:
    world.customer_talking_to(AGENT)
    request = {"query": {"whisperagentid": AGENT}} if role is Role.WHISPER else {"path": {"workNo": AGENT}}
    world.do(interface, SUPERVISOR, **request)
    assert world.names(SUPERVISOR) == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook"]
    assert world.names(AGENT) == ["AgentOther_BeQcStart"]
    assert world.last[0]["content"] == {"qcType": qc_type, "qcAgentId": int(SUPERVISOR)}
    assert world[SUPERVISOR].state == AgentState.TALKING and _monitor_role(world) is role
    assert world.model.inspection.describe(world[SUPERVISOR])["inspecting"] == [{"agent": AGENT, "mode": role.value}]
    assert world.model.inspection.describe(world[AGENT])["inspectedBy"] == [{"agent": SUPERVISOR, "mode": role.value}]
    assert world.names(COLLEAGUE) == []


def test_who_hears_whom_follows_the_monitors_role() -> None:
    assert not Role.LISTEN.heard_by(Role.AGENT) and not Role.LISTEN.heard_by(Role.CUSTOMER)
    assert Role.WHISPER.heard_by(Role.AGENT) and not Role.WHISPER.heard_by(Role.CUSTOMER)
    assert Role.BARGE.heard_by(Role.AGENT) and Role.BARGE.heard_by(Role.CUSTOMER)


def test_a_phone_kept_off_hook_neither_alerts_nor_goes_off_hook(world: SimulatedWorld) -> None:
    world[SUPERVISOR].release_phone = False
    world.customer_talking_to(AGENT)
    world.do("addSupervise", SUPERVISOR, path={"workNo": AGENT})
    assert world.names(SUPERVISOR) == ["AgentState_Busy"]


def test_stopping_leaves_the_agents_call_going(world: SimulatedWorld) -> None:
    _inspecting(world, "addInsert")
    world.do("stopSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    assert world.names(SUPERVISOR) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world.names(AGENT) == ["AgentOther_BeQcStop"]
    assert world.last[0]["content"] == {"qcType": BARGE, "qcAgentId": int(SUPERVISOR)}
    assert world[SUPERVISOR].state == AgentState.IDLE and world[SUPERVISOR].calls == []
    assert [leg.role for leg in world[AGENT].calls[0].call.legs] == [Role.CUSTOMER, Role.AGENT]


def test_a_whisper_is_stopped_by_its_own_interface(world: SimulatedWorld) -> None:
    _inspecting(world, "requestWhisperAgent")
    world.refused("900-005", "stopSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    world.do("requestStopWhisperAgent", SUPERVISOR)
    assert world.names(AGENT) == ["AgentOther_BeQcStop"]
    assert world.last[0]["content"]["qcType"] == WHISPER
    assert world.names(SUPERVISOR) == ["AgentOther_PhoneRelease", "AgentState_Ready"]
    world.refused("900-005", "requestStopWhisperAgent", SUPERVISOR)


def test_switching_modes_announces_the_new_one_to_the_agent(world: SimulatedWorld) -> None:
    _inspecting(world)
    world.do("switchSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    assert _monitor_role(world) is Role.BARGE
    world.do("switchSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    assert _monitor_role(world) is Role.LISTEN
    world.do("requestSwitchInsertWhisperAgent", SUPERVISOR, query={"switchtype": "2", "whisperagentid": AGENT})
    assert _monitor_role(world) is Role.WHISPER
    world.refused("900-005", "switchSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    world.refused("900-005", "requestSwitchInsertWhisperAgent", SUPERVISOR, query={"switchtype": "2"})
    world.do("requestSwitchInsertWhisperAgent", SUPERVISOR, query={"switchtype": "1"})
    world.names(AGENT)
    assert [event["content"]["qcType"] for event in world.last] == [BARGE, LISTEN, WHISPER, BARGE]
    assert world.names(SUPERVISOR) == []


@pytest.mark.parametrize("interface", ["intercept", "interceptCall"])
def test_intercepting_hands_the_customer_to_the_supervisor(world: SimulatedWorld, interface: str) -> None:
    callid = _inspecting(world, "requestWhisperAgent")
    path = {"workNo": AGENT} | ({"callId": callid} if interface == "interceptCall" else {})
    world.do(interface, SUPERVISOR, path=path)
    assert world.names(SUPERVISOR) == ["AgentEvent_Talking"]
    assert world.names(AGENT) == ["AgentOther_BeQcStop", "AgentEvent_Call_Release", "AgentEvent_Customer_Release",
                                  "AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world[AGENT].calls == [] and world[AGENT].state == AgentState.IDLE
    [leg] = world[SUPERVISOR].calls
    assert leg.role is Role.AGENT and [other.number for other in leg.call.others(leg)] == [CUSTOMER]
    world.model.customer_hangs_up(callid)
    assert world.names(SUPERVISOR)[-1] == "AgentState_Ready"


def test_intercepting_a_call_the_supervisor_does_not_inspect_is_refused(world: SimulatedWorld) -> None:
    _inspecting(world)
    world.refused("900-005", "interceptCall", SUPERVISOR, path={"workNo": AGENT, "callId": "1455885056-1095"})
    world.refused("900-005", "intercept", SUPERVISOR, path={"workNo": COLLEAGUE})


def test_a_customer_who_hangs_up_releases_the_supervisor_too(world: SimulatedWorld) -> None:
    callid = _inspecting(world)
    world.model.customer_hangs_up(callid)
    assert world.names(SUPERVISOR) == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release",
                                       "AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world[SUPERVISOR].calls == [] and world[SUPERVISOR].state == AgentState.IDLE


@pytest.mark.parametrize(("interface", "agent_id", "retcode"), [
    ("addSupervise", COLLEAGUE, "900-005"),  # no call to inspect
    ("addSupervise", SUPERVISOR, "000-005"),  # oneself
    ("addSupervise", BACKOFFICE, "900-002"),  # a group the supervisor has no rights over
    ("addSupervise", "103", "900-005"),
    ("addInsert", "104", "100-006"),  # not signed in
    ("stopSuperviseOrInsert", AGENT, "900-005"),  # nothing being inspected
    ("switchSuperviseOrInsert", AGENT, "900-005"),
    ("forceBusy", BACKOFFICE, "900-002"),
    ("forceIdle", SUPERVISOR, "000-005"),
    ("forceLogOutAgent", "104", "100-006"),
])
def test_refusals_name_the_rule(world: SimulatedWorld, interface: str, agent_id: str, retcode: str) -> None:
    world.refused(retcode, interface, SUPERVISOR, path={"workNo": agent_id})


def test_an_agent_without_inspector_rights_is_refused(world: SimulatedWorld) -> None:
    world.customer_talking_to(COLLEAGUE)
    world.refused("900-002", "addSupervise", AGENT, path={"workNo": COLLEAGUE})
    world.refused("900-002", "forceBusy", AGENT, path={"workNo": COLLEAGUE})
    world.refused("900-002", "queryAllMonitoredAgents", AGENT)
    world.refused("900-002", "beginMonitor", AGENT)


def test_whispering_needs_an_agent_and_an_idle_supervisor(world: SimulatedWorld) -> None:
    world.refused("900-004", "requestWhisperAgent", SUPERVISOR)
    _inspecting(world)
    world.customer_talking_to(COLLEAGUE)
    world.refused("900-005", "requestWhisperAgent", SUPERVISOR, query={"whisperagentid": COLLEAGUE})


def test_forced_states_go_through_the_state_table(world: SimulatedWorld) -> None:
    world.do("forceBusy", SUPERVISOR, path={"workNo": AGENT})
    assert world.names(AGENT) == ["AgentState_SetNotReady_Success"]
    assert world.last[0]["content"] == {"reason": "3"}
    world.do("forceRest", SUPERVISOR, path={"workNo": AGENT, "time": "60", "reason": "5"})
    assert world.names(AGENT) == ["AgentState_SetRest_Success"] and world.last[0]["content"] == {"reason": "5"}
    assert world[AGENT].state == AgentState.REST
    world.do("forceIdle", SUPERVISOR, path={"workNo": AGENT})
    assert world.names(AGENT) == ["AgentState_CancelRest_Success", "AgentState_Ready"]
    assert world.names(SUPERVISOR) == []


def test_forced_states_are_refused_during_a_call_but_a_forced_sign_out_releases_it(world: SimulatedWorld) -> None:
    _inspecting(world)
    world.refused("900-005", "forceBusy", SUPERVISOR, path={"workNo": AGENT})
    world.do("forceLogOutAgent", SUPERVISOR, path={"workNo": AGENT})
    assert world.names(AGENT) == ["AgentOther_ShutdownService"]
    assert not world[AGENT].signed_in
    # The call ended with the agent gone; the supervisor listening to it is released as well.
    assert world.names(SUPERVISOR) == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release",
                                       "AgentOther_PhoneRelease", "AgentState_Ready"]


def test_a_signed_out_supervisor_leaves_the_call_without_telling_the_parties(world: SimulatedWorld) -> None:
    _inspecting(world, "addInsert")
    world.model.change_state(world[SUPERVISOR], "forceLogout", {})
    assert world.names(AGENT) == []
    assert [leg.role for leg in world[AGENT].calls[0].call.legs] == [Role.CUSTOMER, Role.AGENT]


def test_a_forced_release_ends_the_call_for_everyone_on_it(world: SimulatedWorld) -> None:
    callid = _inspecting(world)
    world.do("forceDropCall", SUPERVISOR, path={"callid": callid})
    released = ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"]
    assert world.names(AGENT) == released and world.names(SUPERVISOR) == released
    assert world.model.calls == {}
    world.refused("900-004", "forceDropCall", SUPERVISOR, path={"callid": callid})


def test_a_forced_release_of_another_groups_call_is_refused(world: SimulatedWorld) -> None:
    callid = world.model.offer_inbound_call(CUSTOMER, BACKOFFICE)
    world.refused("900-002", "forceDropCall", SUPERVISOR, path={"callid": callid})


def test_adjusting_skills_replaces_the_agents_queues(world: SimulatedWorld) -> None:
    world.do("adjustSkill", SUPERVISOR, body={"workNo": AGENT, "skills": [2]})
    assert [skill.id for skill in world[AGENT].active_skills] == [2]
    world.refused("100-001", "adjustSkill", SUPERVISOR, body={"workNo": AGENT, "skills": [99]})
    world.refused("100-001", "adjustSkill", SUPERVISOR, body={"skills": [1]})
    world.refused("900-002", "adjustSkill", SUPERVISOR, body={"workNo": BACKOFFICE, "skills": [1]})


def test_the_inspected_agents_are_listed(world: SimulatedWorld) -> None:
    assert world.do("queryAllMonitoredAgents", SUPERVISOR) == []
    _inspecting(world, "addInsert")
    assert world.do("queryAllMonitoredAgents", SUPERVISOR) == [{"workNo": AGENT, "qcType": BARGE}]
    assert world.do("queryQcTasks", SUPERVISOR) is None


def test_the_built_in_roster_has_inspectors_over_the_frontline() -> None:
    roster = Roster.load()
    assert roster.may_inspect(SUPERVISOR, AGENT) and not roster.may_inspect(SUPERVISOR, BACKOFFICE)
    assert not roster.may_inspect(AGENT, COLLEAGUE) and not roster.may_inspect(SUPERVISOR, "901")


def test_a_roster_that_inspects_an_unnamed_group_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "roster.json"
    path.write_text('{"agents": [{"ids": "101", "password": "x", "group": "a"}, '
                    '{"ids": "900", "password": "x", "inspects": ["b"]}]}', encoding="utf-8")
    with pytest.raises(RosterError, match=r"agents\[1\]\.inspects: no group is named b; .*known: a, agents"):
        Roster.load(path)


@pytest.mark.parametrize(("path", "interface"), [
    ("/agentgateway/resource/qualitycontrol/900/deleteqctask", "deleteQcTask"),
    ("/agentgateway/resource/qualitycontrol/900/101", "stopSuperviseOrInsert"),
])
def test_a_literal_segment_wins_over_a_placeholder_in_the_same_place(path: str, interface: str) -> None:
    import asyncio

    from aiohttp.test_utils import make_mocked_request

    from CCGatewayLibrary.simulator.server import GatewaySimulator

    app = GatewaySimulator().app()
    match = asyncio.run(app.router.resolve(make_mocked_request("DELETE", path, app=app)))
    assert match.route.name == interface


def test_in_a_call_with_two_agents_the_inspection_concerns_the_agent_named(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("innerHelp", AGENT, body={"dstaddress": COLLEAGUE, "devicetype": 2, "mode": 2, "holdflag": False})
    world.do("answer", COLLEAGUE)
    world.drain_all()
    [helper_leg] = world[COLLEAGUE].calls
    assert helper_leg.callid == world[AGENT].calls[0].callid  # a three-party call: both agents in one call
    world.do("addSupervise", SUPERVISOR, path={"workNo": COLLEAGUE})
    assert world.names(COLLEAGUE) == ["AgentOther_BeQcStart"] and world.names(AGENT) == []
    assert world.model.inspection.describe(world[AGENT])["inspectedBy"] == []
    world.refused("900-005", "stopSuperviseOrInsert", SUPERVISOR, path={"workNo": AGENT})
    world.do("stopSuperviseOrInsert", SUPERVISOR, path={"workNo": COLLEAGUE})
    assert world.names(COLLEAGUE) == ["AgentOther_BeQcStop"] and world.names(AGENT) == []
