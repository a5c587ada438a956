from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, as_list, succeeded

InspectionMode = Literal["listen", "barge in", "whisper"]
# requestSwitchInsertWhisperAgent's switchtype per mode
SWITCH_TYPES: dict[str, int] = {"listen": 0, "barge in": 1, "whisper": 2}


class SupervisorKeywords(LibraryComponent):
    """A supervisor's work (real-time inspection, the ``qualitycontrol`` chapter): listening to, whispering to,
    barging in on and taking over an agent's call, forcing an agent's state, releasing a call, changing an
    agent's skill queues.

    The signed-in agent (or ``agent=<alias>``) is the supervisor, who needs inspection rights over the agent it
    names by agent ID (the simulator's built-in roster: agents 900 to 999 inspect agents 101 to 899). The agent
    inspected gets ``AgentOther_BeQcStart`` when an inspection starts or changes mode and ``AgentOther_BeQcStop``
    when it ends.
    """

    @keyword(tags=["supervisor", "addSupervise"])
    def listen_to_agent(self, agent_id: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Listens to agent ``agent_id``'s call (``addSupervise``): the supervisor hears the agent and the
        customer, neither hears the supervisor.

        The supervisor must be idle and the agent in a call. The supervisor gets ``AgentState_Busy``, and
        ``AgentOther_PhoneAlerting`` and ``AgentOther_PhoneOffhook`` when its phone is not kept off hook; the
        agent gets ``AgentOther_BeQcStart`` (``qcType`` 8). End with `Stop Inspecting Agent`.

        | `Listen To Agent` | 101 | agent=lead |
        | `Wait For Event` | AgentOther_BeQcStart | agent=first |
        """
        self._agent_call(agent, "addSupervise", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "addInsert"])
    def barge_in(self, agent_id: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Barges in on agent ``agent_id``'s call (``addInsert``): supervisor, agent and customer all hear each
        other. Events as for `Listen To Agent`, with ``qcType`` 9. End with `Stop Inspecting Agent`.

        | `Barge In` | 101 | agent=lead |
        """
        self._agent_call(agent, "addInsert", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "requestWhisperAgent"])
    def whisper_to_agent(self, agent_id: str, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> None:
        """Whispers to agent ``agent_id`` during its call (``requestWhisperAgent``): the agent hears the
        supervisor, the customer does not. Events as for `Listen To Agent`, with ``qcType`` 20172 or 20173. End
        with `Stop Whispering`.

        | `Whisper To Agent` | 101 | agent=lead |
        """
        self._agent_call(agent, "requestWhisperAgent", expected_retcode, query={"whisperagentid": agent_id})

    @keyword(tags=["supervisor", "requestSwitchInsertWhisperAgent"])
    def switch_inspection_mode(self, mode: InspectionMode, agent_id: str | None = None, agent: str | None = None,
                               expected_retcode: Retcodes = SUCCESS) -> None:
        """Switches the supervisor's inspection of agent ``agent_id`` (default: the one it inspects) to ``mode``:
        ``listen``, ``barge in`` or ``whisper`` (``requestSwitchInsertWhisperAgent``). The agent gets
        ``AgentOther_BeQcStart`` with the new mode's ``qcType``.

        | `Switch Inspection Mode` | whisper | agent=lead |
        | `Switch Inspection Mode` | barge in | 101 | agent=lead |
        """
        if mode not in SWITCH_TYPES:
            raise RequestSchemaError(f"requestSwitchInsertWhisperAgent request is invalid, not sent: mode '{mode}' "
                                     f"is not an inspection mode; choose {', '.join(SWITCH_TYPES)}")
        self._agent_call(agent, "requestSwitchInsertWhisperAgent", expected_retcode,
                         query={"switchtype": SWITCH_TYPES[mode], "whisperagentid": agent_id})

    @keyword(tags=["supervisor", "switchSuperviseOrInsert"])
    def toggle_listening_and_barging_in(self, agent_id: str, agent: str | None = None,
                                        expected_retcode: Retcodes = SUCCESS) -> None:
        """Switches from listening to barging in on agent ``agent_id``, or back (``switchSuperviseOrInsert``,
        which takes no mode). `Switch Inspection Mode` names the mode instead.

        | `Toggle Listening And Barging In` | 101 | agent=lead |
        """
        self._agent_call(agent, "switchSuperviseOrInsert", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "stopSuperviseOrInsert"])
    def stop_inspecting_agent(self, agent_id: str, agent: str | None = None,
                              expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops listening to or barging in on agent ``agent_id`` (``stopSuperviseOrInsert``); the agent's call
        goes on. The supervisor gets ``AgentOther_PhoneRelease`` and ``AgentState_Ready``, the agent
        ``AgentOther_BeQcStop``. A whisper ends with `Stop Whispering`.

        | `Stop Inspecting Agent` | 101 | agent=lead |
        """
        self._agent_call(agent, "stopSuperviseOrInsert", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "requestStopWhisperAgent"])
    def stop_whispering(self, agent_id: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops whispering to agent ``agent_id`` (default: the one whispered to) (``requestStopWhisperAgent``).
        Events as for `Stop Inspecting Agent`.

        | `Stop Whispering` | agent=lead |
        """
        self._agent_call(agent, "requestStopWhisperAgent", expected_retcode, query={"whisperagentid": agent_id})

    @keyword(tags=["supervisor", "intercept", "interceptCall"])
    def intercept_call(self, agent_id: str, callid: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Takes over agent ``agent_id``'s customer (``intercept``): the supervisor, who must already listen,
        barge in or whisper, talks on with the customer (``AgentEvent_Talking``) and the agent's part of the call
        ends (``AgentEvent_Call_Release``, ``AgentEvent_Customer_Release``, ``AgentOther_PhoneRelease``, then
        ``AgentState_Ready``).

        ``callid`` names which of the agent's calls (the 2025 reference's ``intercept`` with a call ID, catalogue
        id ``interceptCall``).

        | `Intercept Call` | 101 | agent=lead |
        | `Intercept Call` | 101 | ${callid} | agent=lead |
        """
        if callid is None:
            self._agent_call(agent, "intercept", expected_retcode, path={"workNo": agent_id})
        else:
            self._agent_call(agent, "interceptCall", expected_retcode, path={"workNo": agent_id, "callId": callid})

    @keyword(tags=["supervisor", "state", "forceBusy"])
    def force_agent_busy(self, agent_id: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets agent ``agent_id`` busy (``forceBusy``); the agent gets ``AgentState_SetNotReady_Success``.

        | `Force Agent Busy` | 101 | agent=lead |
        | `Wait For Event` | AgentState_SetNotReady_Success | agent=first |
        """
        self._agent_call(agent, "forceBusy", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "state", "forceIdle"])
    def force_agent_idle(self, agent_id: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets agent ``agent_id`` idle (``forceIdle``), also out of a rest break or after-call work; the agent
        gets the matching cancel event and ``AgentState_Ready``.

        | `Force Agent Idle` | 101 | agent=lead |
        """
        self._agent_call(agent, "forceIdle", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "state", "forceRest"])
    def force_agent_rest(self, agent_id: str, duration: timedelta, reason: int, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> None:
        """Puts agent ``agent_id`` on a rest break of ``duration`` (1 second to 23:59:59, whole seconds) with
        rest ``reason`` code 1 to 255 (``forceRest``); the agent gets ``AgentState_SetRest_Success``.

        | `Force Agent Rest` | 101 | 10 minutes | 2 | agent=lead |
        """
        seconds = duration.total_seconds()
        if seconds != int(seconds):
            raise RequestSchemaError(f"forceRest request is invalid, not sent: path.time: the gateway takes whole "
                                     f"seconds, got {seconds:g}")
        self._agent_call(agent, "forceRest", expected_retcode,
                         path={"workNo": agent_id, "time": int(seconds), "reason": reason})

    @keyword(tags=["supervisor", "forceLogOutAgent"])
    def force_sign_out_agent(self, agent_id: str, agent: str | None = None,
                             expected_retcode: Retcodes = SUCCESS) -> None:
        """Signs agent ``agent_id`` out (``forceLogOutAgent``), at the end of a shift for example. The agent gets
        ``AgentOther_ShutdownService``; a call in progress is released for its other parties.

        | `Force Sign Out Agent` | 101 | agent=lead |
        """
        self._agent_call(agent, "forceLogOutAgent", expected_retcode, path={"workNo": agent_id})

    @keyword(tags=["supervisor", "call", "forceDropCall"])
    def force_release_call(self, callid: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Releases call ``callid`` for everyone in it (``forceDropCall``); its agents get
        ``AgentEvent_Call_Release``, ``AgentEvent_Customer_Release``, ``AgentOther_PhoneRelease`` and
        ``AgentState_Ready``. An agent-hosted conference's call ends as `End Conference` ends it: its members
        get ``AgentConf_ParticipantChanged`` (``changeReason`` 3) and the conference's release events.

        | `Force Release Call` | ${callid} | agent=lead |
        """
        self._agent_call(agent, "forceDropCall", expected_retcode, path={"callid": callid})

    @keyword(tags=["supervisor", "skills", "adjustSkill"])
    def adjust_agent_skills(self, agent_id: str, *skill_ids: int, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> None:
        """Signs agent ``agent_id`` in to the skill queues ``skill_ids`` instead of its current ones
        (``adjustSkill``, at most 1000 queues). No event follows; `Get Agent Skills` shows the result.

        | `Adjust Agent Skills` | 101 | 1 | 2 | agent=lead |
        """
        self._agent_call(agent, "adjustSkill", expected_retcode, body={"workNo": agent_id, "skills": list(skill_ids)})

    @keyword(tags=["supervisor", "queryAllMonitoredAgents"])
    def get_inspected_agents(self, assertion_operator: AssertionOperator | None = None,
                             assertion_expected: Any = None, message: str | None = None, agent: str | None = None,
                             expected_retcode: Retcodes = SUCCESS) -> list[Any] | None:
        """Returns the agents the supervisor inspects (``queryAllMonitoredAgents``, a route without a vendor
        page: the reply's shape is the simulator's, a list of dictionaries with ``workNo`` and ``qcType``).
        A refusal given as ``expected_retcode`` returns None. An assertion (see `Assertions in getters`) applies
        to the list.

        | ${inspected} = | `Get Inspected Agents` | agent=lead |
        | `Get Inspected Agents` | validate | len(value) == 1 | agent=lead |
        """

        def inspected() -> list[Any] | None:
            reply = self._agent_call(agent, "queryAllMonitoredAgents", expected_retcode)
            if not succeeded(reply):
                return None
            found = as_list(reply.get("result"))
            logger.info(f"Inspected agents: {found or 'none'}.")
            return found

        return self._asserted("Get Inspected Agents", inspected, assertion_operator, assertion_expected, message,
                              name="inspected agents")
