"""Agent and group queries (the ``agentgroup`` chapter): other agents by skill, work number or state, idle agents,
groups of the VDN, rest reasons and the asking agent's rights.

Everything is answered from the roster (who is configured, in which group, for which skills, with what inspector
rights) and the live agents (signed in or not, state, since when, calls). The simulator has one VDN and one gateway
node, so "on the VDN" and "on this node" name the same agents. Groups are numbered in the order the roster names
them; a group's monitor is the first agent configured to inspect it. The answers of the routes no vendor page
documents follow what Huawei's own demo clients read (docs/spec-research.md, agentgroup).
"""

from __future__ import annotations

from typing import Any

from ..catalogue.states import AgentState
from .operations import Request, serves
from .roster import RosterEntry
from .world import Agent, Refused, World

NO_AGENT = "300-002"  # agent info not found: no such agent in the VDN
NO_GROUP = "300-004"  # agent-group query: group not found
BAD_PARAMETER = "000-002"
# CTI platform state per gateway state (the state table's CTI column); a talking agent is reported as talking (5)
# of the CTI's four call states, and pre-rest, which has no CTI code, as busy (7): the rest has not begun.
CTI_STATES = {AgentState.UNKNOWN: 9, AgentState.SIGNED_OUT: 0, AgentState.BUSY: 7, AgentState.IDLE: 1,
              AgentState.WORK: 6, AgentState.TALKING: 5, AgentState.REST: 8, AgentState.PRE_REST: 7}
# The rest reasons configured for the VDN, as restreason lists them: id -> text. A real VDN configures its own.
REST_REASONS = {1: "lunch", 2: "training", 3: "meeting", 4: "personal"}
AGENT_BATCH_LIMIT = 500  # agentbyskill's agentLimit and agentinfonoskills' list: at most this many


