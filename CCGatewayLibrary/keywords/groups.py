from __future__ import annotations

from typing import Any, Literal

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..catalogue.states import AgentState
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, as_list, succeeded

AgentRight = Literal["censor", "monitor", "spy monitor", "call out", "pick up", "report manager", "system"]
# The agentgroup route that answers each right, true or false.
RIGHTS: dict[str, str] = {"censor": "isCensor", "monitor": "isMonitor", "spy monitor": "isSpyMonitor",
                          "call out": "isCallOut", "pick up": "isPickUp", "report manager": "isReportManager",
                          "system": "isSystem"}
LOGGED_AGENTS = 10  # a listing logs the IDs of this many agents


def state_code(state: str | int) -> int:
    """An agent state given by code (``4``) or name (``idle``, ``signed out``) as its code."""
    text = str(state).strip()
    if text.isdigit() and int(text) in set(AgentState):
        return int(text)
    try:
        return int(AgentState[text.upper().replace(" ", "_")])
    except KeyError:
        names = ", ".join(member.name.lower().replace("_", " ") for member in AgentState)
        raise RequestSchemaError(f"getAgentListByStatus request is invalid, not sent: state '{state}' is not an "
                                 f"agent state; give a code 0 to 9 or a name: {names}") from None


def _first_worknos(agents: list[Any]) -> str:
    """The first agents' IDs for the log (a VDN may list a thousand)."""
    worknos = [str(item["workno"]) for item in agents[:LOGGED_AGENTS] if isinstance(item, dict) and "workno" in item]
    more = ", ..." if len(agents) > LOGGED_AGENTS else ""
    return f" ({', '.join(worknos)}{more})" if worknos else ""


