from __future__ import annotations

from typing import Any, Literal

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..catalogue.gateway import SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, succeeded

TextTarget = Literal["agent", "skill", "access code"]
TextTransferMode = Literal["release", "success"]
# mediaTransfer's devicetype and mode
TARGETS: dict[str, int] = {"skill": 1, "agent": 2, "access code": 4}
TRANSFER_MODES: dict[str, int] = {"release": 0, "success": 2}
MESSAGE_EVENT = "AgentEvent_MessageData"  # how a customer's message reaches the agent


class TextKeywords(LibraryComponent):
    """Text (multimedia) sessions: answering a customer's chat, writing back, transferring and ending it, the
    messages that arrived, the agent's session limit (the ``mediacall`` chapter and the older ``textchat`` routes),
    and the H5 video helpers of the same chapter.

    A session offered to the agent arrives as ``AgentChat_Ring`` with its ``callId``; answered, it is
    ``AgentChat_Connected``, ended or transferred away ``AgentChat_Disconnected``. Those three events and the
    ``textchat`` routes that answer and end a session are what public demo clients of older gateways use: no
    vendor page documents them. The customer's messages reach the agent as ``AgentEvent_MessageData``.
    """

    @keyword(tags=["text", "textchatAnswer"])
    def answer_text_session(self, callid: str, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> None:
        """Answers the text session ``callid`` offered to the agent (``AgentChat_Ring``) with the older
        ``textchat`` route (catalogue id ``textchatAnswer``). The agent gets ``AgentChat_Connected``, then the
        customer's messages so far as ``AgentEvent_MessageData``.

        | ${ring} = | `Wait For Event` | AgentChat_Ring |
        | `Answer Text Session` | ${ring}[content][callId] |
        """
        self._agent_call(agent, "textchatAnswer", expected_retcode, path={"callid": callid})

    @keyword(tags=["text", "textchatReject"])
    def reject_text_session(self, callid: str, agent: str | None = None,
                            expected_retcode: Retcodes = SUCCESS) -> None:
        """Turns down the text session ``callid`` offered to the agent (``textchatReject``, an older route).

        | `Reject Text Session` | ${session} |
        """
        self._agent_call(agent, "textchatReject", expected_retcode, path={"callid": callid})

    @keyword(tags=["text", "sendMessage"])
    def send_text_message(self, callid: str, text: str, user_id: str | None = None, agent: str | None = None,
                          expected_retcode: Retcodes = SUCCESS) -> None:
        """Writes ``text`` to the customer of the text session ``callid`` (``sendMessage``). The gateway takes
        under 1.9 KB with platform encryption, under 3.8 KB with service-side encryption; ``user_id`` is the
        user number where the channel needs one.

        | `Send Text Message` | ${session} | How can I help? |
        """
        if not text.strip():
            raise RequestSchemaError("sendMessage request is invalid, not sent: text is empty; the gateway refuses "
                                     "an empty message (106-002)")
        body = {"callid": callid, "data": text} | ({"userid": user_id} if user_id is not None else {})
        self._agent_call(agent, "sendMessage", expected_retcode, body=body)

    @keyword(tags=["text", "mediaTransfer"])
    def transfer_text_session(self, callid: str, to: str, to_type: TextTarget = "agent",
                              mode: TextTransferMode = "release", call_data: str | None = None,
                              skill_id: int | None = None, caller: str | None = None, agent: str | None = None,
                              expected_retcode: Retcodes = SUCCESS) -> None:
        """Transfers the text session ``callid`` (``mediaTransfer``, log name ``transfer``) to ``to``: an agent
        ID, a skill queue ID or a system access code, as ``to_type`` says. ``mode`` is ``release`` (the agent lets
        go at once) or ``success`` (when the target takes it); ``call_data`` goes to the receiving agent,
        ``skill_id`` names the queue of a transfer to an agent.

        The agent gets ``AgentChat_Disconnected``, the colleague ``AgentChat_Ring`` (both inferred: the vendor's
        page on the interface's events was cut off).

        | `Transfer Text Session` | ${session} | 102 |
        | `Wait For Event` | AgentChat_Ring | agent=second |
        """
        if to_type not in TARGETS:
            raise RequestSchemaError(f"mediaTransfer request is invalid, not sent: to_type '{to_type}' is not a "
                                     f"target; choose {', '.join(TARGETS)}")
        if mode not in TRANSFER_MODES:
            raise RequestSchemaError(f"mediaTransfer request is invalid, not sent: mode '{mode}' is not a transfer "
                                     f"mode; choose {', '.join(TRANSFER_MODES)}")
        optional = {"calldata": call_data, "skillId": skill_id, "caller": caller}
        body = {"callid": callid, "devicetype": TARGETS[to_type], "mode": TRANSFER_MODES[mode], "address": to} | {
            key: value for key, value in optional.items() if value is not None}
        self._agent_call(agent, "mediaTransfer", expected_retcode, body=body)

    @keyword(tags=["text", "textchatDrop"])
    def end_text_session(self, callid: str, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Ends the text session ``callid`` (``textchatDrop``, an older route); the agent gets
        ``AgentChat_Disconnected``.

        | `End Text Session` | ${session} |
        """
        self._agent_call(agent, "textchatDrop", expected_retcode, path={"callid": callid})

    @keyword(tags=["text", "getAgentEvent"])
    def get_text_messages(self, callid: str | None = None, assertion_operator: AssertionOperator | None = None,
                          assertion_expected: Any = None, message: str | None = None,
                          agent: str | None = None) -> list[dict[str, Any]]:
        """Returns the customers' messages that reached the agent (``AgentEvent_MessageData`` events received so
        far), oldest first; with ``callid``, those of that session only. Each has ``callid``, ``caller`` and
        ``text``.

        An assertion (see `Assertions in getters`) applies to the list of texts and is tried again until it holds,
        as further messages arrive. The texts are not logged: they can hold personal data.

        | ${messages} = | `Get Text Messages` | ${session} |
        | `Get Text Messages` | ${session} | == | ${{['hello', 'are you there?']}} |
        | `Get Text Messages` | validate | len(value) == 2 |
        """
        handle = self.ctx.agent(agent)

        def arrived() -> list[dict[str, Any]]:
            found = []
            for recorded in handle.journal.events():
                content = recorded.event.get("content") if recorded.name == MESSAGE_EVENT else None
                if isinstance(content, dict) and (callid is None or str(content.get("callid")) == callid):
                    found.append({"callid": content.get("callid"), "caller": content.get("caller"),
                                  "text": content.get("message")})
            return found

        found = self._asserted("Get Text Messages", arrived, assertion_operator, assertion_expected, message,
                               lambda messages: [each["text"] for each in messages], name="texts")
        logger.info(f"{len(found)} text message(s) arrived for {handle.describe()}"
                    f"{f' in session {callid}' if callid else ''}.")
        return found

    @keyword(tags=["text", "setCallNums"])
    def set_text_session_limit(self, count: int, media_type: int = 1, agent: str | None = None,
                               expected_retcode: Retcodes = SUCCESS) -> None:
        """Sets how many sessions of ``media_type`` the agent takes at once, 1 to 60 (``setCallNums``).
        ``media_type``: 1 text chat, 51 web chat, 53 social chat (others: see the interface's rules); it must be the
        media type of the agent's skill queues.

        | `Set Text Session Limit` | 3 |
        | `Set Text Session Limit` | 2 | media_type=53 |
        """
        self._agent_call(agent, "setCallNums", expected_retcode,
                         body={"mediaType": str(media_type), "callnums": str(count)})

    @keyword(tags=["media", "getConnectInfo"])
    def get_video_connection_info(self, callid: str, assertion_operator: AssertionOperator | None = None,
                                  assertion_expected: Any = None, message: str | None = None,
                                  agent: str | None = None,
                                  expected_retcode: Retcodes = SUCCESS) -> dict[str, Any] | None:
        """Returns the H5 video call ``callid``'s connection information again, to rejoin it after losing it
        (``getConnectInfo``): the media server's ``ip`` and ``port``, ``channelId``, ``signature`` and more, as
        ``AgentEvent_RequestConnect`` gives them. A refusal given as ``expected_retcode`` returns None.

        An assertion (see `Assertions in getters`) applies to the dictionary (None after a refusal).

        | ${connection} = | `Get Video Connection Info` | ${callid} |
        | `Get Video Connection Info` | ${callid} | validate | value['port'] |
        """

        def connection() -> dict[str, Any] | None:
            reply = self._agent_call(agent, "getConnectInfo", expected_retcode,
                                     body={"userType": "agent", "callid": callid})
            result = reply.get("result")
            return dict(result) if succeeded(reply) and isinstance(result, dict) else None

        return self._asserted("Get Video Connection Info", connection, assertion_operator, assertion_expected,
                              message, name="connection info")

    @keyword(tags=["media", "imageCapture"])
    def capture_customer_image(self, callid: str, agent: str | None = None,
                               expected_retcode: Retcodes = SUCCESS) -> None:
        """Takes a screenshot of the customer in the H5 video call ``callid`` (``imageCapture``); the outcome
        arrives as ``AgentEvent_ImageCapture``.

        | `Capture Customer Image` | ${callid} |
        | `Wait For Event` | AgentEvent_ImageCapture |
        """
        self._agent_call(agent, "imageCapture", expected_retcode, body={"userType": "user", "callid": callid})