class GroupChapter:
    """The agentgroup interfaces, read-only: nothing here changes an agent or a call."""

    def __init__(self, world: World) -> None:
        self.world = world

    # -- what the roster and the live agents tell ------------------------------------------------------
    def groups(self) -> dict[str, int]:
        """Each group of the roster with its number, in the order the roster names them."""
        numbers: dict[str, int] = {}
        for entry in self.world.roster.entries.values():
            numbers.setdefault(entry.group, len(numbers) + 1)
        return numbers

    def _entry(self, agent_id: object) -> RosterEntry:
        entry = self.world.roster.entries.get(str(agent_id))
        if entry is None:
            raise Refused(NO_AGENT, f"no agent {agent_id} in the VDN")
        return entry

    def _group_info(self, group: str) -> dict[str, Any]:
        monitor = next((entry.agent_id for entry in self.world.roster.entries.values() if group in entry.inspects),
                       None)
        return {"id": self.groups()[group], "name": group, "monitorno": int(monitor) if monitor else None,
                "monitorname": monitor or ""}

    def signed_in_agents(self) -> list[Agent]:
        return [agent for agent in self.world.agents.values() if agent.signed_in]

    def agent_info(self, agent_id: str, *, skills: bool = True) -> dict[str, Any]:
        """The agent object of agentbyworkno, agentbyskill and the group lists."""
        entry = self._entry(agent_id)
        agent = self.world.agent(entry.agent_id)
        state = agent.state if agent.signed_in else AgentState.SIGNED_OUT
        info: dict[str, Any] = {
            "workno": entry.agent_id, "name": entry.agent_id, "status": int(state), "ctiStatus": CTI_STATES[state],
            "groupid": self.groups()[entry.group], "groupname": entry.group,
            "callids": [leg.callid for leg in agent.calls],
            # sign-in on the CTI server, WebM, MailM: the simulator signs agents in to voice only
            "mediatype": "TFF" if agent.signed_in else "FFF", "vdnid": self.world.roster.vdn,
            "phonenumber": agent.phone,
            "currentstatetime": int(self.world.now() - agent.state_since) if agent.signed_in else 0,
            "logindate": agent.login_time if agent.signed_in else 0, "inMultimediaConf": 0,
            "currentStateReason": agent.state_reason if agent.signed_in else 0,
        }
        if skills:
            info["skilllist"] = [skill.as_reply() for skill in (agent.active_skills if agent.signed_in
                                                                 else entry.skills)]
        return info

    def _status_line(self, agent: Agent) -> dict[str, Any]:
        """allagentstatus's item, all text as Huawei's C# demo reads it."""
        entry = self.world.roster.entries[agent.agent_id]
        return {"workno": agent.agent_id, "status": str(int(agent.state)), "name": agent.agent_id,
                "groupName": entry.group, "ctiStatus": str(CTI_STATES[agent.state])}

    def _in_skill(self, skill: int) -> list[Agent]:
        return [agent for agent in self.signed_in_agents() if skill in {s.id for s in agent.active_skills}]

    # -- agents by skill, work number, state ------------------------------------------------------------
    @serves("queryAgentInfoBySkillId")
    def agents_by_skill(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        body = request.get("body") or {}
        found = self._in_skill(int(request["path"]["skillid"]))
        # The 2025 pages: agentStatus and agentLimit act only together.
        if body.get("agentStatus") is not None and body.get("agentLimit") is not None:
            wanted = {int(status) for status in body["agentStatus"]}
            found = [agent for agent in found if int(agent.state) in wanted][:int(body["agentLimit"])]
        return [self.agent_info(agent.agent_id) for agent in found]

    @serves("queryAgentIdsBySkillId")
    def agent_ids_by_skill(self, asking: Agent, request: Request) -> list[str]:
        return [agent.agent_id for agent in self._in_skill(int(request["path"]["skillid"]))]

    @serves("queryAgentInfoByConfigedSkillId")
    def configured_for_skill(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        skill = int(request["path"]["skillid"])
        return [self.agent_info(entry.agent_id) for entry in self.world.roster.entries.values()
                if skill in {s.id for s in entry.skills}]

    @serves("queryAllOnlineAgents")
    def online_by_skill(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        skills = {skill.id: skill for agent in self.signed_in_agents() for skill in agent.active_skills}
        return [{"skillId": skill.id, "skillMediaType": skill.mediatype,
                 "agent": [self.agent_info(agent.agent_id) for agent in self._in_skill(skill.id)]}
                for skill in sorted(skills.values(), key=lambda skill: skill.id)]

    @serves("queryAgentInfoByWorkNo")
    def agent_by_work_number(self, asking: Agent, request: Request) -> dict[str, Any]:
        return self.agent_info(str(request["path"]["workno"]))

    @serves("agentbylist")
    def agents_in_batch(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [self.agent_info(agent.agent_id) for agent in self.signed_in_agents()]

    @serves("queryAgentInfoWithoutSkills")
    def agents_without_skills(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        wanted = (request.get("body") or {}).get("agentlist")
        if not isinstance(wanted, list) or not wanted or len(wanted) > AGENT_BATCH_LIMIT:
            raise Refused(BAD_PARAMETER, f"agentlist must list 1 to {AGENT_BATCH_LIMIT} agent IDs")
        return [self.agent_info(str(agent_id), skills=False) for agent_id in wanted
                if str(agent_id) in self.world.roster]

    @serves("queryAllLoginedAgentInfoOnVdn")
    def signed_in_on_vdn(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [self.agent_info(agent.agent_id) for agent in self.signed_in_agents()]

    @serves("queryAllLoggedInAgentPhonesOnVdn")
    def phones_on_vdn(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"workno": agent.agent_id, "phonenumber": agent.phone} for agent in self.signed_in_agents()]

    @serves("queryAllAgentWasNameOnVdn")
    def names_on_vdn(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"workno": agent_id, "name": agent_id} for agent_id in self.world.roster.entries]

    @serves("getAllStatusAgents", "getAllStatusLocalAgents")
    def states_on_vdn(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [self._status_line(agent) for agent in self.signed_in_agents()]

    @serves("getIdleStatusAgents")
    def idle_agents(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [self.agent_info(agent.agent_id) for agent in self.signed_in_agents()
                if agent.state == AgentState.IDLE and not agent.calls]

    @serves("getAgentListByStatus")
    def agents_in_state(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        given = (request.get("query") or {}).get("status")
        found = self.signed_in_agents()
        if given is not None:  # one digit, the request schema's rule: each is a state code
            found = [agent for agent in found if agent.state == AgentState(int(str(given)))]
        return [self.agent_info(agent.agent_id) for agent in found]

    @serves("queryAgentStatusAndTimeOnVDN")
    def states_and_times(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{key: info[key] for key in ("workno", "status", "currentstatetime")}
                for info in map(self.agent_info, (agent.agent_id for agent in self.signed_in_agents()))]

    @serves("queryAgentStatusAndSkill")
    def states_and_skills(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{key: info[key] for key in ("workno", "status", "skilllist")}
                for info in map(self.agent_info, (agent.agent_id for agent in self.signed_in_agents()))]

    @serves("queryAgentRestDetailInfo")
    def resting_agents(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{key: info[key] for key in ("workno", "name", "status", "currentstatetime")}
                for info in map(self.agent_info, (agent.agent_id for agent in self.signed_in_agents()
                                                  if agent.state in (AgentState.REST, AgentState.PRE_REST)))]

    @serves("getAllAgentsInTextChat")
    def text_chat_agents(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return []  # the simulator signs agents in to voice only

    # -- groups ------------------------------------------------------------------------------------------
    @serves("queryAllAgentInfoOnMyGroup")
    def my_group(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return self._group_members(self.world.roster.entries[asking.agent_id].group)

    @serves("queryAllAgentInfoOnMyGroupEx")
    def given_group(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        given = (request.get("query") or {}).get("groupid")
        names = {number: name for name, number in self.groups().items()}
        if given is None or not str(given).isdigit() or int(str(given)) not in names:
            raise Refused(NO_GROUP, f"no group {given} in the VDN (groups: "
                                    f"{', '.join(f'{n} {name}' for n, name in names.items())})")
        return self._group_members(names[int(str(given))])

    def _group_members(self, group: str) -> list[dict[str, Any]]:
        """The signed-in agents of ``group``."""
        return [self.agent_info(agent.agent_id) for agent in self.signed_in_agents()
                if self.world.roster.entries[agent.agent_id].group == group]

    @serves("queryGroupInfoByWorkNo")
    def group_of(self, asking: Agent, request: Request) -> dict[str, Any]:
        return self._group_info(self._entry(request["path"]["workno"]).group)

    @serves("queryGroupInfoOnVdn")
    def groups_on_vdn(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [self._group_info(group) for group in self.groups()]

    @serves("getAgentRestReason")
    def rest_reasons(self, asking: Agent, request: Request) -> list[dict[str, Any]]:
        return [{"restReasonId": number, "restReason": text} for number, text in REST_REASONS.items()]

    # -- the asking agent's rights ----------------------------------------------------------------------
    def _inspector(self, asking: Agent) -> bool:
        return bool(self.world.roster.entries[asking.agent_id].inspects)

    @serves("isCensor", "isMonitor", "isSpyMonitor", "isReportManager")
    def supervisor_right(self, asking: Agent, request: Request) -> bool:
        # The roster knows one kind of right beyond answering calls: a supervisor's over groups.
        return self._inspector(asking)

    @serves("isCallOut", "isPickUp")
    def agent_right(self, asking: Agent, request: Request) -> bool:
        return True  # every simulated agent may call out and pick up a colleague's call

    @serves("isSystem")
    def system_agent(self, asking: Agent, request: Request) -> bool:
        return False  # the roster has no system agents
