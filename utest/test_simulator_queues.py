"""Skill queues in the simulated gateway: a call to a skill (or its access code) goes to the free agent idle longest,
or waits in arrival order until an agent with the skill becomes free, however it became free; callers give up; the
queue figures and statistics count what happened; the queue and monitoring routes answer from it. Events and
replies are checked against the catalogue, as the server does."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from simulated_world import COLLEAGUES, CUSTOMER, OTHER_NUMBER, START, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster, RosterError
from CCGatewayLibrary.simulator.world import SimulationError
from CCGatewayLibrary.version import VERSION

AGENT, COLLEAGUE, THIRD = COLLEAGUES
BILLING, NOBODYS = 2, 3  # roster skill queues: billing (every agent has it), sales (no agent has it)
THIRD_CALLER = "88880003"
OFFERED = ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Auto_Answer",
           "AgentEvent_Talking"]


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    return worlds()


def _sign_in(world: SimulatedWorld, *agent_ids: str, status: str = "4") -> None:
    """Signs the agents in one second apart (auto answer), each idle (status 4) or busy (3); drains events."""
    for agent_id in agent_ids:
        world.sign_in(agent_id, status=status, autoanswer="true")
        world.clock.advance(1)
    world.drain_all()


def _call(world: SimulatedWorld, caller: str = CUSTOMER, skill: int = BILLING, **more: object) -> dict[str, object]:
    called = world.model.queue_inbound_call(caller, skill, **more)  # type: ignore[arg-type]
    world.clock.advance(1)
    return called


def _talking_with(world: SimulatedWorld, agent_id: str) -> list[str]:
    """The callers the agent is in a call with."""
    return [other.number for leg in world[agent_id].calls for other in leg.call.others(leg)]


def _waiting(world: SimulatedWorld, skill: int = BILLING) -> list[str]:
    return [call["caller"] for call in world.do("queryWaitCallInfoBySkillId", AGENT, path={"skillid": str(skill)})]


def test_a_call_goes_to_the_free_agent_idle_longest(world: SimulatedWorld) -> None:
    _sign_in(world, *COLLEAGUES)
    world.do("sayBusy", AGENT)
    world.do("sayFree", AGENT)  # 101 is free again, now the one free the shortest time
    world.drain_all()

    called = _call(world)

    assert called == {"callid": called["callid"], "queued": False, "agent": COLLEAGUE}
    assert _talking_with(world, COLLEAGUE) == [CUSTOMER]
    assert world.names(COLLEAGUE) == OFFERED
    assert world.last[-1]["content"]["callid"] == called["callid"]
    assert _talking_with(world, THIRD) == []
    _call(world, OTHER_NUMBER)
    assert _talking_with(world, THIRD) == [OTHER_NUMBER]


def test_an_access_code_reaches_its_skill_queue(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT)
    called = world.model.queue_inbound_call(CUSTOMER, access_code="60002")
    assert called["agent"] == AGENT
    assert world[AGENT].calls[0].call.skill == BILLING and world[AGENT].calls[0].call.called == "60002"


def test_an_agent_not_signed_in_to_the_skill_gets_no_call(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, COLLEAGUE)
    world[AGENT].active_skills = tuple(skill for skill in world[AGENT].active_skills if skill.id != BILLING)
    assert _call(world)["agent"] == COLLEAGUE


def test_calls_wait_in_arrival_order_while_every_agent_is_busy(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, COLLEAGUE, status="3")
    for caller in (CUSTOMER, OTHER_NUMBER, THIRD_CALLER):
        assert _call(world, caller)["queued"] is True

    assert world.do("queryQueueLengthBySkillId", AGENT, path={"skillid": str(BILLING)}) == 3
    assert _waiting(world) == [CUSTOMER, OTHER_NUMBER, THIRD_CALLER]
    world.do("sayFree", COLLEAGUE)
    assert _talking_with(world, COLLEAGUE) == [CUSTOMER]
    assert world.names(COLLEAGUE) == ["AgentState_CancelNotReady_Success", "AgentState_Ready", *OFFERED]
    world.do("sayFree", AGENT)
    assert _talking_with(world, AGENT) == [OTHER_NUMBER]
    assert _waiting(world) == [THIRD_CALLER]


def _ready(world: SimulatedWorld) -> None:
    world.do("sayFree", AGENT)


def _work_ends(world: SimulatedWorld) -> None:
    world.do("sayWork", AGENT)
    world.do("cancelWork", AGENT)


def _call_ends(world: SimulatedWorld) -> None:
    world.do("sayFree", AGENT)  # takes the first waiting call; the second waits on
    world.do("release", AGENT)


def _signs_in(world: SimulatedWorld) -> None:
    world.do("logout", AGENT)
    world.sign_in(AGENT, autoanswer="true")


@pytest.mark.parametrize("becomes_free", [_ready, _work_ends, _call_ends, _signs_in],
                         ids=["ready", "end of after-call work", "end of a call", "sign-in"])
def test_a_waiting_call_is_offered_as_soon_as_an_agent_becomes_free(
        world: SimulatedWorld, becomes_free: Callable[[SimulatedWorld], None]) -> None:
    _sign_in(world, AGENT, status="3")
    _call(world, CUSTOMER)
    _call(world, OTHER_NUMBER)
    world.caused.clear()

    becomes_free(world)

    expected = OTHER_NUMBER if becomes_free is _call_ends else CUSTOMER
    assert _talking_with(world, AGENT) == [expected]
    assert world[AGENT].state == AgentState.TALKING
    # The platform routes the call: its events are nobody's request's.
    assert ("sayFree", "AgentEvent_Talking") not in world.caused


def test_after_call_work_keeps_the_call_waiting_until_the_work_ends(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, autoanswer="true", autoenteridle="false")
    world.clock.advance(1)
    first = _call(world)
    _call(world, OTHER_NUMBER)
    world.model.customer_hangs_up(str(first["callid"]))
    assert world[AGENT].state == AgentState.WORK and _waiting(world) == [OTHER_NUMBER]
    world.do("cancelWork", AGENT)
    assert _talking_with(world, AGENT) == [OTHER_NUMBER]


def test_a_caller_gives_up_while_waiting(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")
    first = _call(world, CUSTOMER)
    _call(world, OTHER_NUMBER)

    gave_up = world.model.caller_gives_up(str(first["callid"]))

    assert gave_up == {"gaveUp": first["callid"], "skill": BILLING, "waited": 2.0}
    assert str(first["callid"]) not in world.model.calls
    world.do("sayFree", AGENT)
    assert _talking_with(world, AGENT) == [OTHER_NUMBER]
    with pytest.raises(SimulationError, match=r"no call \S+ is waiting in a skill queue"):
        world.model.caller_gives_up(str(first["callid"]))
    assert world.model.queues.statistics(BILLING)["abandoned"] == 1


def test_a_customer_hanging_up_while_waiting_is_an_abandoned_call(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")
    first = _call(world, CUSTOMER)
    _call(world, OTHER_NUMBER)
    world.model.customer_hangs_up(str(first["callid"]))
    assert _waiting(world) == [OTHER_NUMBER]
    assert world.model.queues.statistics(BILLING)["abandoned"] == 1
    world.do("sayFree", AGENT)
    assert _talking_with(world, AGENT) == [OTHER_NUMBER]


def test_patience_runs_out_on_the_simulators_time_scale(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(time_scale=0.5))
    _sign_in(world, AGENT, status="3")
    _call(world, CUSTOMER, patience=30)
    answered = _call(world, OTHER_NUMBER, patience=30)
    assert world.timers.delays[-2:] == [15.0, 15.0]
    world.do("sayFree", AGENT)  # takes the first; its timer must then do nothing
    world.timers.run_all()
    assert _talking_with(world, AGENT) == [CUSTOMER]
    assert _waiting(world) == []
    assert world.model.queues.statistics(BILLING)["abandoned"] == 1
    assert answered["queued"] is True


def test_unknown_queues_and_access_codes_are_refused_by_name(world: SimulatedWorld) -> None:
    with pytest.raises(SimulationError, match="no skill queue has access code 99999; the roster's are 60001, 60002"):
        world.model.queue_inbound_call(CUSTOMER, access_code="99999")
    with pytest.raises(SimulationError, match="the VDN has no skill queue 42"):
        world.model.queue_inbound_call(CUSTOMER, 42)
    with pytest.raises(SimulationError, match="give either skill or access_code"):
        world.model.queue_inbound_call(CUSTOMER)


def test_statistics_count_what_happened(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")  # t = START + 1 after this
    first = _call(world, CUSTOMER)  # waits from START + 1
    _call(world, OTHER_NUMBER)  # waits from START + 2
    gone = _call(world, THIRD_CALLER)
    world.model.caller_gives_up(str(gone["callid"]))
    world.clock.advance(2)  # START + 6
    world.do("sayFree", AGENT)  # answers the first after 5 s
    world.clock.advance(30)
    world.model.customer_hangs_up(str(first["callid"]))  # 30 s of talk; the second follows after 34 s
    world.clock.advance(10)
    world.do("release", AGENT)

    expected = {"offered": 3, "answered": 2, "abandoned": 1, "averageWait": 19.5, "talkTime": 40.0}
    statistics = world.do("querySkillsStatisticInfo", AGENT, path={"skillid": str(BILLING)})
    assert statistics == {"skillId": BILLING, "name": "billingQueue", "accessCode": "60002", "queueSize": 0,
                          "longestWait": 0, **expected, "loggedOnAgents": 1, "availAgents": 1}
    assert world.model.queues.agent_statistics(AGENT) == {**expected, "offered": 2, "abandoned": 0}
    assert world.model.queues.agent_statistics(COLLEAGUE) == {"offered": 0, "answered": 0, "abandoned": 0,
                                                            "averageWait": 0, "talkTime": 0}


def test_a_call_rung_but_not_answered_counts_as_offered_only(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, autoanswer="false")
    called = _call(world)
    world.model.customer_hangs_up(str(called["callid"]))
    assert world.model.queues.agent_statistics(AGENT) == {"offered": 1, "answered": 0, "abandoned": 0,
                                                          "averageWait": 0, "talkTime": 0}


def test_the_acd_statistics_describe_the_queues_asked_for(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, COLLEAGUE)
    world.do("sayBusy", COLLEAGUE)
    _call(world, CUSTOMER, NOBODYS)
    world.clock.advance(7)
    found = world.do("queryStatInfoOfAcd", AGENT, body={"skills": [str(NOBODYS), BILLING, 77]})
    assert [(item["deviceNo"], item["pilotNbr"], item["queueSize"], item["queueTime"], item["loggedOnAgents"],
             item["availAgents"]) for item in found] == [(NOBODYS, "60003", 1, 8, 0, 0), (BILLING, "60002", 0, 0, 2, 1)]
    assert found[1]["resourceIdleRate"] == 50
    assert [item["deviceNo"] for item in world.do("querySkillStatWithVdn", AGENT)] == [1, BILLING, NOBODYS]


def test_queue_lengths_over_the_agents_queues(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")
    _call(world, CUSTOMER, BILLING)
    _call(world, OTHER_NUMBER, 1)
    _call(world, THIRD_CALLER, NOBODYS)
    world[AGENT].active_skills = world[AGENT].active_skills[:1]  # signed in to queue 1 only
    assert world.do("queryQueueLengthOnAgent", AGENT) == 2  # configured: 1 and 2
    assert world.do("queryQueueLengthOnAgentSkills", AGENT) == 1
    assert world.do("querySystemStateInfo", AGENT)["waitingCalls"] == 3


def test_the_waiting_calls_are_described_as_the_call_info_queries_do(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")
    called = _call(world)
    world.clock.advance(4)
    [waiting] = world.do("queryWaitCallInfoBySkillId", AGENT, path={"skillid": str(BILLING)})
    assert {key: waiting[key] for key in ("callid", "caller", "called", "callskill", "callskillid", "waitTime",
                                          "begintime")} == {
        "callid": called["callid"], "caller": CUSTOMER, "called": "60002", "callskill": "billingQueue",
        "callskillid": BILLING, "waitTime": 5, "begintime": int((START + 1) * 1000)}


def test_the_vdn_lists_its_queues_access_codes_and_ivrs(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, COLLEAGUE)
    queues = world.do("querySkillQueueOnAgentVDN", AGENT)
    assert [(queue["id"], queue["name"], queue["mediatype"]) for queue in queues] == [
        (1, "defaultMediaSkill", 53), (BILLING, "billingQueue", 53), (NOBODYS, "salesVoice", 5)]
    assert world.do("querySkillQueueOnVDN", AGENT, path={"vdnid": "1"}) == queues
    assert [(code["inno"], code["id"], code["vdnid"]) for code in world.do("queryInNoOnVDN", AGENT)] == [
        ("60001", 1, 1), ("60002", BILLING, 1), ("60003", NOBODYS, 1)]
    assert world.do("queryIVRInfoOnVdn", AGENT) == [{"access": "60010", "id": 1, "description": "main menu",
                                                      "serviceNo": "1"}]
    world[COLLEAGUE].active_skills = world[COLLEAGUE].active_skills[1:]
    assert world.do("querySkillQueueOnAgent", AGENT, path={"workNo": COLLEAGUE}) == [
        {"name": "billingQueue", "id": BILLING, "mediatype": 53}]


def test_the_monitoring_routes_answer_from_the_world(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, COLLEAGUE)
    assert world.do("queryServerTime", AGENT) == int(world.clock.now * 1000)
    assert world.do("querySysVersion", AGENT) == f"ccgw-sim {VERSION}"
    assert world.do("queryClusterInfo", AGENT) == [{"name": "AgentGateway0", "state": "running", "agents": 2}]
    assert world.do("queryClusterInfoByName", AGENT, path={"clustername": "AgentGateway0"})["agents"] == 2
    assert world.do("queryAgentClusterInfo", AGENT, path={"workno": COLLEAGUE}) == {"workNo": COLLEAGUE,
                                                                                    "node": "AgentGateway0"}
    assert [node["workNo"] for node in world.do("queryAllAgentClusterInfo", AGENT)] == [AGENT, COLLEAGUE]
    world.do("setAgentTimeOut", AGENT, path={"flag": "false"})
    assert world.do("querySystemStateInfo", AGENT)["agentTimeout"] is False
    world.do("setMaxChatNum", AGENT, path={"vdnid": "1", "chatnum": "4"})
    assert world.model.queues.max_chats == {1: 4}


@pytest.mark.parametrize(("interface", "path", "retcode"), [
    ("queryQueueLengthBySkillId", {"skillid": "42"}, "000-002"),
    ("queryWaitCallInfoBySkillId", {"skillid": "42"}, "000-002"),
    ("querySkillsStatisticInfo", {"skillid": "42"}, "000-002"),
    ("querySkillQueueOnVDN", {"vdnid": "2"}, "000-002"),
    ("setMaxChatNum", {"vdnid": "2", "chatnum": "4"}, "000-002"),
    ("querySkillQueueOnAgent", {"workNo": "5000"}, "000-002"),
    ("querySkillQueueOnAgent", {"workNo": THIRD}, "100-006"),
    ("queryClusterInfoByName", {"clustername": "AgentGateway9"}, "000-002"),
    ("queryAgentClusterInfo", {"workno": "5000"}, "000-002"),
    ("queryAgentClusterInfo", {"workno": THIRD}, "100-006"),
])
def test_refusals_name_what_is_not_there(world: SimulatedWorld, interface: str, path: dict[str, str],
                                         retcode: str) -> None:
    _sign_in(world, AGENT)
    world.refused(retcode, interface, AGENT, path=path)


def test_free_agent_heaps_stay_near_the_number_of_free_agents(world: SimulatedWorld) -> None:
    _sign_in(world, *COLLEAGUES)
    for _ in range(500):
        world.do("sayBusy", AGENT)
        world.do("sayFree", AGENT)
    assert max(len(queue.free) for queue in world.model.queues.queues.values()) <= 4 * 16 + 1
    world.drain_all()
    assert _call(world)["agent"] == COLLEAGUE  # the stale entries did not make 101 look free longest


def test_an_agent_free_for_two_queues_gets_the_call_that_waited_longest_in_either(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT, status="3")
    _call(world, CUSTOMER, BILLING)
    _call(world, OTHER_NUMBER, 1)  # queue 1 comes first among the agent's skills, but this call came later
    world.do("sayFree", AGENT)
    assert _talking_with(world, AGENT) == [CUSTOMER]


def test_the_agents_call_statistics_count_what_it_did(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, autoanswer="false")  # idle from START
    world.clock.advance(1)
    direct = world.offer_call(AGENT)  # to the agent by name, answered after 2 s of ringing
    world.clock.advance(2)
    world.do("answer", AGENT)
    world.clock.advance(20)
    world.model.customer_hangs_up(direct)
    world.do("sayBusy", AGENT)
    world.clock.advance(30)
    world.do("sayFree", AGENT)
    world.do("rest", AGENT, path={"time": "60", "restcause": "3"})
    world.clock.advance(15)
    world.do("cancelRest", AGENT)
    world.do("callout", AGENT, body={"called": OTHER_NUMBER})
    world.timers.run_all()  # the far end answers
    world.clock.advance(5)
    world.do("release", AGENT)
    routed = _call(world)  # from the queue, ringing
    world.do("answer", AGENT)
    world.clock.advance(10)
    world.model.customer_hangs_up(str(routed["callid"]))

    statistics = world.do("queryCallStatisticsInfo", AGENT)
    assert {name: value for name, value in statistics.items() if value} == {
        "talktime": 35, "answernums": 2, "calloutnums": 1, "busynums": 1, "busytime": 30, "restnums": 1,
        "resttime": 15}
    assert len(statistics) == 18
    assert world.do("queryCallStatisticsInfoEx", AGENT) == {"talktime": 35, "answernums": 2, "calloutnums": 1}
    assert world.model.queues.agent_statistics(AGENT) == {"offered": 1, "answered": 2, "abandoned": 0,
                                                          "averageWait": 0, "talkTime": 35.0}


def test_the_ivrs_hold_no_calls(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT)
    assert world.do("queryCallCountByIVRId", AGENT, path={"ivrid": "1"}) == 0
    assert world.do("queryWaitCallInfoByIVRId", AGENT, path={"ivrid": "1"}) == []
    world.refused("000-002", "queryCallCountByIVRId", AGENT, path={"ivrid": "9"})
    world.refused("000-002", "queryWaitCallInfoByIVRId", AGENT, path={"ivrid": "9"})


def _counted_by_hand(world: SimulatedWorld) -> tuple[dict[int, int], dict[int, int]]:
    signed_in = dict.fromkeys(world.model.queues.queues, 0)
    free = dict(signed_in)
    for agent in world.model.agents.values():
        for skill in agent.active_skills if agent.signed_in else ():
            signed_in[skill.id] += 1
            free[skill.id] += agent.state == AgentState.IDLE and not agent.calls
    return signed_in, free


def test_the_agents_counted_per_queue_follow_every_change(world: SimulatedWorld) -> None:
    steps: list[Callable[[], object]] = [
        lambda: _sign_in(world, *COLLEAGUES),
        lambda: world.do("sayBusy", AGENT),
        lambda: world.do("resetSkill", COLLEAGUE, path={"autoflag": "false"}, query={"skillid": "1"}),
        lambda: world.offer_call(THIRD),
        lambda: world.do("rest", AGENT, path={"time": "60", "restcause": "3"}),
        lambda: _sign_in(world, "900"),
        lambda: world.do("adjustSkill", "900", body={"workNo": THIRD, "skills": [BILLING]}),
        lambda: world.do("release", THIRD),
        lambda: world.do("logout", COLLEAGUE),
    ]
    for step in steps:
        step()
        assert world.model.queues._agents_per_skill() == _counted_by_hand(world)
    assert world.model.queues._agents_per_skill()[0] == {1: 2, BILLING: 3, NOBODYS: 0}


def test_an_idle_agent_signed_in_to_a_queue_gets_its_waiting_call_at_once(world: SimulatedWorld) -> None:
    _sign_in(world, AGENT)
    world.do("resetSkill", AGENT, path={"autoflag": "false"}, query={"skillid": "1"})
    _call(world)  # to billing, which 101 is no longer signed in to: waits
    assert _talking_with(world, AGENT) == []
    world.do("resetSkill", AGENT, path={"autoflag": "true"})
    assert _talking_with(world, AGENT) == [CUSTOMER]


def test_a_call_rejected_back_to_its_queue_waits_first_and_goes_to_the_next_free_agent(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, autoanswer="false")
    world.clock.advance(1)
    first = _call(world)  # rings at 101
    second = _call(world, OTHER_NUMBER)  # waits
    world.drain_all()

    world.do("reject", AGENT, body={"mode": 1})

    assert world[AGENT].state == AgentState.BUSY
    assert [call["callid"] for call in world.do("queryWaitCallInfoBySkillId", AGENT, path={"skillid": "2"})] == [
        first["callid"], second["callid"]]
    world.sign_in(COLLEAGUE, autoanswer="true")
    assert _talking_with(world, COLLEAGUE) == [CUSTOMER]
    assert world.model.queues.agent_statistics(AGENT)["offered"] == 1
    assert world.model.queues.statistics(BILLING)["offered"] == 2  # offered to the queue once


def test_a_rejected_call_without_its_queue_ends(world: SimulatedWorld) -> None:
    world.sign_in(AGENT, autoanswer="false")
    called = _call(world)
    world.do("reject", AGENT, body={"mode": 2})
    assert _waiting(world) == [] and str(called["callid"]) not in world.model.handles
    world.sign_in(COLLEAGUE, autoanswer="false")
    direct = world.offer_call(COLLEAGUE)  # not from a queue: mode 1 cannot send it anywhere
    world.do("reject", COLLEAGUE, body={"mode": 1})
    assert _waiting(world) == [] and direct not in world.model.handles


AGENTS = [{"ids": "101-102", "password": "x", "skills": [{"id": 7, "name": "billing", "mediatype": 5}]}]


def test_a_roster_names_its_queues_vdn_and_ivrs(tmp_path: Path) -> None:
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"agents": AGENTS, "vdn": 4, "ivrs": [{"id": 2, "access": "5100"}],
                                "skills": [{"id": 9, "name": "sales", "mediatype": 5, "accessCode": "5109"}]}),
                    encoding="utf-8")
    roster = Roster.load(path)
    assert (roster.vdn, [ivr.access for ivr in roster.ivrs]) == (4, ["5100"])
    assert {skill: queue.access_code for skill, queue in roster.queues.items()} == {9: "5109", 7: ""}


@pytest.mark.parametrize(("extra", "message"), [
    ({"skills": {"id": 1}}, "skills: must be a list of skill queues"),
    ({"skills": [{"id": "a", "name": "x", "mediatype": 5}]}, "skills[0]: needs id (a number), name and mediatype"),
    ({"skills": [{"id": 1, "name": "x", "mediatype": 5}, {"id": 1, "name": "y", "mediatype": 5}]},
     "skills[1]: skill queue 1 is listed twice"),
    ({"skills": [{"id": 1, "name": "x", "mediatype": 5, "accessCode": "6"},
                 {"id": 2, "name": "y", "mediatype": 5, "accessCode": "6"}]},
     "skills[1].accessCode: 6 already reaches another queue"),
    ({"vdn": "one"}, "vdn: must be a whole number, the VDN's ID, got 'one'"),
    ({"ivrs": [{"id": 1}]}, "ivrs: each needs id (a number) and access (text)"),
])
def test_a_roster_with_broken_queues_is_refused_naming_the_place(tmp_path: Path, extra: dict[str, object],
                                                                 message: str) -> None:
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"agents": AGENTS, **extra}), encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        Roster.load(path)
    assert message in str(caught.value)
