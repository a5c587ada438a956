from __future__ import annotations

from typing import Any

from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from .base import LibraryComponent, Retcodes, succeeded

NO_HELD_CALL = "400-003"


class CallDataKeywords(LibraryComponent):
    """What the gateway knows about the agent's calls."""

    @keyword(tags=["call", "calldata", "queryHoldListInfo"])
    def get_held_calls(self, agent: str | None = None,
                       expected_retcode: Retcodes | None = None) -> list[dict[str, Any]] | None:
        """Returns the agent's held calls (``queryHoldListInfo``), each with ``callid``, ``caller``,
        ``called`` and ``callfeature``; an empty list when none is held (the gateway's 400-003).

        A refusal given as ``expected_retcode`` (a negative test) returns None."""
        expected = [SUCCESS, NO_HELD_CALL] if expected_retcode is None else expected_retcode
        reply = self._agent_call(agent, "queryHoldListInfo", expected)
        if str(reply["retcode"]) not in (SUCCESS, NO_HELD_CALL):
            return None
        held = list(reply.get("result") or []) if reply["retcode"] == SUCCESS else []
        logger.info(f"Held calls: {', '.join(str(call.get('callid')) for call in held) or 'none'}.")
        return held

    @keyword(tags=["call", "calldata", "queryCallInfo", "queryCallInfoByCallId", "queryCallInfoBeforeAnswer"])
    def get_call_info(self, callid: str | None = None, before_answer: bool = False, include_last: bool = True,
                      agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> Any:
        """Returns call data from the gateway.

        | = Arguments = | = Interface = | = Returns = |
        | (none)        | ``queryCallInfo`` | the current call, else the last one (not with ``include_last=False``) |
        | ``callid``    | ``queryCallInfoByCallId`` | that call |
        | ``before_answer=True`` | ``queryCallInfoBeforeAnswer`` | the calls offered and not answered yet |

        A call has ``callid``, ``caller``, ``called``, ``callfeature`` (0 inbound, 6 internal, 7 outbound, ...),
        ``calldata`` and ``begintime``. A refusal given as ``expected_retcode`` (a negative test) returns None.

        | ${info} = | `Get Call Info` |
        | Should Be Equal | ${info}[caller] | 88880001 |
        """
        if before_answer:
            reply = self._agent_call(agent, "queryCallInfoBeforeAnswer", expected_retcode)
            return list(reply.get("result") or []) if succeeded(reply) else None
        if callid is not None:
            reply = self._agent_call(agent, "queryCallInfoByCallId", expected_retcode, path={"callid": callid})
        else:
            reply = self._agent_call(agent, "queryCallInfo", expected_retcode,
                                     query={"isNoContainLastCall": None if include_last else True})
        return dict(reply.get("result") or {}) if succeeded(reply) else None
