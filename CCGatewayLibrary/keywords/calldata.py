from __future__ import annotations

from typing import Any

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from .base import LibraryComponent, Retcodes, succeeded
from .returns import CallInfo

NO_HELD_CALL = "400-003"


class CallDataKeywords(LibraryComponent):
    """What the gateway knows about the agent's calls."""

    @keyword(tags=["call", "calldata", "queryHoldListInfo"])
    def get_held_calls(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                       message: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes | None = None) -> list[CallInfo] | None:
        """Returns the agent's held calls (``queryHoldListInfo``), each with ``callid``, ``caller``,
        ``called`` and ``callfeature``; an empty list when none is held (the gateway's 400-003).

        A refusal given as ``expected_retcode`` (a negative test) returns None. An assertion (see
        `Assertions in getters`) applies to the list.

        | `Get Held Calls` | validate | len(value) == 1 |
        | `Get Held Calls` | ``==`` | ${{[]}} |
        """
        expected = [SUCCESS, NO_HELD_CALL] if expected_retcode is None else expected_retcode

        def held_calls() -> list[CallInfo] | None:
            reply = self._agent_call(agent, "queryHoldListInfo", expected)
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
