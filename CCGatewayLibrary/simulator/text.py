"""Text sessions (the ``mediacall`` chapter and the older ``textchat`` routes): a customer writes, the session is
offered to an agent, who answers, writes back, transfers it to a colleague or ends it; the agent's session limits;
the H5 video helpers the simulator has not got.

A text session does not take the agent's phone, so it is no leg of a voice call and leaves the agent state alone
(a chosen simplification: the pages do not say what a multimedia session does to the voice state). Customers'
messages reach the agent as ``AgentEvent_MessageData`` (the vendor's event); offering, connecting and ending a
session send the ``AgentChat_*`` events that public demo clients of the older routes handle (not vendor facts).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from . import events
from .operations import Request, serves
from .world import Agent, Call, Refused, SimulationError, World

NOT_NOW = "100-007"
EMPTY_MESSAGE = "106-002"
SESSIONS_OUT_OF_RANGE = "106-003"
TRANSFER_TARGET = "106-004"  # the error table's row about mediacall transfer's devicetype (meaning cut off)
NO_VIDEO = "106-011"  # listed on the H5 video pages; meaning unknown
TEXT_CHAT = "1"  # setCallNums' mediaType of text chat, the kind of session the simulator offers
MAX_SESSIONS = 60
TO_AGENT = {"mediaTransfer": 2, "tranfser": 1}  # each route's code for "transfer to an agent"


@dataclass(eq=False)
class TextSession:
    call: Call  # callid; caller: the customer's address; called: the agent's; data: what a transfer attached
    agent_id: str
    login: int  # the agent's sign-in it belongs to: a session does not outlive its agent's sign-in
    connected: bool = False
    waiting: list[str] = field(default_factory=list)  # the customer's messages before the agent answered
    messages: list[dict[str, str]] = field(default_factory=list)  # both sides' messages, in order

    ended: bool = False  # rejected or dropped: kept for the control interface, closed to everyone else

    def describe(self) -> dict[str, Any]:
        return {"callid": self.call.callid, "customer": self.call.caller, "agent": self.agent_id,
                "connected": self.connected, "ended": self.ended, "messages": list(self.messages)}


class TextChapter:
    """The mediacall and textchat interfaces, and the control interface's writing customers."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: dict[str, TextSession] = {}
        self.ended: dict[str, TextSession] = {}  # so a test can still read an ended session's messages
        # (agent, sign-in) -> media type (or "total") -> most sessions at once; set anew for each sign-in
        self.limits: dict[tuple[str, int], dict[str, int]] = {}
        self._numbers = itertools.count(1)

    # -- the customer's side (control interface) ----------------------------------------------------------------
    def customer_writes(self, customer: str, agent_id: str, text: str, callid: str | None = None) -> str:
        """The customer ``customer`` writes ``text``: in session ``callid``, or in a new one offered to agent
        ``agent_id``. Returns the session's call ID."""
        if callid is not None:
            session = self.sessions.get(callid)
            if session is None or session.call.caller != customer or not self._current(session):
                raise SimulationError(f"no text session {callid} of customer {customer}")
        else:
            session = self._offer(customer, agent_id)
        session.messages.append({"from": customer, "text": text})
        agent = self.world.agents[session.agent_id]
        if session.connected:
            self.world.send(agent, events.message_data(session.call, text))
        else:
            session.waiting.append(text)
        return session.call.callid

    def _offer(self, customer: str, agent_id: str) -> TextSession:
        if agent_id not in self.world.roster or not self.world.agent(agent_id).signed_in:
            raise SimulationError(f"agent {agent_id} is not signed in")
        agent = self.world.agents[agent_id]
        held = sum(1 for session in self.sessions.values() if session.agent_id == agent_id and self._current(session))
        limits = self.limits.get((agent_id, agent.session), {})
        limit = min(limits.get(key, MAX_SESSIONS) for key in (TEXT_CHAT, "total"))
        if held >= limit:
            raise SimulationError(f"agent {agent_id} already holds {held} text session(s), its limit")
        now = self.world.now()
        call = Call(f"{int(now)}-text{next(self._numbers)}", events.Feature.INBOUND, customer, agent.phone,
                    int(now * 1000))
        session = self.sessions[call.callid] = TextSession(call, agent_id, agent.session)
        self.world.send(agent, events.chat_ring(call))
        return session

    def _current(self, session: TextSession) -> bool:
        """Whether the session's agent is still in the sign-in the session belongs to."""
        agent = self.world.agents[session.agent_id]
        return agent.signed_in and agent.session == session.login

    def describe(self, callid: str) -> dict[str, Any]:
        session = self.sessions.get(callid) or self.ended.get(callid)
        if session is None:
            raise SimulationError(f"no text session {callid}")
        return session.describe()

    def _end(self, session: TextSession) -> None:
        session.connected, session.ended = False, True
        self.ended[session.call.callid] = self.sessions.pop(session.call.callid)

    # -- the agent's side --------------------------------------------------------------------------------------
    def _held(self, agent: Agent, callid: object, *, connected: bool | None = True) -> TextSession:
        """The session ``callid`` offered to (``connected=False``) or held by (True) the agent, or either (None)."""
        session = self.sessions.get(str(callid))
        if session is None or session.agent_id != agent.agent_id or not self._current(session) or \
                (connected is not None and session.connected != connected):
            how = {True: "holds", False: "was offered", None: "has"}[connected]
            raise Refused(NOT_NOW, f"agent {agent.agent_id} {how} no text session {callid}")
        return session

    @serves("textchatAnswer")
    def answer(self, agent: Agent, request: Request) -> str:
        session = self._held(agent, request["path"]["callid"], connected=False)
        session.connected = True
        self.world.send(agent, events.chat_connected(session.call))
        for text in session.waiting:
            self.world.send(agent, events.message_data(session.call, text))
        session.waiting.clear()
        return session.call.callid

    @serves("textchatReject")
    def reject(self, agent: Agent, request: Request) -> None:
        session = self._held(agent, request["path"]["callid"], connected=False)
        self._end(session)  # no agent takes it: the customer's session ends

    @serves("textchatDrop")
    def drop(self, agent: Agent, request: Request) -> str:
        session = self._held(agent, request["path"]["callid"], connected=None)
        self._end(session)
        self.world.send(agent, events.chat_disconnected(session.call))
        return session.call.callid

    def _write(self, agent: Agent, callid: object, data: object) -> str:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False) if data else ""
        if not text.strip():
            raise Refused(EMPTY_MESSAGE, "the message is empty")
        session = self._held(agent, callid)
        session.messages.append({"from": agent.agent_id, "text": text})
        return session.call.callid

    @serves("sendMessage")
    def send_message(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        self._write(agent, body["callid"], body["data"])

    @serves("chat")
    def chat(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        return self._write(agent, body.get("callId", body.get("callid")), body["content"])

    def _transfer(self, agent: Agent, callid: object, to_agent: bool, target_id: str, data: str) -> None:
        session = self._held(agent, callid)
        if not to_agent:
            raise Refused(TRANSFER_TARGET, "the simulator transfers text sessions to agents only")
        if target_id == agent.agent_id or target_id not in self.world.roster \
                or not self.world.agent(target_id).signed_in:
            raise Refused(NOT_NOW, f"agent {target_id} cannot take the session: not signed in, or the agent itself")
        target = self.world.agents[target_id]
        self.world.send(agent, events.chat_disconnected(session.call))
        session.agent_id, session.login, session.connected, session.call.data = target_id, target.session, False, data
        session.call.called = target.phone
        self.world.send(target, events.chat_ring(session.call))

    @serves("mediaTransfer")
    def transfer(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        self._transfer(agent, body["callid"], int(body["devicetype"]) == TO_AGENT["mediaTransfer"],
                       str(body["address"]), str(body.get("calldata", "")))

    @serves("tranfser")
    def transfer_older(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        self._transfer(agent, body["callid"], int(body["addesstype"]) == TO_AGENT["tranfser"],
                       str(body["destaddr"]), str(body.get("attachdata", "")))

    @serves("textchatInternalCall")
    def internal_chat(self, agent: Agent, request: Request) -> None:
        raise Refused(NOT_NOW, "the simulator has no text chats between agents")

    # -- limits ------------------------------------------------------------------------------------------------
    @serves("setCallNums")
    def set_limit(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        count = int(body["callnums"])
        if not 1 <= count <= MAX_SESSIONS:
            raise Refused(SESSIONS_OUT_OF_RANGE, f"callnums must be 1 to {MAX_SESSIONS}, got {count}")
        self.limits.setdefault((agent.agent_id, agent.session), {})[str(body["mediaType"])] = count

    @serves("setCallNumsByMediaType")
    def set_total_limit(self, agent: Agent, request: Request) -> None:
        # Only the total is known: the page is cut off inside the per-channel table, before its count field.
        self.limits.setdefault((agent.agent_id, agent.session), {})["total"] = int(request["body"]["totalCallNum"])

    # -- H5 video, which the simulator has not got -------------------------------------------------------------
    @serves("getConnectInfo", "imageCapture")
    def video(self, agent: Agent, request: Request) -> None:
        raise Refused(NO_VIDEO, "the simulator has no H5 video calls")
