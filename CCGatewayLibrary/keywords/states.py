from __future__ import annotations

from datetime import timedelta
from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..catalogue.states import AgentState
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded
from .returns import AgentStatus

# queryCustomState answers this value when no custom state is set (it lies outside the settable 0..65534).
NO_CUSTOM_STATE = 65535


class StateKeywords(LibraryComponent):
    """The agent's state: ready, busy, rest, after-call work, custom states and call-handling switches.

    Each request is only acknowledged by its reply; the change itself is confirmed by an event, which the
    keyword's documentation names (wait for it with `Wait For Event`).
    """

    @keyword(tags=["agent", "state", "sayFree"])
    def set_agent_ready(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Makes the agent idle and ready for calls (``sayFree``).

        From busy, ``AgentState_CancelNotReady_Success`` comes first, from after-call work
        ``AgentState_CancelWork_Success``; then ``AgentState_Ready``.

        | `Set Agent Ready` |
        | `Wait For Event` | AgentState_Ready |
        """
        self._agent_call(agent, "sayFree", expected_retcode)

    @keyword(tags=["agent", "state", "sayBusy"])
    def set_agent_busy(self, reason: int | None = None, prolong: bool = False, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets the agent busy (not ready, ``sayBusy``), optionally with a busy ``reason`` code (200 to 250).

        To change the reason of an agent who is busy already, give ``prolong=True`` with the new reason (the
        gateway refuses a second busy request without it). Confirmed by ``AgentState_SetNotReady_Success``,
        whose ``reason`` is the code sent (0 without one).

        | `Set Agent Busy` |
        | `Set Agent Busy` | reason=201 |
        | `Set Agent Busy` | reason=202 | prolong=True |
        """
        self._agent_call(agent, "sayBusy", expected_retcode,
                         query={"reason": reason, "prolong": True if prolong else None})

    @keyword(tags=["agent", "state", "cancelBusy"])
    def cancel_busy(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Ends the agent's busy state (``cancelBusy``); ``AgentState_CancelNotReady_Success`` follows.

        Only a busy agent can cancel busy; `Set Agent Ready` works from any state without a call.
        """
        self._agent_call(agent, "cancelBusy", expected_retcode)

    @keyword(tags=["agent", "state", "rest"])
    def start_rest(self, duration: timedelta, reason: int = 0, prolong: bool = False, agent: str | None = None,
                   expected_retcode: Retcodes = SUCCESS) -> None:
        """Asks for a rest break of ``duration`` (1 second to 23:59:59) with a rest ``reason`` code (0 to 255,
        0 for none) (``rest``).

        The rest is in effect when ``AgentState_SetRest_Success`` arrives. When the time is up the gateway
        sends ``AgentState_Rest_Timeout`` as a reminder; the agent stays in rest until `Cancel Rest`. To change
        the reason of a rest in effect, give ``prolong=True``. The duration is sent in whole seconds.

        | `Start Rest` | 15 minutes | reason=3 |
        | `Wait For Event` | AgentState_SetRest_Success |
        """
        seconds = duration.total_seconds()
        if seconds != int(seconds):
            raise RequestSchemaError(f"rest request is invalid, not sent: path.time: the gateway takes whole seconds, "
                                     f"got {seconds:g}")
        self._agent_call(agent, "rest", expected_retcode, path={"time": int(seconds), "restcause": reason},
                         query={"prolong": True if prolong else None})

    @keyword(tags=["agent", "state", "cancelRest"])
    def cancel_rest(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Ends the agent's rest break (``cancelRest``); ``AgentState_CancelRest_Success`` follows."""
        self._agent_call(agent, "cancelRest", expected_retcode)

    @keyword(tags=["agent", "state", "sayWork"])
    def enter_after_call_work(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Puts the agent into after-call work (wrap-up, ``sayWork``); ``AgentState_SetWork_Success`` follows.

        In work state the agent gets no calls from the queues.
        """
        self._agent_call(agent, "sayWork", expected_retcode)

    @keyword(tags=["agent", "state", "cancelWork"])
    def leave_after_call_work(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Ends after-call work (``cancelWork``); ``AgentState_CancelWork_Success`` follows."""
        self._agent_call(agent, "cancelWork", expected_retcode)

    @keyword(tags=["agent", "state", "getAgentStatus"])
    def get_agent_status(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> AgentStatus | None:
        """Returns the agent's state as reported by ``getAgentStatus``.

        The dictionary has ``agentState`` (code), ``state`` (its name: ``idle``, ``busy``, ``work``, ``rest``,
        ``talking``, ``signed out``, ...) and ``isWorking`` (true while in a call). A refusal given as
        ``expected_retcode`` (a negative test) returns None.

        An assertion (see `Assertions in getters`) applies to the state's name and is tried again until it holds.

        | ${status} = | `Get Agent Status` |
        | Should Be Equal | ${status}[state] | idle |
        | `Get Agent Status` | ``==`` | busy |
        | `Get Agent Status` | ``!=`` | talking | agent=second |
        """

        def status() -> AgentStatus | None:
            reply = self._agent_call(agent, "getAgentStatus", expected_retcode)
            if not succeeded(reply):
                return None
            result = reply.get("result")
            found: AgentStatus = dict(result[0] if isinstance(result, list) and result else result or {})  # type: ignore[assignment]
            found["state"] = AgentState.describe(found.get("agentState"))
            logger.info(f"Agent state: {found['state']} (code {found.get('agentState')}), "
                        f"in a call: {found.get('isWorking')}.")
            return found

        return self._asserted("Get Agent Status", status, assertion_operator, assertion_expected, message,
                              lambda found: None if found is None else found["state"], name="state")

    @keyword(tags=["agent", "state", "setAgentAutoAnswer"])
    def set_auto_answer(self, enabled: bool, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Switches auto-answer on or off (``setAgentAutoAnswer``): with it on, offered calls are answered at
        once (``AgentEvent_Auto_Answer``); off, they ring until `Answer Call`."""
        self._agent_call(agent, "setAgentAutoAnswer", expected_retcode,
                         path={"isautoanswer": "true" if enabled else "false"})

    @keyword(tags=["agent", "state", "setAgentAutoEnterIdle"])
    def set_auto_enter_idle(self, enabled: bool, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> None:
        """Chooses what follows a call (``setAgentAutoEnterIdle``): idle again (``AgentState_Ready``) when
        ``enabled``, after-call work (``AgentState_Work``) otherwise."""
        self._agent_call(agent, "setAgentAutoEnterIdle", expected_retcode,
                         path={"flag": "true" if enabled else "false"})

    @keyword(tags=["agent", "state", "setCustomState"])
    def set_custom_state(self, state: int, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets the agent's custom state, a code 0 to 65534 whose meaning the business defines
        (``setCustomState``)."""
        self._agent_call(agent, "setCustomState", expected_retcode, query={"customstate": state})

    @keyword(tags=["agent", "state", "queryCustomState"])
    def get_custom_state(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                         message: str | None = None, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> int | None:
        """Returns the agent's custom state (``queryCustomState``), or None when none is set (or when a refusal
        given as ``expected_retcode`` came, in a negative test).

        An assertion (see `Assertions in getters`) applies to the number (None when none is set).

        | ${state} = | `Get Custom State` |
        | Should Be Equal As Integers | ${state} | 12 |
        | `Get Custom State` | ``==`` | ${12} |
        """

        def custom_state() -> int | None:
            reply = self._agent_call(agent, "queryCustomState", expected_retcode)
            if not succeeded(reply):
                return None
            value = (reply.get("result") or {}).get("agentcustomstate")
            state = None if value in (None, "", NO_CUSTOM_STATE, str(NO_CUSTOM_STATE)) else int(value)
            logger.info(f"Custom state: {'none set' if state is None else state}.")
            return state

        return self._asserted("Get Custom State", custom_state, assertion_operator, assertion_expected, message,
                              name="custom state")

    @keyword(tags=["agent", "state", "cancelSetCustomState"])
    def clear_custom_state(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Clears the agent's custom state (``cancelSetCustomState``)."""
        reply = self._agent_call(agent, "cancelSetCustomState", expected_retcode)
        if succeeded(reply):
            logger.info("Custom state cleared.")
