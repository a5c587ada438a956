"""The agents' chapter: sign-in and sign-out, Guids, the state interfaces, skills, settings and notes.

Agent state changes follow the table in ``agent_states``; the other interfaces are methods marked with
``@serves(<interface>)``. Event orders follow the vendor's developer-guide scenarios: sign-in (InService,
Ready) and the state changes the table names.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..catalogue.states import SIGN_IN_STATUS, AgentState
from . import events
from .agent_states import AgentStateMachine
from .calls import CallChapter
from .events import NO_REASON
from .operations import Request, serves
from .world import Agent, Refused, World

SIGNED_OUT, BUSY, IDLE = AgentState.SIGNED_OUT, AgentState.BUSY, AgentState.IDLE
SIGN_IN_STATES = {str(int(state)): state for state in SIGN_IN_STATUS.values()}
SERVER_NAME = "AgentGateway0"  # the gateway node agents sign in on (sign-in's serverName; the one cluster node)


def _flag(value: object, default: bool) -> bool:
    return default if value is None else str(value).lower() == "true"


class AgentChapter:
    """Sessions and the state interfaces (carried out by the state machine); a forced sign-out leaves the agent's
    calls through the calls chapter."""

    def __init__(self, world: World, states: AgentStateMachine, calls: CallChapter) -> None:
        self.world = world
        self.states = states
        self.calls = calls

    def _new_guid(self, agent: Agent) -> str:
        guid = f"{uuid.uuid4()}.AgentGateway0"
        self.world.issued_guids.append(guid)
        agent.guid, agent.guid_issued = guid, self.world.now()
        return guid

    # -- authentication ----------------------------------------------------------------------------
    def authorize(self, agent_id: str, guid: str | None) -> Agent:
        agent = self.world.signed_in(agent_id)
        if guid and guid == agent.guid:
            return agent
        if guid and guid == agent.previous_guid and self.world.now() < agent.previous_valid_until:
            return agent
        raise Refused("000-003")

    def rotate_guid(self, agent: Agent) -> str | None:
        """A poll (or heartbeat) hands out a new Guid: in dynamic auth once the current one is old enough, and
        whenever the control interface asked for a rotation."""
        due = agent.rotation_grace is not None or (
            self.world.config.dynamic_auth and self.world.now() - agent.guid_issued >= self.world.config.guid_renewal)
        if not due:
            return None
        grace = self.world.config.previous_guid_lifetime if agent.rotation_grace is None else agent.rotation_grace
        agent.previous_guid, agent.previous_valid_until = agent.guid, self.world.now() + grace
        agent.rotation_grace = None
        return self._new_guid(agent)

    def rotate_guid_soon(self, agent: Agent, grace: float) -> None:
        """Control interface: the agent's next poll or heartbeat reply carries a new Guid, and the old one works
        ``grace`` seconds longer (0: a request still carrying it is refused)."""
        agent.rotation_grace = max(0.0, grace)

    def expire_guid(self, agent: Agent) -> None:
        """Control interface: the agent's Guid (and a previous one still in grace) stops working now."""
        agent.previous_guid = None
        self._new_guid(agent)  # issued to nobody: the next request with the old one gets 000-003

    def seen(self, agent: Agent) -> None:
        """A poll or heartbeat arrived: the agent's client is alive."""
        agent.last_seen = self.world.now()

    def sign_out_silent_agents(self) -> list[str]:
        """Signs out every agent nobody polled for (or sent a heartbeat for) longer than the gateway allows."""
        limit = self.world.now() - self.world.config.silence_sign_out
        # In push mode only the heartbeat is a sign of life.
        silent = [a for a in self.world.agents.values()
                  if a.signed_in and not (a.open_polls and not a.pushed) and a.last_seen < limit]
        for agent in silent:
            with self.world.caused_by(None):
                self._sign_out(agent, release=True, announced=(events.shutdown_service.event,))
        return [agent.agent_id for agent in silent]

    # -- sign-in and agent state ---------------------------------------------------------------------
    def login(self, agent_id: str, body: dict[str, Any], *, force: bool = False) -> tuple[dict[str, Any], str]:
        if agent_id not in self.world.roster or body.get("password") != self.world.roster.password_of(agent_id):
            raise Refused("100-004")
        agent = self.world.agent(agent_id)
        if agent.signed_in and not force:
            raise Refused("100-002")
        if agent.signed_in:
            self.calls.leave_all_calls(agent)
        self.world.drop_queue(agent)
        agent.session += 1
        agent.signed_in, agent.phone = True, str(body.get("phonenum") or "")
        agent.auto_answer = _flag(body.get("autoanswer"), True)
        agent.auto_enter_idle = _flag(body.get("autoenteridle"), True)
        agent.release_phone = _flag(body.get("releasephone"), not force)  # forceLogin's default is false
        agent.login_time = int(self.world.now() * 1000)
        agent.last_seen = self.world.now()
        agent.previous_guid = None
        uri, token = body.get("callBackUri"), body.get("serviceToken")
        agent.callback, agent.service_token = (str(uri), str(token)) if uri and token else (None, None)
        agent.active_skills = agent.skills
        agent.custom_state = None
        guid = self._new_guid(agent)
        self.states.session_began(agent, SIGN_IN_STATES[str(body.get("status", int(IDLE)))])
        result = {"vdnid": self.world.roster.vdn, "workno": agent_id, "mediatype": "TFF",
                  "loginTime": str(agent.login_time), "isForceChange": "false", "serverName": SERVER_NAME,
                  "timeRemaining": ""}
        return result, guid

    def change_state(self, agent: Agent, interface: str, request: Request) -> None:
        """Carries out a state interface as the agent state table says, or refuses it."""
        with self.world.caused_by(interface):
            query, path = request.get("query") or {}, request.get("path") or {}
            outcome = self.states.outcome(agent, interface, query)
            if outcome.to == SIGNED_OUT:
                self._sign_out(agent, release=outcome.releases_calls, announced=outcome.events)
                return
            # The reason the state's event reports: rest's from its path, a busy one's from the query, an inspector's
            # forced rest from its path and forced busy the inspector's own reason code.
            reason = str({"rest": path.get("restcause"), "forceRest": path.get("reason"),
                          "forceBusy": events.INSPECTOR_BUSY_REASON}.get(interface, query.get("reason")) or NO_REASON)
            rest = float(path["time"]) if interface in ("rest", "forceRest") else None
            self.states.take(agent, outcome, reason, rest_seconds=rest)

    def _sign_out(self, agent: Agent, *, release: bool, announced: tuple[str, ...] = ()) -> None:
        if release:
            self.calls.leave_all_calls(agent)
        agent.signed_in, agent.guid, agent.previous_guid = False, None, None
        # What the sign-out itself produces (AgentOther_ShutdownService after a forced one) is still collected
        # by a poll that was waiting; new polls are refused.
        self.states.session_ended(agent, announced)
        self.world.wake(agent)  # wake a waiting poll so it can answer "not signed in"

    def logout(self, agent: Agent, *, force: bool = False) -> None:
        self.change_state(agent, "forceLogout" if force else "logout", {})

    def say_free(self, agent: Agent) -> None:
        self.change_state(agent, "sayFree", {})

    def say_busy(self, agent: Agent, reason: str | None) -> None:
        prolong = "true" if agent.state == BUSY else None
        self.change_state(agent, "sayBusy", {"query": {"reason": reason, "prolong": prolong}})

    @serves("getAgentStatus")
    def status(self, agent: Agent, request: Request | None = None) -> dict[str, Any]:
        return {"agentState": int(agent.state), "isWorking": bool(agent.calls)}

    @serves("handShake")
    def heartbeat(self, agent: Agent, request: Request) -> None:
        self.seen(agent)

    # -- skills, settings and notes ------------------------------------------------------------------
    @serves("resetSkill")
    def reset_skills(self, agent: Agent, request: Request) -> dict[str, Any]:
        if str(request["path"]["autoflag"]).lower() == "true":
            self.states.signed_in_to(agent, agent.skills)
        else:
            wanted = {part for part in str(request["query"].get("skillid") or "").split(";") if part}
            self.states.signed_in_to(agent, tuple(s for s in agent.skills if str(s.id) in wanted))
        return {}

    @serves("queryAgentSkills")
    def skills_of(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [skill.as_reply() for skill in agent.active_skills]

    @serves("queryAgentSkillsByWorkNo")
    def skills_of_other(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        other = str(request["path"]["workno"])
        if other not in self.world.roster:
            raise Refused("000-002", f"agent {other} is not configured")
        target = self.world.agent(other)
        return [skill.as_reply() for skill in (target.active_skills if target.signed_in else target.skills)]

    @serves("setAgentAutoAnswer")
    def set_auto_answer(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.auto_answer = str(request["path"]["isautoanswer"]) == "true"
        return {}

    @serves("setAgentAutoEnterIdle")
    def set_auto_enter_idle(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.auto_enter_idle = str(request["path"]["flag"]) == "true"
        return {}

    @serves("setCustomState")
    def set_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.custom_state = int(request["query"]["customstate"])
        return {}

    @serves("queryCustomState")
    def query_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        return {"agentcustomstate": str(agent.custom_state if agent.custom_state is not None else 65535)}

    @serves("cancelSetCustomState")
    def cancel_custom_state(self, agent: Agent, request: Request) -> dict[str, Any]:
        if agent.custom_state is None:
            raise Refused("100-009", "no custom state is set")
        agent.custom_state = None
        return {}

    @serves("sendNoteletEx")
    def send_note(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        for receiver in dict.fromkeys(str(item) for item in body["agentIds"]):
            if receiver in self.world.roster and self.world.agent(receiver).signed_in:
                self.world.send(self.world.agents[receiver], events.note())

    @serves("modifyAccountPwdEx")
    def change_password(self, agent: Agent, request: Request) -> dict[str, Any]:
        body = request["body"]
        if body["oldPassword"] != agent.password:
            raise Refused("100-007", "the old password is wrong")
        agent.password = body["newPassword"]
        self.world.roster.set_password(agent.agent_id, agent.password)
        return {}

    @serves("updateGuid")
    def update_guid(self, agent: Agent, request: Request) -> dict[str, Any]:
        agent.previous_guid = agent.guid
        agent.previous_valid_until = self.world.now() + self.world.config.previous_guid_lifetime
        return {"guid": self._new_guid(agent)}

    @serves("loginInfo")
    def login_info(self, agent: Agent, request: Request) -> dict[str, Any]:
        return {"phonenum": agent.phone, "phonetoken": uuid.uuid4().hex}

    @serves("syncagentinfo")
    def sync_agent_info(self, agent: Agent, request: Request) -> dict[str, Any]:
        self.world.drop_queue(agent)  # documented: the agent's queued events are dropped
        current = agent.calls[0] if agent.calls else None
        return {"callinfo": "", "agentStateInfo": {"workNo": agent.agent_id, "state": int(agent.state),
                                                   "curCallId": current.callid if current else ""}}
