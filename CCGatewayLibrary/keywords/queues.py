from __future__ import annotations

import re
from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded

# Get Queue Length's queue argument: one skill queue (``skill=1`` or ``1``), or the agent's queues.
ONE_QUEUE = re.compile(r"(?:skill\s*=\s*)?([0-9]+)")
AGENT_QUEUES = {"signed in": "queryQueueLengthOnAgentSkills", "configured": "queryQueueLengthOnAgent"}
COMPARISONS = frozenset(AssertionOperator[name] for name in ("==", "!=", "<", ">", "<=", ">="))


def as_count(operator: AssertionOperator | None, expected: Any) -> Any:
    """``expected`` as a number when a comparison compares a count with it: Robot passes ``3`` as text."""
    if operator in COMPARISONS and isinstance(expected, str) and expected.strip().isdigit():
        return int(expected)
    return expected


def skill_queue(keyword_name: str, queue: int | str, *, or_else: str = "") -> str:
    """The skill queue ID that ``queue`` (``skill=1``, ``1`` or the number) names, or a failure naming the rule."""
    found = ONE_QUEUE.fullmatch(str(queue).strip())
    if found is None or int(found.group(1)) < 1:
        raise RequestSchemaError(f"{keyword_name}: queue must name a skill queue as skill=<ID> or <ID> (a whole "
                                 f"number from 1){or_else}, got '{queue}'")
    return found.group(1)