class GroupKeywords(LibraryComponent):
    """Who else is there (the ``agentgroup`` chapter): other agents by work number, skill queue, state or group,
    the groups of the VDN, rest reasons and the agent's own rights.

    An agent is a dictionary as the gateway describes it: ``workno``, ``name``, ``status`` (the agent state code:
    2 signed out, 3 busy, 4 idle, 5 after-call work, 7 talking, 8 rest), ``ctiStatus``, ``groupid``,
    ``groupname``, ``skilllist``, ``phonenumber``, ``currentstatetime`` (seconds in the state), ``logindate``.
    The gateway may send numbers as text: compare ``int(value['status'])``. The asking agent is the current one
    (or ``agent=<alias>``); every getter takes an assertion (see `Assertions in getters`) and returns None for a
    refusal given as ``expected_retcode``.
    """

    def _read(self, getter: str, interface: str, operator: AssertionOperator | None, expected: Any,
              message: str | None, agent: str | None, expected_retcode: Retcodes, *, listing: bool = True,
              name: str, path: dict[str, Any] | None = None, query: dict[str, Any] | None = None,
              body: Any = None) -> Any:
        def fetch() -> Any:
            reply = self._agent_call(agent, interface, expected_retcode, path=path, query=query, body=body)
            if not succeeded(reply):
                return None
            result = reply.get("result")
            if listing:
                result = as_list(result)
                logger.info(f"{name.capitalize()}: {len(result)}{_first_worknos(result)}.")
            return result

        return self._asserted(getter, fetch, operator, expected, message, name=name)

    @keyword(tags=["agent", "queryAgentInfoByWorkNo"])
    def get_agent_info(self, agent_id: str, assertion_operator: AssertionOperator | None = None,
                       assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Returns agent ``agent_id``'s details (``queryAgentInfoByWorkNo``): state, group, skill queues, phone,
        time in the state. The agent must be in the asking agent's VDN; it need not be signed in (status 2).

        | ${info} = | `Get Agent Info` | 102 |
        | Should Be Equal As Integers | ${info}[status] | 4 |
        | `Get Agent Info` | 102 | validate | int(value['status']) == 7 |
        """
        return self._read("Get Agent Info", "queryAgentInfoByWorkNo", assertion_operator, assertion_expected,
                          message, agent, expected_retcode, listing=False, name="agent info",
                          path={"workno": agent_id})

    @keyword(tags=["agent", "queryAgentInfoBySkillId", "queryAgentInfoByConfigedSkillId"])
    def get_agents_by_skill(self, skill_id: int, assertion_operator: AssertionOperator | None = None,
                            assertion_expected: Any = None, message: str | None = None,
                            states: list[str | int] | None = None, limit: int | None = None,
                            configured: bool = False, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the agents signed in to skill queue ``skill_id`` (``queryAgentInfoBySkillId``), or with
        ``configured=True`` every agent configured for it, signed in or not (``queryAgentInfoByConfigedSkillId``).

        ``states`` (codes or names: ``idle``, ``busy``, ...) and ``limit`` (1 to 500) keep only agents in those
        states, at most ``limit`` of them; the gateway applies them only together (2025 editions), so give both.

        | `Get Agents By Skill` | 1 | validate | len(value) == 3 |
        | ${idle} = | `Get Agents By Skill` | 1 | states=${{['idle']}} | limit=1 |
        """
        if (states is None) != (limit is None):
            raise RequestSchemaError("queryAgentInfoBySkillId request is invalid, not sent: states and limit act "
                                     "only together; give both or neither")
        if configured:
            return self._read("Get Agents By Skill", "queryAgentInfoByConfigedSkillId", assertion_operator,
                              assertion_expected, message, agent, expected_retcode, name="agents configured",
                              path={"skillid": str(skill_id)})
        body: dict[str, Any] = {}
        if states is not None and limit is not None:
            body = {"agentStatus": [state_code(state) for state in states], "agentLimit": limit}
        return self._read("Get Agents By Skill", "queryAgentInfoBySkillId", assertion_operator, assertion_expected,
                          message, agent, expected_retcode, name="agents in the skill", path={"skillid": str(skill_id)},
                          body=body)

    @keyword(tags=["agent", "queryAllOnlineAgents"])
    def get_online_agents_by_skill(self, assertion_operator: AssertionOperator | None = None,
                                   assertion_expected: Any = None, message: str | None = None,
                                   agent: str | None = None,
                                   expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the signed-in agents of every skill queue (``queryAllOnlineAgents``, marked not recommended
        in the 2025 editions): a list of ``skillId``, ``skillMediaType`` and ``agent`` (the agents).

        | `Get Online Agents By Skill` | validate | [len(s['agent']) for s in value] == [3, 3] |
        """
        return self._read("Get Online Agents By Skill", "queryAllOnlineAgents", assertion_operator,
                          assertion_expected, message, agent, expected_retcode, name="skill queues")

    @keyword(tags=["agent", "agentbylist", "queryAgentInfoBySkillId"])
    def get_agent_details_in_batch(self, assertion_operator: AssertionOperator | None = None,
                                   assertion_expected: Any = None, message: str | None = None,
                                   media_types: str | None = None, agent: str | None = None,
                                   expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns agent details in one batch (``agentbylist``, 2025 editions; its log name is
        ``queryAgentInfoBySkillId``), optionally for ``media_types``. The page's body fields were not
        retrievable: the simulator answers the signed-in agents.

        | `Get Agent Details In Batch` | validate | len(value) >= 2 |
        """
        return self._read("Get Agent Details In Batch", "agentbylist", assertion_operator, assertion_expected,
                          message, agent, expected_retcode, name="agents", query={"mediaTypes": media_types})

    @keyword(tags=["agent", "getIdleStatusAgents"])
    def get_idle_agents(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                        message: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the idle agents (``getIdleStatusAgents``): the ones a call could be transferred to.

        | `Get Idle Agents` | validate | len(value) == 2 |
        | `Get Idle Agents` | validate | '102' in [a['workno'] for a in value] |
        """
        return self._read("Get Idle Agents", "getIdleStatusAgents", assertion_operator, assertion_expected, message,
                          agent, expected_retcode, name="idle agents")

    @keyword(tags=["agent", "getAgentListByStatus"])
    def get_agents_in_state(self, state: str | int, assertion_operator: AssertionOperator | None = None,
                            assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the agents in ``state``, a code or a name: ``idle``, ``busy``, ``work``, ``talking``,
        ``rest`` (``getAgentListByStatus``).

        | `Get Agents In State` | busy | validate | [a['workno'] for a in value] == ['103'] |
        """
        return self._read("Get Agents In State", "getAgentListByStatus", assertion_operator, assertion_expected,
                          message, agent, expected_retcode, name="agents in the state",
                          query={"status": str(state_code(state))})

    @keyword(tags=["agent", "getAllStatusAgents"])
    def get_agent_states(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the state of every agent of the VDN (``getAllStatusAgents``), each with ``workno``,
        ``status``, ``name``, ``groupName`` and ``ctiStatus`` (text, as the gateway sends them).

        | `Get Agent States` | validate | {a['workno']: a['status'] for a in value}['101'] == '7' |
        """
        return self._read("Get Agent States", "getAllStatusAgents", assertion_operator, assertion_expected, message,
                          agent, expected_retcode, name="agent states")

    @keyword(tags=["agent", "queryAllAgentInfoOnMyGroup", "queryAllAgentInfoOnMyGroupEx"])
    def get_agents_in_group(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                            message: str | None = None, group_id: int | None = None, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the agents of group ``group_id`` (``queryAllAgentInfoOnMyGroupEx``), by default of the asking
        agent's own group (``queryAllAgentInfoOnMyGroup``). `Get Groups` lists the groups with their IDs.

        | `Get Agents In Group` | validate | len(value) == 3 |
        | `Get Agents In Group` | validate | [a['workno'] for a in value] == ['1000'] | group_id=3 |
        """
        if group_id is None:
            return self._read("Get Agents In Group", "queryAllAgentInfoOnMyGroup", assertion_operator,
                              assertion_expected, message, agent, expected_retcode, name="agents in the group")
        return self._read("Get Agents In Group", "queryAllAgentInfoOnMyGroupEx", assertion_operator,
                          assertion_expected, message, agent, expected_retcode, name="agents in the group",
                          query={"groupid": str(group_id)})

    @keyword(tags=["agent", "queryGroupInfoOnVdn"])
    def get_groups(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                   message: str | None = None, agent: str | None = None,
                   expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the groups of the VDN (``queryGroupInfoOnVdn``), each with ``id``, ``name``, ``monitorno``
        and ``monitorname`` (the group's monitor).

        | `Get Groups` | validate | [g['name'] for g in value] == ['frontline', 'supervisors', 'backoffice'] |
        """
        return self._read("Get Groups", "queryGroupInfoOnVdn", assertion_operator, assertion_expected, message,
                          agent, expected_retcode, name="groups")

    @keyword(tags=["agent", "queryGroupInfoByWorkNo"])
    def get_agent_group(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                        message: str | None = None, agent_id: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Returns the group of agent ``agent_id``, by default the asking agent's own (``queryGroupInfoByWorkNo``):
        ``id``, ``name``, ``monitorno``, ``monitorname``.

        | `Get Agent Group` | validate | value['name'] == 'frontline' |
        | ${group} = | `Get Agent Group` | agent_id=1000 |
        """
        workno = agent_id if agent_id is not None else self.ctx.agent(agent).agent_id
        return self._read("Get Agent Group", "queryGroupInfoByWorkNo", assertion_operator, assertion_expected,
                          message, agent, expected_retcode, listing=False, name="group", path={"workno": workno})

    @keyword(tags=["agent", "getAgentRestReason"])
    def get_rest_reasons(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the rest reasons configured for the VDN (``getAgentRestReason``), each with ``restReasonId``
        and ``restReason``: the causes `Rest` takes.

        | ${reasons} = | `Get Rest Reasons` |
        | `Rest` | 10 min | ${reasons}[0][restReasonId] |
        """
        return self._read("Get Rest Reasons", "getAgentRestReason", assertion_operator, assertion_expected, message,
                          agent, expected_retcode, name="rest reasons")

    @keyword(tags=["agent", *RIGHTS.values()])
    def get_agent_right(self, right: AgentRight, assertion_operator: AssertionOperator | None = None,
                        assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> bool | None:
        """Returns whether the agent has ``right``: ``censor`` (an inspector, ``isCensor``), ``monitor``,
        ``spy monitor``, ``call out``, ``pick up`` (snatch a colleague's call), ``report manager`` or ``system``
        (a system agent). The gateway answers true or false, as text in some editions; this returns a Boolean.

        | `Get Agent Right` | censor | ``==`` | ${True} | agent=lead |
        | `Get Agent Right` | pick up | ``==`` | ${True} |
        """
        if right not in RIGHTS:
            raise RequestSchemaError(f"right '{right}' is not an agent right; choose {', '.join(RIGHTS)}")

        def has_right() -> bool | None:
            reply = self._agent_call(agent, RIGHTS[right], expected_retcode)
            if not succeeded(reply):
                return None
            found = str(reply.get("result")).lower() == "true"  # Huawei's demos read it so, text or Boolean
            logger.info(f"Right '{right}': {found}.")
            return found

        return self._asserted("Get Agent Right", has_right, assertion_operator, assertion_expected, message,
                              name=f"right '{right}'")
