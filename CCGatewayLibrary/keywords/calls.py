from __future__ import annotations

from typing import Literal

from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from .base import LibraryComponent, Retcodes, succeeded


class CallKeywords(LibraryComponent):
    """The agent's own calls: answering, rejecting, releasing, holding, placing calls, muting, digits,
    three-party calls and taking a colleague's ringing call."""

    @keyword(tags=["call", "answer"])
    def answer_call(self, callid: str | None = None, agent: str | None = None,
                    expected_retcode: Retcodes = SUCCESS) -> None:
        """Answers the call ringing at the agent (``answer``); ``AgentEvent_Talking`` follows.

        ``callid`` is only needed when the agent has several calls.

        | `Wait For Event` | AgentEvent_Ringing |
        | `Answer Call` |
        """
        self._agent_call(agent, "answer", expected_retcode, query={"callid": callid})

    @keyword(tags=["call", "release", "releaseEx"])
    def release_call(self, agent: str | None = None, legacy: bool = False,
                     expected_retcode: Retcodes = SUCCESS) -> None:
        """Hangs up the agent's current call (``release``); held calls stay held.

        Events: ``AgentEvent_Call_Release``, ``AgentEvent_Customer_Release``, ``AgentOther_PhoneRelease`` and,
        when no call is left, ``AgentState_Ready``. In a conference the agent leaves and the others stay
        connected. ``legacy=True`` uses the older form of the interface (``releaseEx``).
        """
        self._agent_call(agent, "releaseEx" if legacy else "release", expected_retcode)

    @keyword(tags=["call", "reject"])
    def reject_call(self, then: Literal["busy", "idle"] = "idle", callid: str | None = None,
                    agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Rejects the call ringing at the agent (``reject``): ``then=busy`` sends it back to its queue and sets
        the agent busy, ``then=idle`` releases it and the agent stays idle. ``AgentEvent_No_Answer`` follows.
        """
        body = {"mode": 1 if then == "busy" else 2} | ({"callid": callid} if callid else {})
        self._agent_call(agent, "reject", expected_retcode, body=body)

    @keyword(tags=["call", "hold"])
    def hold_call(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Puts the agent's current call on hold (``hold``); ``AgentEvent_Hold`` follows with the call ID."""
        self._agent_call(agent, "hold", expected_retcode)

    @keyword(tags=["call", "getHold"])
    def retrieve_call(self, callid: str | None = None, agent: str | None = None,
                      expected_retcode: Retcodes = SUCCESS) -> None:
        """Takes a held call back (``getHold``); ``callid`` picks one when several are held.

        | `Hold Call` |
        | `Retrieve Call` | ${customer} |
        """
        self._agent_call(agent, "getHold", expected_retcode, query={"callid": callid})

    @keyword(tags=["call", "callout"])
    def call_out(self, number: str, caller: str | None = None, skill_id: int | None = None,
                 call_data: str | None = None, agent: str | None = None,
                 expected_retcode: Retcodes = SUCCESS) -> str | None:
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

    @keyword(tags=["call", "beginMute"])
    def mute_call(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Mutes the agent in the current call (``beginMute``): the other parties no longer hear the agent."""
        self._agent_call(agent, "beginMute", expected_retcode)

    @keyword(tags=["call", "endMute"])
    def unmute_call(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Lets the other parties hear the agent again (``endMute``)."""
        self._agent_call(agent, "endMute", expected_retcode)

    @keyword(tags=["call", "secondDialEx"])
    def send_digits(self, digits: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Sends DTMF ``digits`` (1 to 24 of ``0-9``, ``*`` and ``#``) into the current call (``secondDialEx``),
        for example to an IVR menu the agent has called. No event follows.

        | `Send Digits` | 1234# |
        """
        self._agent_call(agent, "secondDialEx", expected_retcode, query={"number": digits})

    @keyword(tags=["call", "dropCall"])
    def drop_call(self, callid: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Releases the agent's call ``callid`` (``dropCall``), whichever of its calls that is, held or not.

        | `Drop Call` | ${customer} |
        """
        self._agent_call(agent, "dropCall", expected_retcode, path={"callid": callid})

    @keyword(tags=["call", "conference", "disconnect"])
    def disconnect_party(self, number: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Disconnects the party with phone ``number`` from the agent's latest call (``disconnect``); the others
        stay connected. The agent's own phone number disconnects the agent.

        | `Disconnect Party` | 88880002 |
        """
        self._agent_call(agent, "disconnect", expected_retcode, path={"number": number})

    @keyword(tags=["call", "dropCall", "deprecated"])
    def disconnect_call(self, callid: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """*Deprecated:* use `Drop Call`, which sends the same ``dropCall``; this name said otherwise."""
        logger.warn("'Disconnect Call' is deprecated: it sends dropCall, so it is now called 'Drop Call'.")
        self.drop_call(callid, agent, expected_retcode)

    @keyword(tags=["call", "conference", "disconnect", "deprecated"])
    def drop_conference_party(self, number: str, agent: str | None = None,
                              expected_retcode: Retcodes = SUCCESS) -> None:
        """*Deprecated:* use `Disconnect Party`, which sends the same ``disconnect``; this name said otherwise."""
        logger.warn("'Drop Conference Party' is deprecated: it sends disconnect, so it is now called "
                    "'Disconnect Party'.")
        self.disconnect_party(number, agent, expected_retcode)

    @keyword(tags=["call", "snatchpickup"])
    def pick_up_call(self, from_agent: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Takes the call ringing at agent ``from_agent`` (an agent ID) to this agent (``snatchpickup``); this
        agent must be idle, the call not an internal one. ``AgentEvent_Talking`` follows.
        """
        self._agent_call(agent, "snatchpickup", expected_retcode, query={"destWorkNo": from_agent})

    @keyword(tags=["call", "phonepickup"])
    def pick_up_desk_phone(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Answers on the linked desk phone (``phonepickup``, phone linkage with eSpace 7910 phones only)."""
        self._agent_call(agent, "phonepickup", expected_retcode)

    @keyword(tags=["call", "phonehangup"])
    def hang_up_desk_phone(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Rejects on the linked desk phone (``phonehangup``, phone linkage with eSpace 7910 phones only)."""
        self._agent_call(agent, "phonehangup", expected_retcode)

    @keyword(tags=["call", "conference", "confJoin"])
    def make_three_party_call(self, callid: str, call_data: str | None = None, agent: str | None = None,
                              expected_retcode: Retcodes = SUCCESS) -> None:
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
