from __future__ import annotations

from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import CALL_DATA_LIMIT, SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded
from .returns import CallInfo

NO_HELD_CALL = "400-003"


class CallDataKeywords(LibraryComponent):
    """What the gateway knows about the agent's calls."""

    @keyword(tags=["call", "calldata", "queryHoldListInfo", "queryHoldListInfoEx"])
    def get_held_calls(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                       message: str | None = None, agent_id: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes | None = None) -> list[CallInfo] | None:
        """Returns the agent's held calls (``queryHoldListInfo``), each with ``callid``, ``caller``,
        ``called`` and ``callfeature``; an empty list when none is held (the gateway's 400-003).

        With ``agent_id`` a supervisor lists the calls agent ``agent_id`` holds (``queryHoldListInfoEx``); the
        supervisor needs inspection rights over the agent (refused with 300-001 otherwise).

        A refusal given as ``expected_retcode`` (a negative test) returns None. An assertion (see
        `Assertions in getters`) applies to the list.

        | `Get Held Calls` | validate | len(value) == 1 |
        | `Get Held Calls` | ``==`` | ${{[]}} |
        | `Get Held Calls` | validate | len(value) == 1 | agent_id=101 | agent=lead |
        """
        expected = [SUCCESS, NO_HELD_CALL] if expected_retcode is None else expected_retcode
        interface, path = ("queryHoldListInfo", None) if agent_id is None else \
            ("queryHoldListInfoEx", {"workno": agent_id})

        def held_calls() -> list[CallInfo] | None:
            reply = self._agent_call(agent, interface, expected, path=path)
            if str(reply["retcode"]) not in (SUCCESS, NO_HELD_CALL):
                return None
            held = list(reply.get("result") or []) if reply["retcode"] == SUCCESS else []
            logger.info(f"Held calls: {', '.join(str(call.get('callid')) for call in held) or 'none'}.")
            return held

        return self._asserted("Get Held Calls", held_calls, assertion_operator, assertion_expected, message,
                              name="held calls")

    @keyword(tags=["call", "calldata", "queryCallInfo", "queryCallInfoByCallId", "queryCallInfoBeforeAnswer"])
    def get_call_info(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                      message: str | None = None, callid: str | None = None, before_answer: bool = False,
                      include_last: bool = True, agent: str | None = None,
                      expected_retcode: Retcodes = SUCCESS) -> CallInfo | list[CallInfo] | None:
        """Returns call data from the gateway.

        | = Arguments = | = Interface = | = Returns = |
        | (none)        | ``queryCallInfo`` | the current call, else the last one (not with ``include_last=False``) |
        | ``callid``    | ``queryCallInfoByCallId`` | that call |
        | ``before_answer=True`` | ``queryCallInfoBeforeAnswer`` | the calls offered and not answered yet |

        A call has ``callid``, ``caller``, ``called``, ``callfeature`` (0 inbound, 6 internal, 7 outbound, ...),
        ``calldata`` and ``begintime``. A refusal given as ``expected_retcode`` (a negative test) returns None.

        An assertion (see `Assertions in getters`) applies to what is returned.

        | ${info} = | `Get Call Info` |
        | Should Be Equal | ${info}[caller] | 88880001 |
        | `Get Call Info` | validate | value['caller'] == '88880001' | callid=${customer} |
        """

        def call_info() -> Any:
            if before_answer:
                reply = self._agent_call(agent, "queryCallInfoBeforeAnswer", expected_retcode)
                return list(reply.get("result") or []) if succeeded(reply) else None
            if callid is not None:
                reply = self._agent_call(agent, "queryCallInfoByCallId", expected_retcode, path={"callid": callid})
            else:
                reply = self._agent_call(agent, "queryCallInfo", expected_retcode,
                                         query={"isNoContainLastCall": None if include_last else True})
            return dict(reply.get("result") or {}) if succeeded(reply) else None

        return self._asserted("Get Call Info", call_info, assertion_operator, assertion_expected, message,
                              name="call info")

    # -- call-associated data and business data -------------------------------------------------------------
    @keyword(tags=["calldata", "setCallAppDataEx"])
    def set_call_data(self, data: str, callid: str | None = None, encoded: bool = False, agent: str | None = None,
                      expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets the call-associated data of the agent's current call, or of call ``callid``
        (``setCallAppDataEx``): at most 16 KB of text. With ``encoded=True`` ``data`` is Base64 text of it.

        The data stays with the call: an agent the call is transferred to reads it with `Get Call Data` (and it is
        ``calldata`` in `Get Call Info`). The gateway refuses with 400-001 when the agent has no call.

        | `Set Call Data` | customer=4711;tier=gold |
        | `Transfer Call` | 102 |
        | `Get Call Data` | ``==`` | customer=4711;tier=gold | agent=second |
        """
        if not encoded and len(data.encode("utf-8")) > CALL_DATA_LIMIT:
            raise RequestSchemaError(f"setCallAppDataEx request is invalid, not sent: data is "
                                     f"{len(data.encode('utf-8'))} bytes; the gateway takes at most {CALL_DATA_LIMIT}")
        body: dict[str, Any] = {"calldata": data} | ({"callid": callid} if callid else {})
        self._agent_call(agent, "setCallAppDataEx", expected_retcode,
                         body=body | ({"isDataEncoded": True} if encoded else {}))

    @keyword(tags=["calldata", "queryCallAppData"])
    def get_call_data(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                      message: str | None = None, callid: str | None = None, base64: bool = False,
                      agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Returns the call-associated data of the agent's current call, or of call ``callid``
        (``queryCallAppData``); with ``base64=True`` the gateway answers it Base64-encoded.

        A refusal given as ``expected_retcode`` (400-001: no call) returns None. An assertion (see
        `Assertions in getters`) applies to the text.

        | ${data} = | `Get Call Data` |
        | `Get Call Data` | ``==`` | customer=4711;tier=gold |
        | `Get Call Data` | contains | 4711 | callid=${customer} |
        """

        def call_data() -> str | None:
            reply = self._agent_call(agent, "queryCallAppData", expected_retcode,
                                     query={"callId": callid, "isEncodeResult": "true" if base64 else None})
            return str(reply.get("result") or "") if succeeded(reply) else None

        return self._asserted("Get Call Data", call_data, assertion_operator, assertion_expected, message,
                              name="call data")

    @keyword(tags=["calldata", "setCallBusinessData"])
    def set_business_data(self, data: str, callid: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets the business data of the agent's current call, or of call ``callid`` (``setCallBusinessData``, a
        route without a vendor page: its body fields ``callid`` and ``businessdata`` are the simulator's). Like
        the call-associated data it stays with the call through transfers.

        | `Set Business Data` | case=CRM-77 |
        """
        self._agent_call(agent, "setCallBusinessData", expected_retcode,
                         body={"businessdata": data} | ({"callid": callid} if callid else {}))

    @keyword(tags=["calldata", "getCallBusinessData"])
    def get_business_data(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, callid: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns the business data of the agent's current call, or of call ``callid`` (``getCallBusinessData``,
        a read the gateway carries by PUT).

        | `Get Business Data` | ``==`` | case=CRM-77 | agent=second |
        """

        def business_data() -> Any:
            reply = self._agent_call(agent, "getCallBusinessData", expected_retcode,
                                     body={"callid": callid} if callid else {})
            return reply.get("result") if succeeded(reply) else None

        return self._asserted("Get Business Data", business_data, assertion_operator, assertion_expected, message,
                              name="business data")

    # -- an agent's calls ---------------------------------------------------------------------------------------
    @keyword("Get Call IDs", tags=["calldata", "queryAllCallID", "queryAllCallInfoByAgentWorkNoEx"])
    def get_call_ids(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                     message: str | None = None, agent_id: str | None = None, agent: str | None = None,
                     expected_retcode: Retcodes = SUCCESS) -> list[str] | None:
        """Returns the IDs of the agent's calls (``queryAllCallID``), or with ``agent_id`` of that agent's calls
        (``queryAllCallInfoByAgentWorkNoEx``; an agent of the same VDN, refused with 100-006 when not signed in).

        | `Get Call IDs` | validate | len(value) == 2 |
        | `Get Call IDs` | ``==`` | ${{[]}} | agent_id=102 |
        """
        interface, path = ("queryAllCallID", None) if agent_id is None else \
            ("queryAllCallInfoByAgentWorkNoEx", {"workno": agent_id})

        def call_ids() -> list[str] | None:
            reply = self._agent_call(agent, interface, expected_retcode, path=path)
            if not succeeded(reply):
                return None
            found = [str(callid) for callid in reply.get("result") or []]
            logger.info(f"Call IDs: {', '.join(found) or 'none'}.")
            return found

        return self._asserted("Get Call IDs", call_ids, assertion_operator, assertion_expected, message,
                              name="call IDs")

    @keyword(tags=["calldata", "queryCallNumsOnAgent"])
    def get_call_count(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                       message: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> int | None:
        """Returns how many calls the agent has now (``queryCallNumsOnAgent``), a held one included.

        | `Get Call Count` | ``==`` | 2 |
        """

        def count() -> int | None:
            reply = self._agent_call(agent, "queryCallNumsOnAgent", expected_retcode)
            return int(reply.get("result") or 0) if succeeded(reply) else None  # the table types it as text

        return self._asserted("Get Call Count", count, assertion_operator, assertion_expected, message,
                              name="call count")
