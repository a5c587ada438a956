from __future__ import annotations

from typing import Any, Literal

from robot.api import logger
from robot.api.deco import keyword
from robot.api.types import Secret

from ..catalogue.states import SIGN_IN_STATUS, AgentState
from ..context import AgentHandle
from ..errors import CCGatewayError
from ..events import EventJournal
from .base import LibraryComponent


class AgentKeywords(LibraryComponent):
    """Sign-in, sign-out, agent state and switching between agents."""

    @keyword(tags=["agent", "login"])
    def sign_in_agent(
        self,
        agent_id: str,
        password: Secret,
        phone: str,
        alias: str | None = None,
        status: Literal["idle", "busy", "work"] = "idle",
        auto_answer: bool = False,
        force: bool = False,
        expected_retcode: str = "0",
    ) -> dict[str, Any]:
        """Signs agent ``agent_id`` in with ``password`` on phone number ``phone`` and starts polling its events.

        ``password`` must be a `Secret` (for example ``${PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}``), so it
        never appears in the log. The agent becomes the current agent under ``alias`` (default: its ID);
        use `Switch Agent` to go back to it later.

        ``status`` is the state after sign-in: ``idle`` (default), ``busy`` or ``work``. ``auto_answer`` is
        sent explicitly and defaults to false, so offered calls ring (``AgentEvent_Ringing``) until `Answer Call`.
        ``force=True`` uses forced sign-in (``forceLogin``), which takes over a session already signed in.

        Returns the ``result`` of the sign-in reply (``workno``, ``mediatype``, ``loginTime``, ...).
        ``expected_retcode`` allows negative tests, see `Retcodes and failures`.

        | `Sign In Agent` | 101 | password=${AGENT_PASSWORD} | phone=70001 |
        | `Sign In Agent` | 102 | ${AGENT_PASSWORD} | 70002 | alias=second | status=busy |
        | `Sign In Agent` | 101 | ${WRONG_PASSWORD} | 70001 | expected_retcode=100-004 |
        """
        self.ctx.secrets.register(password)
        alias = alias or agent_id
        # The same agent's earlier session (under any alias): its parked poll may take this sign-in's first
        # events, which must reach the new journal, not be lost.
        previous = next((h for h in self.ctx.agents.values() if h.agent_id == agent_id and h.poller is not None),
                        None)
        interface = "forceLogin" if force else "login"
        body = {"password": password.value, "phonenum": phone, "status": int(SIGN_IN_STATUS[status]),
                "autoanswer": auto_answer}
        session = None
        accepted = False
        try:
            if previous is not None and previous.poller is not None:
                previous.poller.hold_events()
            session = self.ctx.new_session()
            reply = self.ctx.call(session, interface, agent_id, body=body, expected_retcode=expected_retcode)
            if reply["retcode"] != "0":
                return reply.get("result") or {}
            if session.guid.guid is None:
                raise CCGatewayError(f"{interface} for agent {agent_id} at {session.host} succeeded but the reply "
                                     "carried no Set-GUID header, so later requests cannot authenticate.")
            accepted = True
        finally:
            if not accepted:
                # A refused sign-in leaves the earlier session as it was, still polling.
                if session is not None:
                    session.close()
                if previous is not None and previous.poller is not None:
                    previous.poller.resume()
        # A new sign-in is a new session: its own Guid, event journal and cursor.
        agent = AgentHandle(alias, agent_id, session, EventJournal(agent_id))
        if previous is not None:
            previous.retire("signed in again", successor=agent.journal)
        replaced = self.ctx.agents.get(alias)
        if replaced is not None and replaced is not previous:  # the alias named another agent until now
            replaced.stop_polling(f"alias '{alias}' now names agent {agent_id}")
            replaced.session.close()
        self.ctx.agents[alias] = agent
        self.ctx.current_alias = alias
        self.ctx.start_polling(agent)
        logger.info(f"Signed in {agent.describe()}; polling its events.")
        return reply.get("result") or {}

    @keyword(tags=["agent", "logout"])
    def sign_out_agent(self, agent: str | None = None, force: bool = False, expected_retcode: str = "0") -> None:
        """Signs the agent out and stops polling its events.

        The agent is the current one unless ``agent`` names an alias. ``force=True`` uses ``forceLogout``,
        which also signs out an agent who is in a call (the call is released). The agent's event history stays
        readable with `Get Event History`.

        | `Sign Out Agent` |
        | `Sign Out Agent` | agent=second | force=True |
        """
        handle = self.ctx.agent(agent)
        reply = self.ctx.call(handle.session, "forceLogout" if force else "logout", handle.agent_id,
                              expected_retcode=expected_retcode)
        if reply["retcode"] == "0":
            handle.signed_in = False
            handle.stop_polling("signed out")
            handle.session.guid.clear()
            logger.info(f"Signed out {handle.describe()}.")

    @keyword(tags=["agent", "sayFree"])
    def set_agent_ready(self, agent: str | None = None, expected_retcode: str = "0") -> None:
        """Makes the agent idle and ready for calls (``sayFree``).

        The reply only acknowledges the request; wait for ``AgentState_Ready`` to know the state changed.

        | `Set Agent Ready` |
        | `Wait For Event` | AgentState_Ready |
        """
        self._agent_call(agent, "sayFree", expected_retcode)

    @keyword(tags=["agent", "sayBusy"])
    def set_agent_busy(self, reason: int | None = None, agent: str | None = None,
                       expected_retcode: str = "0") -> None:
        """Sets the agent busy (not ready, ``sayBusy``), optionally with a busy ``reason`` code (200 to 250).

        Confirmed by the event ``AgentState_SetNotReady_Success``.

        | `Set Agent Busy` |
        | `Set Agent Busy` | reason=201 |
        """
        self._agent_call(agent, "sayBusy", expected_retcode, query={"reason": reason})

    @keyword(tags=["agent", "getAgentStatus"])
    def get_agent_status(self, agent: str | None = None) -> dict[str, Any]:
        """Returns the agent's state as reported by ``getAgentStatus``.

        The dictionary has ``agentState`` (code), ``state`` (its name: ``idle``, ``busy``, ``talking``, ...)
        and ``isWorking`` (true while in a call).

        | ${status} = | `Get Agent Status` |
        | Should Be Equal | ${status}[state] | idle |
        """
        reply = self._agent_call(agent, "getAgentStatus", "0")
        result = reply.get("result")
        status = dict(result[0] if isinstance(result, list) and result else result or {})
        status["state"] = AgentState.describe(status.get("agentState"))
        logger.info(f"Agent state: {status['state']} (code {status.get('agentState')}), "
                    f"in a call: {status.get('isWorking')}.")
        return status

    @keyword(tags=["agent"])
    def switch_agent(self, alias: str) -> str | None:
        """Makes ``alias`` the current agent and returns the alias that was current before.

        | ${previous} = | `Switch Agent` | second |
        | `Answer Call` |
        | `Switch Agent` | ${previous} |
        """
        self.ctx.agent(alias)
        previous, self.ctx.current_alias = self.ctx.current_alias, alias
        return previous
