"""Call-associated data and call queries (the ``calldata`` chapter, beside the four call-info queries the call
chapter answers): data a CRM writes on a call and the next agent reads, business data, the IDs, counts and parties
of an agent's calls, and an inspector's look at another agent's held calls.

The data is kept on the call (``Call.data``, ``Call.business_data``), so it follows the call wherever the call
goes: a transfer offers the same call to the next agent, a consulted transfer moves the helper into it. Skill-queue
figures (waiting calls, statistics) are the queue chapter's.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ..catalogue.gateway import CALL_DATA_LIMIT
from ..catalogue.states import CallState
from .operations import Request, serves
from .world import Agent, Call, Refused, Role, World

NO_CALL = "400-001"  # set call data: there is no call
NO_HELD_CALL = "400-003"
NO_RIGHT = "300-001"  # no right to query another agent's calls
BAD_PARAMETER = "000-002"


def _flag(value: object) -> bool:
    return str(value).lower() == "true"


class CallDataChapter:
    """The calldata interfaces; reading and writing data on calls, never changing who is in them."""

    def __init__(self, world: World) -> None:
        self.world = world

    # -- which call -------------------------------------------------------------------------------------
    @staticmethod
    def _call(agent: Agent, callid: object = None) -> Call:
        """The agent's call ``callid`` (default: its current call, the talking one before a held one)."""
        if not agent.calls:
            raise Refused(NO_CALL, f"agent {agent.agent_id} has no call")
        if callid in (None, ""):
            talking = [leg for leg in agent.calls if leg.state != CallState.HELD]
            return (talking or agent.calls)[0].call
        leg = next((leg for leg in agent.calls if leg.callid == str(callid)), None)
        if leg is None:
            raise Refused(BAD_PARAMETER, f"agent {agent.agent_id} has no call {callid}")
        return leg.call

    def _other(self, agent_id: object) -> Agent:
        """The signed-in agent ``agent_id`` of the VDN another agent asks about."""
        if str(agent_id) not in self.world.roster:
            raise Refused(BAD_PARAMETER, f"no agent {agent_id} in the VDN")
        other = self.world.agent(str(agent_id))
        if not other.signed_in:
            raise Refused("100-006", f"agent {agent_id} is not signed in")
        return other

    @staticmethod
    def _data(text: object, encoded: bool) -> str:
        """The data as stored (plain text), checked against the gateway's rules."""
        if not isinstance(text, str):
            raise Refused(BAD_PARAMETER, "calldata must be text")
        if encoded:
            try:
                text = base64.b64decode(text, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise Refused(BAD_PARAMETER, "calldata is not Base64 text although isDataEncoded is true") from None
        if len(text.encode("utf-8")) > CALL_DATA_LIMIT:
            raise Refused(BAD_PARAMETER, f"calldata is longer than {CALL_DATA_LIMIT} bytes")
        return text

    # -- call-associated data ---------------------------------------------------------------------------
    @serves("setCallAppDataEx")
    def set_data(self, agent: Agent, request: Request) -> None:
        body = request.get("body") or {}
        call = self._call(agent, body.get("callid"))
        call.data = self._data(body.get("calldata", ""), _flag(body.get("isDataEncoded")))

    @serves("setCallAppData")
    def set_data_legacy(self, agent: Agent, request: Request) -> None:
        query = request.get("query") or {}
        call = self._call(agent, query.get("callid"))
        call.data = self._data(query.get("calldata", ""), False)

    @serves("queryCallAppData")
    def data(self, agent: Agent, request: Request) -> str:
        query = request.get("query") or {}
        # The URI template spells callId, the parameter table callid.
        data = self._call(agent, query.get("callId", query.get("callid"))).data
        # Only the literal 'true' asks for Base64.
        return base64.b64encode(data.encode("utf-8")).decode("ascii") if query.get("isEncodeResult") == "true" \
            else data

    @serves("setCallBusinessData")
    def set_business_data(self, agent: Agent, request: Request) -> None:
        body = request.get("body") or {}
        call = self._call(agent, body.get("callid"))
        call.business_data = self._data(body.get("businessdata", ""), False)

    @serves("getCallBusinessData")
    def business_data(self, agent: Agent, request: Request) -> str:
        return self._call(agent, (request.get("body") or {}).get("callid")).business_data

    # -- the agent's calls -----------------------------------------------------------------------------
    @serves("queryAllCallID")
    def call_ids(self, agent: Agent, request: Request) -> list[str]:
        return [leg.callid for leg in agent.calls]

    @serves("queryCallNumsOnAgent")
    def call_count(self, agent: Agent, request: Request) -> int:
        return len(agent.calls)

    @serves("isProcessCall")
    def in_a_call(self, agent: Agent, request: Request) -> bool:
        return bool(agent.calls)

    @serves("queryRemoteNumbers")
    def remote_numbers(self, agent: Agent, request: Request) -> list[str]:
        return [other.number for leg in agent.calls for other in leg.call.others(leg)]

    @serves("queryPrivateCallInfo")
    def private_calls(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        # Private calls: those between agents (internal calls and help), not with a customer (inferred).
        return [leg.call.info() for leg in agent.calls
                if all(party.role is Role.AGENT for party in leg.call.parties())]

    @serves("queryAllCallInfoByAgentWorkNoEx")
    def calls_ids_of(self, agent: Agent, request: Request) -> list[str]:
        return [leg.callid for leg in self._other(request["path"]["workno"]).calls]

    @serves("queryAllCallInfoByAgentWorkNo")
    def calls_of(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [leg.call.info() for leg in self._other(request["path"]["workno"]).calls]

    @serves("queryAgentHoldNum")
    def held_count(self, agent: Agent, request: Request) -> int:
        return len(self._other(request["path"]["workno"]).find(CallState.HELD))

    @serves("queryAllCallInfoOnVdn")
    def calls_on_vdn(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [call.info() for call in self.world.calls.values() if call.agent_parties()]

    @serves("queryHoldListInfoEx")
    def held_calls_of(self, inspector: Agent, request: Request) -> list[dict[str, Any]]:
        workno = request["path"]["workno"]
        if not self.world.roster.may_inspect(inspector.agent_id, str(workno)):
            raise Refused(NO_RIGHT, f"agent {inspector.agent_id} has no inspector rights over agent {workno}")
        held = self._other(workno).find(CallState.HELD)
        if not held:
            raise Refused(NO_HELD_CALL, f"agent {workno} holds no call")
        return [{key: leg.call.info()[key] for key in ("callfeature", "callid", "caller", "called", "callskill")}
                for leg in held]

    @serves("queryCallRecordList", "querySelfCallRecordInfo")
    def call_records(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return []  # the simulator records no calls
