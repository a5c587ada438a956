"""Agent and group queries in the simulated gateway (the agentgroup chapter): answered from the built-in roster
(agents 101-899 in group frontline, 900-999 supervisors inspecting frontline, 1000-1100 backoffice; all configured
for skills 1 and 2) and the live states. Replies are checked against their schemas by the harness."""

from __future__ import annotations

import pytest
from simulated_world import AGENT, OTHER_AGENT, THIRD_AGENT, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState

SUPERVISOR, BACKOFFICE = "900", "1000"


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """101 talks with a customer, 102 is idle, 103 is busy, supervisor 900 and back-office 1000 idle."""
    made = worlds()
    made.sign_in_all(AGENT, OTHER_AGENT, SUPERVISOR, BACKOFFICE, auto_answer=True)
    made.agent_in(AgentState.BUSY, THIRD_AGENT)
    made.offer_call(AGENT)
    made.drain_all()
    return made


def _worknos(agents: list[dict[str, object]]) -> list[object]:
    return [agent["workno"] for agent in agents]


def test_an_agents_details_tell_its_state_group_skills_and_calls(world: SimulatedWorld) -> None:
    world.clock.advance(30)
    info = world.do("queryAgentInfoByWorkNo", OTHER_AGENT, path={"workno": AGENT})
    [leg] = world[AGENT].calls
    assert info["workno"] == AGENT and info["status"] == AgentState.TALKING and info["ctiStatus"] == 5
    assert (info["groupid"], info["groupname"]) == (1, "frontline")
    assert [skill["id"] for skill in info["skilllist"]] == [1, 2]
    assert info["callids"] == [leg.callid] and info["phonenumber"] == "70001"
    assert info["currentstatetime"] == 30 and info["logindate"] == world[AGENT].login_time


def test_an_agent_who_is_not_signed_in_is_described_as_signed_out(world: SimulatedWorld) -> None:
    info = world.do("queryAgentInfoByWorkNo", AGENT, path={"workno": "104"})
    assert (info["status"], info["ctiStatus"], info["mediatype"], info["callids"]) == (2, 0, "FFF", [])


def test_an_agent_the_vdn_does_not_have_is_refused(world: SimulatedWorld) -> None:
    world.refused("300-002", "queryAgentInfoByWorkNo", AGENT, path={"workno": "99999"})
    world.refused("300-002", "queryGroupInfoByWorkNo", AGENT, path={"workno": "99999"})


def test_idle_agents_are_the_signed_in_idle_agents_without_a_call(world: SimulatedWorld) -> None:
    assert _worknos(world.do("getIdleStatusAgents", AGENT)) == [OTHER_AGENT, SUPERVISOR, BACKOFFICE]
    world.model.change_state(world[OTHER_AGENT], "sayBusy", world.request("sayBusy", OTHER_AGENT))
    assert _worknos(world.do("getIdleStatusAgents", AGENT)) == [SUPERVISOR, BACKOFFICE]


def test_agents_by_state(world: SimulatedWorld) -> None:
    assert _worknos(world.do("getAgentListByStatus", AGENT, query={"status": "3"})) == [THIRD_AGENT]
    assert _worknos(world.do("getAgentListByStatus", AGENT, query={"status": "7"})) == [AGENT]
    assert len(world.do("getAgentListByStatus", AGENT)) == 5


def test_agents_by_skill_follow_the_skills_signed_in_to(world: SimulatedWorld) -> None:
    assert len(world.do("queryAgentInfoBySkillId", AGENT, path={"skillid": "2"}, body={})) == 5
    world.do("adjustSkill", SUPERVISOR, body={"workNo": OTHER_AGENT, "skills": [1]})
    in_two = world.do("queryAgentInfoBySkillId", AGENT, path={"skillid": "2"}, body={})
    assert OTHER_AGENT not in _worknos(in_two)
    assert OTHER_AGENT not in world.do("queryAgentIdsBySkillId", AGENT, path={"skillid": "2"})
    assert world.do("queryAgentInfoBySkillId", AGENT, path={"skillid": "9"}, body={}) == []


def test_agents_by_skill_with_a_state_filter_and_a_limit(world: SimulatedWorld) -> None:
    idle = world.do("queryAgentInfoBySkillId", AGENT, path={"skillid": "1"},
                    body={"agentStatus": [4], "agentLimit": 2})
    assert _worknos(idle) == [OTHER_AGENT, SUPERVISOR]
    # one of the two alone filters nothing (2025 pages)
    assert len(world.do("queryAgentInfoBySkillId", AGENT, path={"skillid": "1"}, body={"agentStatus": [4]})) == 5


def test_configured_agents_of_a_skill_include_those_signed_out(world: SimulatedWorld) -> None:
    configured = world.do("queryAgentInfoByConfigedSkillId", AGENT, path={"skillid": "1"})
    assert len(configured) == len(world.roster)


