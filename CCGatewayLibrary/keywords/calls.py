from __future__ import annotations

from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from .base import LibraryComponent, succeeded


class CallKeywords(LibraryComponent):
    """Answering, releasing, holding, retrieving and placing calls; three-party calls."""

    @keyword(tags=["call", "answer"])
    def answer_call(self, callid: str | None = None, agent: str | None = None, expected_retcode: str = SUCCESS) -> None:
        """Answers the call ringing at the agent (``answer``); ``AgentEvent_Talking`` follows.

        ``callid`` is only needed when the agent has several calls.

        | `Wait For Event` | AgentEvent_Ringing |
        | `Answer Call` |
        """
        self._agent_call(agent, "answer", expected_retcode, query={"callid": callid})

    @keyword(tags=["call", "release"])
    def release_call(self, agent: str | None = None, expected_retcode: str = SUCCESS) -> None:
        """Hangs up the agent's current call (``release``); held calls stay held.

        Events: ``AgentEvent_Call_Release``, ``AgentEvent_Customer_Release``, ``AgentOther_PhoneRelease`` and,
        when no call is left, ``AgentState_Ready``.
        """
        self._agent_call(agent, "release", expected_retcode)

    @keyword(tags=["call", "hold"])
    def hold_call(self, agent: str | None = None, expected_retcode: str = SUCCESS) -> None:
        """Puts the agent's current call on hold (``hold``); ``AgentEvent_Hold`` follows with the call ID."""
        self._agent_call(agent, "hold", expected_retcode)

    @keyword(tags=["call", "getHold"])
    def retrieve_call(self, callid: str | None = None, agent: str | None = None,
                      expected_retcode: str = SUCCESS) -> None:
        """Takes a held call back (``getHold``); ``callid`` picks one when several are held.

        | `Hold Call` |
        | `Retrieve Call` | ${customer} |
        """
        self._agent_call(agent, "getHold", expected_retcode, query={"callid": callid})

    @keyword(tags=["call", "callout"])
    def call_out(self, number: str, caller: str | None = None, skill_id: int | None = None,
                 call_data: str | None = None, agent: str | None = None, expected_retcode: str = SUCCESS) -> str | None:
        """Calls ``number`` from the agent (``callout``) and returns the new call's ID.

        ``caller`` is the calling number to show (default: the platform's), ``skill_id`` the skill queue,
        ``call_data`` call-associated data. A held call may stay held while calling out.
        ``AgentEvent_Customer_Alerting`` follows, then ``AgentEvent_Talking`` when the far end answers.

        | ${second} = | `Call Out` | 88880002 |
        """
        body = {"called": number, "caller": caller, "skillid": skill_id, "callappdata": call_data}
        reply = self._agent_call(agent, "callout", expected_retcode,
                                 body={k: v for k, v in body.items() if v is not None})
        result = reply.get("result")
        callid = result if isinstance(result, str) and result else None
        if succeeded(reply):
            logger.info(f"Outbound call ID: {callid or 'not given in the reply'}.")
        return callid

    @keyword(tags=["call", "conference", "confJoin"])
    def make_three_party_call(self, callid: str, call_data: str | None = None, agent: str | None = None,
                              expected_retcode: str = SUCCESS) -> None:
        """Joins the held call ``callid`` and the current call into a three-party call (``confJoin``).

        ``AgentEvent_Conference`` follows with the held call's ID and the partners' numbers.

        | `Hold Call` |
        | `Call Out` | 88880002 |
        | `Wait For Event` | AgentEvent_Talking |
        | `Make Three Party Call` | ${customer} |
        | `Wait For Event` | AgentEvent_Conference | callid=${customer} |
        """
        body = {"callid": callid} | ({"callappdata": call_data} if call_data is not None else {})
        self._agent_call(agent, "confJoin", expected_retcode, body=body)
