from __future__ import annotations

from typing import Any, Literal

from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS, TRANSFER_MODES, TRANSFER_TARGETS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded

Target = Literal["agent", "skill", "ivr", "access code", "number"]
Mode = Literal["release", "success", "specified", "suspend", "talk", "three-party"]


class TransferKeywords(LibraryComponent):
    """Calls between agents and passing a customer on: internal calls, help, transfers, connecting calls."""

    def _new_call(self, reply: dict[str, Any]) -> str | None:
        result = reply.get("result")
        callid = result if isinstance(result, str) and result else None
        if succeeded(reply):
            logger.info(f"New call ID: {callid or 'not given in the reply'}.")
        return callid

    @keyword(tags=["call", "internal", "callInner"])
    def call_agent(self, agent_id: str, caller: str | None = None, skill_id: int | None = None,
                   call_data: str | None = None, agent: str | None = None,
                   expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Calls colleague ``agent_id`` (an internal call, ``callInner``) and returns the new call's ID.

        The colleague's phone rings (``AgentEvent_Ringing`` there); when the colleague answers, both get
        ``AgentEvent_Talking``. When nobody can take it the caller gets ``AgentEvent_Inside_Call_Fail``.

        | ${internal} = | `Call Agent` | 102 |
        | `Wait For Event` | AgentEvent_Ringing | agent=second |
        """
        body = {"called": agent_id, "caller": caller, "skillid": skill_id, "callappdata": call_data}
        reply = self._agent_call(agent, "callInner", expected_retcode,
                                 body={k: v for k, v in body.items() if v is not None})
        return self._new_call(reply)

    @keyword(tags=["call", "internal", "callInnerSkill"])
    def call_skill_queue(self, skill_id: int, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Calls skill queue ``skill_id`` (``callInnerSkill``): a free agent of the queue is offered the call.
        Returns the new call's ID; ``AgentEvent_Inside_Call_Fail`` follows when no agent of the queue is free."""
        reply = self._agent_call(agent, "callInnerSkill", expected_retcode, body={"skillId": skill_id})
        return self._new_call(reply)

    @keyword(tags=["call", "help", "innerHelp"])
    def ask_for_help(self, helper: str, helper_type: Literal["agent", "skill"] = "agent",
                     three_party: bool = False, hold: bool = True, call_data: str | None = None,
                     agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Asks a colleague (``helper_type=agent``, ``helper`` is an agent ID) or a skill queue (``skill``) for
        help during a call (``innerHelp``) and returns the ID of the call that carries the help.

        By default the customer is held (``AgentEvent_Hold``) while the agent consults the helper; afterwards
        `Transfer Call` to the helper hands the customer over, `Make Three Party Call` brings all three
        together, and releasing the help call and `Retrieve Call` goes back to the customer.
        ``three_party=True`` brings the helper straight into the customer's call (``AgentEvent_Conference``
        when the helper answers); ``hold`` keeps the customer held until then. ``AgentEvent_Consult_Fail``
        follows when no helper can be reached.

        | ${help} = | `Ask For Help` | 102 |
        | `Wait For Event` | AgentEvent_Ringing | agent=second |
        """
        body = {"dstaddress": helper, "devicetype": 1 if helper_type == "skill" else 2,
                "mode": 2 if three_party else 1, "holdflag": hold} | (
            {"callappdata": call_data} if call_data is not None else {})
        reply = self._agent_call(agent, "innerHelp", expected_retcode, body=body)
        return self._new_call(reply)

    @keyword(tags=["call", "transfer"])
    def transfer_call(self, to: str, to_type: Target = "agent", mode: Mode = "success", caller: str | None = None,
                      skill_id: int | None = None, call_data: str | None = None, hold: bool | None = None,
                      agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Transfers the agent's call (``transfer``) to ``to``: an agent ID, a skill queue ID, an IVR or system
        access code, or an external phone number, as ``to_type`` says.

        ``mode`` is how (the gateway offers these per target):
        | = to_type = | = modes = |
        | agent       | ``release``, ``success``, ``specified`` |
        | skill       | ``release``, ``success`` |
        | ivr         | ``release``, ``suspend`` |
        | access code | ``release``, ``success`` |
        | number      | ``release``, ``success``, ``talk``, ``three-party`` |

        ``release`` is blind: the agent leaves at once. With ``success`` the agent leaves when the receiver
        answers (``AgentEvent_SuccTransResult``). ``suspend`` lets the customer visit the IVR and come back
        (``AgentEvent_ReturnFromIvr``). ``talk`` and ``three-party`` connect the three
        (``AgentEvent_Conference``); `Cancel Transfer` drops the number again.

        After `Ask For Help` the customer is handed to the helper consulted. ``caller`` is the number shown to
        an external number, ``skill_id`` the queue for a transfer to an agent.

        | `Transfer Call` | 102 |
        | `Transfer Call` | 2 | to_type=skill | mode=release |
        | `Transfer Call` | 88880009 | to_type=number | mode=three-party |
        """
        device = TRANSFER_TARGETS[to_type]
        modes = TRANSFER_MODES[device]
        if mode not in modes:
            raise RequestSchemaError(f"transfer request is invalid, not sent: mode '{mode}' is not offered for a "
                                     f"transfer to {to_type}; choose {', '.join(modes)}")
        body: dict[str, Any] = {"devicetype": device, "address": to, "mode": modes[mode], "caller": caller,
                                "skillId": skill_id, "callappdata": call_data, "holdflag": hold}
        self._agent_call(agent, "transfer", expected_retcode, body={k: v for k, v in body.items() if v is not None})

    @keyword(tags=["call", "transfer", "cancelTransfer"])
    def cancel_transfer(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Cancels a talk or three-party transfer to an external number (``cancelTransfer``): the number is
        dropped and the agent talks with the customer again."""
        self._agent_call(agent, "cancelTransfer", expected_retcode)

    @keyword(tags=["call", "connectHold"])
    def connect_held_call(self, callid: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Connects the current call's party with the held call ``callid``'s party and leaves both calls
        (``connectHold``): the two talk on without the agent."""
        self._agent_call(agent, "connectHold", expected_retcode, path={"callid": callid})

    @keyword(tags=["call", "preview", "previewCallout"])
    def preview_call_out(self, number: str, control_id: int, agent: str | None = None,
                         expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Calls ``number`` of a preview outbound task (``previewCallout``): ``control_id`` is the ``controlid``
        and ``number`` one of the ``dialeddigits`` of the ``AgentEvent_Preview`` event. Returns the call ID."""
        reply = self._agent_call(agent, "previewCallout", expected_retcode,
                                 body={"called": number, "callcontrolid": control_id})
        return self._new_call(reply)