def test_online_agents_are_grouped_by_skill(world: SimulatedWorld) -> None:
    by_skill = world.do("queryAllOnlineAgents", AGENT)
    assert [(item["skillId"], len(item["agent"])) for item in by_skill] == [(1, 5), (2, 5)]


def test_groups_are_numbered_in_roster_order_with_their_monitor(world: SimulatedWorld) -> None:
    groups = world.do("queryGroupInfoOnVdn", AGENT)
    assert [(group["id"], group["name"]) for group in groups] == [(1, "frontline"), (2, "supervisors"),
                                                                 (3, "backoffice")]
    assert groups[0]["monitorno"] == 900 and groups[2]["monitorno"] is None
    assert world.do("queryGroupInfoByWorkNo", AGENT, path={"workno": BACKOFFICE})["name"] == "backoffice"


def test_group_members_are_the_signed_in_agents_of_the_group(world: SimulatedWorld) -> None:
    assert _worknos(world.do("queryAllAgentInfoOnMyGroup", AGENT)) == [AGENT, OTHER_AGENT, THIRD_AGENT]
    assert _worknos(world.do("queryAllAgentInfoOnMyGroupEx", AGENT, query={"groupid": "3"})) == [BACKOFFICE]
    world.refused("300-004", "queryAllAgentInfoOnMyGroupEx", AGENT, query={"groupid": "7"})
    world.refused("300-004", "queryAllAgentInfoOnMyGroupEx", AGENT)


def test_state_lists_of_the_vdn(world: SimulatedWorld) -> None:
    lines = world.do("getAllStatusAgents", AGENT)
    assert {"workno": AGENT, "status": "7", "name": AGENT, "groupName": "frontline", "ctiStatus": "5"} in lines
    assert world.do("getAllStatusLocalAgents", AGENT) == lines
    assert {"workno": THIRD_AGENT, "status": 3, "currentstatetime": 0} in world.do("queryAgentStatusAndTimeOnVDN",
                                                                                   AGENT)
    assert all(set(line) == {"workno", "status", "skilllist"} for line in world.do("queryAgentStatusAndSkill", AGENT))
    assert {"workno": AGENT, "phonenumber": "70001"} in world.do("queryAllLoggedInAgentPhonesOnVdn", AGENT)
    assert len(world.do("queryAllAgentWasNameOnVdn", AGENT)) == len(world.roster)
    assert len(world.do("queryAllLoginedAgentInfoOnVdn", AGENT)) == len(world.do("agentbylist", AGENT)) == 5
    assert world.do("getAllAgentsInTextChat", AGENT) == []


def test_resting_agents_and_rest_reasons(world: SimulatedWorld) -> None:
    assert world.do("queryAgentRestDetailInfo", AGENT) == []
    world.model.change_state(world[OTHER_AGENT], "rest",
                             world.request("rest", OTHER_AGENT, path={"time": "60", "restcause": "1"}))
    assert _worknos(world.do("queryAgentRestDetailInfo", AGENT)) == [OTHER_AGENT]
    assert world.do("queryAgentInfoByWorkNo", AGENT, path={"workno": OTHER_AGENT})["currentStateReason"] == 1
    assert world.do("queryAgentInfoByWorkNo", AGENT, path={"workno": THIRD_AGENT})["currentStateReason"] == 0
    reasons = world.do("getAgentRestReason", AGENT)
    assert reasons[0] == {"restReasonId": 1, "restReason": "lunch"}


def test_agents_without_skills_in_a_batch(world: SimulatedWorld) -> None:
    found = world.do("queryAgentInfoWithoutSkills", AGENT, body={"agentlist": [AGENT, "104", "99999"]})
    assert _worknos(found) == [AGENT, "104"] and all("skilllist" not in agent for agent in found)
    world.refused("000-002", "queryAgentInfoWithoutSkills", AGENT, body={"agentlist": []})


def test_a_state_code_is_one_digit(world: SimulatedWorld) -> None:
    with pytest.raises(AssertionError, match="request is invalid"):
        world.do("getAgentListByStatus", AGENT, query={"status": "12"})


@pytest.mark.parametrize(("interface", "agent", "expected"), [
    ("isCensor", SUPERVISOR, True), ("isCensor", AGENT, False), ("isMonitor", SUPERVISOR, True),
    ("isSpyMonitor", AGENT, False), ("isReportManager", SUPERVISOR, True), ("isCallOut", AGENT, True),
    ("isPickUp", AGENT, True), ("isSystem", SUPERVISOR, False)])
def test_rights_follow_the_roster(world: SimulatedWorld, interface: str, agent: str, expected: bool) -> None:
    assert world.do(interface, agent) is expected