class QueueKeywords(LibraryComponent):
    """Skill queues and what a wallboard shows of them (the ``queuedevice`` chapter, and the waiting calls of a
    queue), and the gateway's monitoring routes (``querymonitor``: server time, version, cluster nodes).

    Skill queues are named by their ID, as ``skill=2`` or ``2``. Calls reach a queue from customers dialling its
    access code; on the simulator `Simulate Inbound Call` with ``skill`` or ``access_code`` makes one.

    Every getter takes an optional assertion (see `Assertions in getters`) and returns None for a refusal
    given as ``expected_retcode``.
    """

    def _get(self, getter: str, interface: str, agent: str | None, expected_retcode: Retcodes,
             operator: AssertionOperator | None, expected: Any, message: str | None, name: str, *,
             path: dict[str, Any] | None = None, body: Any = None, log: str = "") -> Any:
        def fetch() -> Any:
            reply = self._agent_call(agent, interface, expected_retcode, path=path, body=body)
            if not succeeded(reply):
                return None
            result = reply.get("result")
            if log:
                logger.info(f"{log}: {result}.")
            return result

        return self._asserted(getter, fetch, operator, expected, message, name=name)

    @keyword(tags=["queues", "queryQueueLengthBySkillId", "queryQueueLengthOnAgentSkills",
                   "queryQueueLengthOnAgent"])
    def get_queue_length(self, queue: str, assertion_operator: AssertionOperator | None = None,
                         assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> int | None:
        """Returns how many callers wait: in one skill queue (``skill=2`` or ``2``, ``queryQueueLengthBySkillId``),
        in the queues the agent is signed in to (``signed in``, ``queryQueueLengthOnAgentSkills``)
        or in every queue the agent is configured for (``configured``, ``queryQueueLengthOnAgent``).

        The count is a number (compared as one: ``==    3``); one edition's example shows an empty object
        instead, read as 0.

        | `Get Queue Length` | skill=2 | ``==`` | 3 |
        | ${waiting} = | `Get Queue Length` | signed in |
        | `Get Queue Length` | configured | ``>`` | 0 | agent=second |
        """
        if queue in AGENT_QUEUES:
            interface, path, where = AGENT_QUEUES[queue], None, f"the agent's {queue} queues"
        else:
            skill = skill_queue("Get Queue Length", queue, or_else=", or be 'signed in' or 'configured'")
            interface, path, where = "queryQueueLengthBySkillId", {"skillid": skill}, f"skill queue {skill}"

        def length() -> int | None:
            reply = self._agent_call(agent, interface, expected_retcode, path=path)
            if not succeeded(reply):
                return None
            result = reply.get("result")
            count = int(result) if isinstance(result, int | str) and str(result).isdigit() else 0
            logger.info(f"Callers waiting in {where}: {count}.")
            return count

        return self._asserted("Get Queue Length", length, assertion_operator,
                              as_count(assertion_operator, assertion_expected), message, name="callers waiting")

    @keyword(tags=["queues", "queryWaitCallInfoBySkillId"])
    def get_waiting_calls(self, queue: str, assertion_operator: AssertionOperator | None = None,
                          assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the calls waiting in skill queue ``queue`` (``skill=2`` or ``2``), longest-waiting first
        (``queryWaitCallInfoBySkillId``): dictionaries with ``callid``, ``caller``, ``called`` (the access code),
        ``callskill``, ``callskillid``, ``begintime`` (epoch ms), ``waitTime`` (seconds), ``calldata`` and more.

        | ${calls} = | `Get Waiting Calls` | skill=2 |
        | `Get Waiting Calls` | 2 | validate | [c['caller'] for c in value] == ['88880001', '88880002'] |
        """
        skill_id = skill_queue("Get Waiting Calls", queue)
        return self._get("Get Waiting Calls", "queryWaitCallInfoBySkillId", agent, expected_retcode,
                         assertion_operator, assertion_expected, message, "waiting calls",
                         path={"skillid": skill_id}, log=f"Calls waiting in skill queue {skill_id}")

    @keyword(tags=["queues", "querySkillsStatisticInfo"])
    def get_skill_statistics(self, queue: str, assertion_operator: AssertionOperator | None = None,
                             assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                             expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Returns the statistics of skill queue ``queue`` (``skill=2`` or ``2``, ``querySkillsStatisticInfo``).

        No vendor page documents this route's reply; the simulator answers ``queueSize``, ``longestWait``,
        ``offered``, ``answered``, ``abandoned``, ``averageWait`` (seconds the answered calls waited),
        ``talkTime`` (seconds), ``loggedOnAgents`` and ``availAgents``, counted since it started. For the
        documented figures of a real gateway use `Get ACD Statistics`.

        | `Get Skill Statistics` | skill=2 | validate | value['answered'] == 2 and value['abandoned'] == 1 |
        """
        skill_id = skill_queue("Get Skill Statistics", queue)
        return self._get("Get Skill Statistics", "querySkillsStatisticInfo", agent, expected_retcode,
                         assertion_operator, assertion_expected, message, "statistics",
                         path={"skillid": skill_id}, log=f"Statistics of skill queue {skill_id}")

    @keyword(tags=["queues", "queryCallStatisticsInfoEx", "queryCallStatisticsInfo"])
    def get_agent_statistics(self, assertion_operator: AssertionOperator | None = None,
                             assertion_expected: Any = None, message: str | None = None, full: bool = False,
                             agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Returns the agent's call statistics of today: ``talktime`` (seconds), ``answernums`` (calls answered)
        and ``calloutnums`` (outbound calls), from ``queryCallStatisticsInfoEx``.

        ``full=True`` reads every figure instead (``queryCallStatisticsInfo``: also ``busynums``, ``busytime``,
        ``restnums``, ``resttime``, transfers, holds and more); the vendor warns that calling it often slows the
        gateway down. The simulator counts since it started.

        | `Get Agent Statistics` | validate | value['answernums'] == 2 |
        | ${figures} = | `Get Agent Statistics` | full=True | agent=second |
        """
        interface = "queryCallStatisticsInfo" if full else "queryCallStatisticsInfoEx"
        return self._get("Get Agent Statistics", interface, agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "statistics", log="Agent's call statistics")

    @keyword("Get IVR Calls", tags=["queues", "queryWaitCallInfoByIVRId", "queryCallCountByIVRId"])
    def get_ivr_calls(self, ivr: int, assertion_operator: AssertionOperator | None = None,
                      assertion_expected: Any = None, message: str | None = None, count_only: bool = False,
                      agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the calls waiting on IVR ``ivr`` (``queryWaitCallInfoByIVRId``), or with ``count_only=True``
        how many calls are on it (``queryCallCountByIVRId``); routes no vendor page documents. The simulator's
        IVRs hold no calls.

        | `Get IVR Calls` | 1 | ``==`` | ${{[]}} |
        | `Get IVR Calls` | 1 | ``==`` | ${0} | count_only=True |
        """
        interface = "queryCallCountByIVRId" if count_only else "queryWaitCallInfoByIVRId"
        return self._get("Get IVR Calls", interface, agent, expected_retcode, assertion_operator, assertion_expected,
                         message, "calls", path={"ivrid": str(ivr)}, log=f"Calls on IVR {ivr}")

    @keyword("Get ACD Statistics", tags=["queues", "queryStatInfoOfAcd", "querySkillStatWithVdn"])
    def get_acd_statistics(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                           message: str | None = None, skills: list[int] | None = None, agent: str | None = None,
                           expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the ACD figures of the skill queues ``skills`` (a list of IDs, at most 100,
        ``queryStatInfoOfAcd``), or of every queue of the agent's VDN without ``skills``
        (``querySkillStatWithVdn``, a route no vendor page documents): one dictionary per queue with
        ``deviceNo`` (the queue), ``pilotNbr`` (its access code), ``queueSize``, ``queueTime`` (seconds the
        longest-waiting call has waited), ``loggedOnAgents``, ``availAgents``, ``skillDescrip`` and more.

        | ${figures} = | `Get ACD Statistics` | skills=${{[1, 2]}} |
        | `Get ACD Statistics` | validate | value[0]['queueSize'] == 0 | skills=${{[2]}} |
        | `Get ACD Statistics` | validate | len(value) == 3 |
        """
        if skills is None:
            return self._get("Get ACD Statistics", "querySkillStatWithVdn", agent, expected_retcode,
                             assertion_operator, assertion_expected, message, "ACD statistics",
                             log="ACD statistics of the VDN's queues")
        return self._get("Get ACD Statistics", "queryStatInfoOfAcd", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "ACD statistics", body={"skills": list(skills)},
                         log=f"ACD statistics of skill queues {', '.join(map(str, skills))}")

    @keyword("Get VDN Skill Queues", tags=["queues", "querySkillQueueOnAgentVDN", "querySkillQueueOnVDN"])
    def get_vdn_skill_queues(self, assertion_operator: AssertionOperator | None = None,
                             assertion_expected: Any = None, message: str | None = None, vdn: int | None = None,
                             agent: str | None = None,
                             expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the skill queues of the agent's VDN (``querySkillQueueOnAgentVDN``), or of VDN ``vdn``
        (``querySkillQueueOnVDN``, a route no vendor page documents): dictionaries with ``id``, ``name``,
        ``mediatype``, ``serviceType`` and ``realFlag``.

        | `Get VDN Skill Queues` | validate | [q['id'] for q in value] == [1, 2, 3] |
        | ${queues} = | `Get VDN Skill Queues` | vdn=1 |
        """
        if vdn is None:
            return self._get("Get VDN Skill Queues", "querySkillQueueOnAgentVDN", agent, expected_retcode,
                             assertion_operator, assertion_expected, message, "skill queues", log="Skill queues")
        return self._get("Get VDN Skill Queues", "querySkillQueueOnVDN", agent, expected_retcode,
                         assertion_operator, assertion_expected, message, "skill queues",
                         path={"vdnid": str(vdn)}, log=f"Skill queues of VDN {vdn}")

    @keyword(tags=["queues", "querySkillQueueOnAgent"])
    def get_signed_in_skill_queues(self, agent_id: str, assertion_operator: AssertionOperator | None = None,
                                   assertion_expected: Any = None, message: str | None = None,
                                   agent: str | None = None,
                                   expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the skill queues agent ``agent_id`` is signed in to (``querySkillQueueOnAgent``, a route no
        vendor page documents): dictionaries with ``id``, ``name`` and ``mediatype``.

        | `Get Signed In Skill Queues` | 102 | validate | [q['id'] for q in value] == [2] |
        """
        return self._get("Get Signed In Skill Queues", "querySkillQueueOnAgent", agent, expected_retcode,
                         assertion_operator, assertion_expected, message, "skill queues",
                         path={"workNo": agent_id}, log=f"Skill queues agent {agent_id} is signed in to")

    @keyword(tags=["queues", "queryInNoOnVDN"])
    def get_access_codes(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the access codes of the agent's VDN (``queryInNoOnVDN``, a route no vendor page documents):
        dictionaries with ``inno`` (the code), ``id``, ``vdnid``, ``mediatype`` and ``description``.

        | `Get Access Codes` | validate | '60002' in [c['inno'] for c in value] |
        """
        return self._get("Get Access Codes", "queryInNoOnVDN", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "access codes", log="Access codes")

    @keyword("Get IVRs", tags=["queues", "queryIVRInfoOnVdn"])
    def get_ivrs(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                 message: str | None = None, agent: str | None = None,
                 expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the IVR flows of the agent's VDN (``queryIVRInfoOnVdn``, a route no vendor page documents):
        dictionaries with ``access``, ``id``, ``description`` and ``serviceNo``.

        | `Get IVRs` | validate | value[0]['access'] == '60010' |
        """
        return self._get("Get IVRs", "queryIVRInfoOnVdn", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "IVRs", log="IVRs")

    # -- querymonitor ---------------------------------------------------------------------------------------
    @keyword(tags=["monitoring", "queryServerTime"])
    def get_server_time(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                        message: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the gateway's clock (``queryServerTime``, a route no vendor page documents); the simulator
        answers epoch milliseconds.

        | ${now} = | `Get Server Time` |
        | `Get Server Time` | validate | abs(value / 1000 - time.time()) < 5 |
        """
        return self._get("Get Server Time", "queryServerTime", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "server time", log="Gateway time")

    @keyword(tags=["monitoring", "querySysVersion"])
    def get_gateway_version(self, assertion_operator: AssertionOperator | None = None,
                            assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the gateway's system version (``querySysVersion``, a route no vendor page documents).

        | `Get Gateway Version` | starts | ccgw-sim |
        """
        return self._get("Get Gateway Version", "querySysVersion", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "version", log="Gateway version")

    @keyword(tags=["monitoring", "querySystemStateInfo"])
    def get_gateway_state(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the gateway's system state (``querySystemStateInfo``, a route no vendor page documents); the
        simulator answers ``state``, ``signedInAgents``, ``waitingCalls`` and ``agentTimeout``.

        | `Get Gateway State` | validate | value['waitingCalls'] == 2 |
        """
        return self._get("Get Gateway State", "querySystemStateInfo", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "state", log="Gateway state")

    @keyword(tags=["monitoring", "queryClusterInfo", "queryClusterInfoByName"])
    def get_cluster_nodes(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, name: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the gateway cluster's nodes (``queryClusterInfo``), or the node called ``name``
        (``queryClusterInfoByName``); routes no vendor page documents. The simulator is one node, named as the
        sign-in reply's ``serverName``.

        | `Get Cluster Nodes` | validate | len(value) == 1 |
        | `Get Cluster Nodes` | validate | value['state'] == 'running' | name=AgentGateway0 |
        """
        if name is None:
            return self._get("Get Cluster Nodes", "queryClusterInfo", agent, expected_retcode, assertion_operator,
                             assertion_expected, message, "nodes", log="Gateway nodes")
        return self._get("Get Cluster Nodes", "queryClusterInfoByName", agent, expected_retcode,
                         assertion_operator, assertion_expected, message, "node", path={"clustername": name},
                         log=f"Gateway node {name}")

    @keyword(tags=["monitoring", "queryAgentClusterInfo", "queryAllAgentClusterInfo"])
    def get_agent_nodes(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                        message: str | None = None, of_agent: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns which gateway node each signed-in agent is on (``queryAllAgentClusterInfo``), or agent
        ``of_agent`` (``queryAgentClusterInfo``); routes no vendor page documents.

        | `Get Agent Nodes` | validate | value['node'] == 'AgentGateway0' | of_agent=102 |
        | `Get Agent Nodes` | validate | len(value) == 2 |
        """
        if of_agent is None:
            return self._get("Get Agent Nodes", "queryAllAgentClusterInfo", agent, expected_retcode,
                             assertion_operator, assertion_expected, message, "nodes", log="Agents' nodes")
        return self._get("Get Agent Nodes", "queryAgentClusterInfo", agent, expected_retcode, assertion_operator,
                         assertion_expected, message, "node", path={"workno": of_agent},
                         log=f"Node of agent {of_agent}")

    @keyword(tags=["monitoring", "setAgentTimeOut"])
    def set_agent_timeout_handling(self, enabled: bool, agent: str | None = None,
                                   expected_retcode: Retcodes = SUCCESS) -> None:
        """Switches the gateway's agent timeout handling on or off (``setAgentTimeOut``, a route no vendor page
        documents; what it switches is inferred from its name).

        | `Set Agent Timeout Handling` | ${False} |
        """
        self._agent_call(agent, "setAgentTimeOut", expected_retcode, path={"flag": "true" if enabled else "false"})

    @keyword(tags=["monitoring", "setMaxChatNum"])
    def set_maximum_chats(self, vdn: int, chats: int, agents: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets how many chats an agent of VDN ``vdn`` may hold at once (``setMaxChatNum``, a route no vendor page
        documents); ``agents`` is passed on as the route's query parameter of that name (format unknown).

        | `Set Maximum Chats` | 1 | 3 |
        """
        self._agent_call(agent, "setMaxChatNum", expected_retcode, path={"vdnid": str(vdn), "chatnum": str(chats)},
                         query=None if agents is None else {"agents": agents})
