"""Real-time inspection (the ``qualitycontrol`` chapter): a supervisor listens to, whispers to, barges in on and
takes over an agent's call, forces an agent's state, releases a call or changes an agent's skill queues.

Who may inspect whom is the roster's: an inspector has rights over groups (``inspects``). The supervisor joins
the agent's call as a monitor leg (``Role.LISTEN``, ``WHISPER`` or ``BARGE``; who hears whom is the role's
business, see ``world.Role``), so a call that ends, however it ends, releases the supervisor too. Events follow
the developer guide's scenarios (listen, insert, intercept; https://support.huaweicloud.com/devg-ccgw-cec/
cec_05_1440.md to cec_05_1442.md) and the interface pages; what they leave open is chosen where it is made.
Forced states go through the agent state table (``agent_states``).
"""

from __future__ import annotations

from typing import Any

from ..catalogue.states import AgentState, CallState
from . import events
from .agent_states import QC_STATE_ERROR, AgentStateMachine
from .agents import AgentChapter
from .events import QC_TYPES, PhoneState
from .operations import Request, serves
from .world import Agent, Leg, Refused, Role, World

NO_RIGHT = "900-002"  # the caller has no inspector rights over the agent
NO_AGENT_INFO = "900-004"  # no agent (or call) to act on
ONESELF = "000-005"  # the error table's code for an inspector naming themself
BAD_PARAMETER = "100-001"
MONITORS = (Role.LISTEN, Role.WHISPER, Role.BARGE)
# requestSwitchInsertWhisperAgent's switchtype
SWITCH_TYPES = {"0": Role.LISTEN, "1": Role.BARGE, "2": Role.WHISPER}
MODE_NAMES = {Role.LISTEN: "listening", Role.BARGE: "barging in", Role.WHISPER: "whispering"}


class InspectionChapter:
    """The qualitycontrol interfaces; forced state changes are the agent chapter's, through the state table."""

    def __init__(self, world: World, states: AgentStateMachine, agents: AgentChapter) -> None:
        self.world = world
        self.states = states
        self.agents = agents

    # -- who may inspect whom ----------------------------------------------------------------------
    def _inspector(self, agent: Agent) -> None:
        if not self.world.roster.entries[agent.agent_id].inspects:
            raise Refused(NO_RIGHT, f"agent {agent.agent_id} has no inspector rights")

    def _target(self, inspector: Agent, agent_id: object) -> Agent:
        """The signed-in agent ``agent_id`` that ``inspector`` may inspect, or the refusal."""
        self._inspector(inspector)
        if agent_id is None or agent_id == "":
            raise Refused(NO_AGENT_INFO, "no agent given to inspect")
        agent_id = str(agent_id)
        if agent_id == inspector.agent_id:
            raise Refused(ONESELF, f"agent {agent_id} cannot inspect themself")
        if not self.world.roster.may_inspect(inspector.agent_id, agent_id):
            raise Refused(NO_RIGHT, f"agent {inspector.agent_id} has no inspector rights over agent {agent_id}'s "
                                    "group")
        if not self.world.agent(agent_id).signed_in:
            raise Refused("100-006", f"agent {agent_id} is not signed in")
        return self.world.agents[agent_id]

    def _monitoring(self, inspector: Agent, target: Agent | None = None) -> Leg:
        """The inspector's monitor leg (on ``target``'s call when given), or the refusal."""
        for leg in inspector.calls:
            if leg.role in MONITORS and (target is None or leg.inspected == target.agent_id):
                return leg
        whom = f"agent {target.agent_id}" if target else "any agent"
        raise Refused(QC_STATE_ERROR, f"agent {inspector.agent_id} is not inspecting {whom}")

    @staticmethod
    def _agent_leg(monitor: Leg, target: Agent) -> Leg | None:
        return next((leg for leg in monitor.call.agent_parties() if leg.agent_id == target.agent_id), None)

    def _inspected(self, monitor: Leg) -> Agent | None:
        """The agent a monitor leg inspects, while it is still in the call."""
        agent = self.world.agents.get(str(monitor.inspected))
        return agent if agent is not None and self._agent_leg(monitor, agent) is not None else None

    # -- listening, barging in, whispering ----------------------------------------------------------
    def _start(self, inspector: Agent, target: Agent, role: Role) -> None:
        if inspector.state != AgentState.IDLE or inspector.calls:
            raise Refused(QC_STATE_ERROR, f"agent {inspector.agent_id} must be idle to inspect "
                                          f"({AgentState.describe(inspector.state)})")
        talking = next((leg for leg in target.calls
                        if leg.state in (CallState.TALKING, CallState.CONFERENCE) and leg.role is Role.AGENT), None)
        if talking is None:
            raise Refused(QC_STATE_ERROR, f"agent {target.agent_id} has no call in progress to inspect")
        monitor = self.world.attach(talking.call, inspector.phone, CallState.TALKING, role, inspector)
        monitor.inspected = target.agent_id
        # Developer guide: the inspector is busy first; its phone alerts and goes off hook only when it is not
        # kept off hook between calls.
        self.states.call_began(inspector, announced=True)
        if inspector.release_phone:
            self.world.send(inspector, events.phone_alerting())
            self.world.send(inspector, events.phone_offhook())
        self.world.send(target, events.inspection_started(inspector, role))

    def _end(self, inspector: Agent, monitor: Leg) -> None:
        """The inspector's leg ends; the agent's call goes on."""
        target = self._inspected(monitor)
        self.world.detach(monitor)
        self.world.send(inspector, events.phone_release(PhoneState.AGENT_HUNG_UP))
        self.states.calls_ended(inspector)
        if target is not None:
            self.world.send(target, events.inspection_stopped(inspector, monitor.role))

    def _switch(self, inspector: Agent, monitor: Leg, role: Role) -> None:
        if monitor.role is role:
            raise Refused(QC_STATE_ERROR, f"agent {inspector.agent_id} is already {MODE_NAMES[role]}")
        monitor.role = role
        target = self._inspected(monitor)
        if target is not None:
            self.world.send(target, events.inspection_started(inspector, role))

    @serves("addSupervise")
    def listen(self, inspector: Agent, request: Request) -> None:
        self._start(inspector, self._target(inspector, request["path"]["workNo"]), Role.LISTEN)

    @serves("addInsert")
    def barge_in(self, inspector: Agent, request: Request) -> None:
        self._start(inspector, self._target(inspector, request["path"]["workNo"]), Role.BARGE)

    @serves("requestWhisperAgent")
    def whisper(self, inspector: Agent, request: Request) -> None:
        target = self._target(inspector, (request.get("query") or {}).get("whisperagentid"))
        self._start(inspector, target, Role.WHISPER)

    @serves("stopSuperviseOrInsert")
    def stop(self, inspector: Agent, request: Request) -> None:
        monitor = self._monitoring(inspector, self._target(inspector, request["path"]["workNo"]))
        if monitor.role is Role.WHISPER:
            raise Refused(QC_STATE_ERROR, "a whisper is ended with requestStopWhisperAgent")
        self._end(inspector, monitor)

    @serves("requestStopWhisperAgent")
    def stop_whispering(self, inspector: Agent, request: Request) -> None:
        given = (request.get("query") or {}).get("whisperagentid")
        self._inspector(inspector)
        monitor = self._monitoring(inspector, self._target(inspector, given) if given else None)
        if monitor.role is not Role.WHISPER:
            raise Refused(QC_STATE_ERROR, f"agent {inspector.agent_id} is not whispering; end listening or barging "
                                          "in with stopSuperviseOrInsert")
        self._end(inspector, monitor)

    @serves("switchSuperviseOrInsert")
    def toggle(self, inspector: Agent, request: Request) -> None:
        monitor = self._monitoring(inspector, self._target(inspector, request["path"]["workNo"]))
        if monitor.role is Role.WHISPER:
            raise Refused(QC_STATE_ERROR, "a whisper is switched with requestSwitchInsertWhisperAgent")
        self._switch(inspector, monitor, Role.BARGE if monitor.role is Role.LISTEN else Role.LISTEN)

    @serves("requestSwitchInsertWhisperAgent")
    def switch_mode(self, inspector: Agent, request: Request) -> None:
        query = request.get("query") or {}
        given = query.get("whisperagentid")
        self._inspector(inspector)
        monitor = self._monitoring(inspector, self._target(inspector, given) if given else None)
        self._switch(inspector, monitor, SWITCH_TYPES[str(query["switchtype"])])

    # -- taking a call over -------------------------------------------------------------------------
    def _take_over(self, inspector: Agent, target: Agent, callid: str | None) -> None:
        monitor = self._monitoring(inspector, target)
        if callid is not None and monitor.callid != callid:
            raise Refused(QC_STATE_ERROR, f"agent {inspector.agent_id} is not inspecting call {callid}")
        call = monitor.call
        if call.host is not None:  # a conference's seats are its chairperson's to give (inferred: no page says)
            raise Refused(QC_STATE_ERROR, f"agent {target.agent_id} is in an agent conference, which cannot be "
                                          "taken over")
        agent_leg = self._agent_leg(monitor, target)
        if agent_leg is None:
            raise Refused(QC_STATE_ERROR, f"agent {target.agent_id} has left the call")
        was = monitor.role
        # The inspector becomes a party: the customer talks on with it, and the agent's part ends.
        monitor.role, monitor.inspected = Role.AGENT, None
        self.world.send(inspector, events.talking(call))
        self.world.send(target, events.inspection_stopped(inspector, was))
        self.world.detach(agent_leg)
        customer = next((leg.number for leg in call.parties() if leg.role is Role.CUSTOMER), call.caller)
        # The developer guide lists Ready, PhoneRelease, Call_Release, Customer_Release without saying the order on
        # the wire; the simulator sends them as for any call the platform ends for an agent.
        self.world.send(target, events.call_release(call))
        self.world.send(target, events.customer_release(call, customer))
        self.world.send(target, events.phone_release(PhoneState.PLATFORM_RELEASED))
        self.states.calls_ended(target)

    @serves("intercept")
    def intercept(self, inspector: Agent, request: Request) -> None:
        self._take_over(inspector, self._target(inspector, request["path"]["workNo"]), None)

    @serves("interceptCall")
    def intercept_call(self, inspector: Agent, request: Request) -> None:
        path = request["path"]
        self._take_over(inspector, self._target(inspector, path["workNo"]), str(path["callId"]))

    # -- forced changes -----------------------------------------------------------------------------
    def _force(self, inspector: Agent, interface: str, request: Request) -> None:
        target = self._target(inspector, request["path"]["workNo"])
        self.agents.change_state(target, interface, request)

    @serves("forceBusy")
    def force_busy(self, inspector: Agent, request: Request) -> None:
        self._force(inspector, "forceBusy", request)

    @serves("forceIdle")
    def force_idle(self, inspector: Agent, request: Request) -> None:
        self._force(inspector, "forceIdle", request)

    @serves("forceRest")
    def force_rest(self, inspector: Agent, request: Request) -> None:
        self._force(inspector, "forceRest", request)

    @serves("forceLogOutAgent")
    def force_sign_out(self, inspector: Agent, request: Request) -> None:
        self._force(inspector, "forceLogOutAgent", request)

    @serves("forceDropCall")
    def force_release(self, inspector: Agent, request: Request) -> None:
        self._inspector(inspector)
        callid = str(request["path"]["callid"])
        named = self.world.handles.get(callid)
        call = named.call if named is not None else self.world.calls.get(callid)
        if call is None:
            raise Refused(NO_AGENT_INFO, f"no call {callid} in progress")
        if not any(self.world.roster.may_inspect(inspector.agent_id, str(leg.agent_id))
                   for leg in call.agent_parties()):
            raise Refused(NO_RIGHT, f"agent {inspector.agent_id} has no inspector rights over an agent of call "
                                    f"{callid}")
        if call.host is not None:  # a conference ends by its own rules
            call.host.drop(call)
            return
        legs = list(call.legs)
        customer = next((leg.number for leg in legs if leg.role is Role.CUSTOMER), call.called)
        for leg in legs:
            self.world.detach(leg)
        for leg in legs:
            if leg.agent_id is None:
                continue
            agent = self.world.agents[leg.agent_id]
            self.world.send(agent, events.call_release(call))
            self.world.send(agent, events.customer_release(call, customer))
            self.world.send(agent, events.phone_release(PhoneState.PLATFORM_RELEASED))
            self.states.calls_ended(agent)

    @serves("adjustSkill")
    def adjust_skills(self, inspector: Agent, request: Request) -> None:
        body = request.get("body") or {}
        if "workNo" not in body or "skills" not in body:
            raise Refused(BAD_PARAMETER, "adjustSkill needs workNo and skills in its body")
        target = self._target(inspector, body["workNo"])
        wanted = [int(skill) for skill in body["skills"]]
        configured = {skill.id: skill for skill in target.skills}
        unknown = [skill for skill in wanted if skill not in configured]
        if unknown:
            raise Refused(BAD_PARAMETER, f"agent {target.agent_id} is not configured for skill queue(s) "
                                         f"{', '.join(map(str, unknown))}")
        self.states.signed_in_to(target, tuple(configured[skill] for skill in dict.fromkeys(wanted)))

    # -- routes without a vendor page ---------------------------------------------------------------
    @serves("queryAllMonitoredAgents")
    def inspected_agents(self, inspector: Agent, request: Request) -> list[dict[str, Any]]:
        self._inspector(inspector)
        found = []
        for leg in inspector.calls:
            target = self._inspected(leg) if leg.role in MONITORS else None
            if target is not None:
                found.append({"workNo": target.agent_id, "qcType": QC_TYPES[leg.role]})
        return found

    @serves("beginMonitor", "endMonitor", "queryQcTasks", "deleteQcTask", "qcSetAgentSelfRecord",
            "qcCancelAgentSelfRecord", "startVideoMonitor", "stopVideoMonitor", "startVideoOperation",
            "startOrStopVideoPlay", "queryVideoRecordFile", "deleteVideoTask", "registerDataToServer", "queryUrlInfo")
    def undocumented(self, inspector: Agent, request: Request) -> None:
        # Only the routes are known: an inspector is answered success with an empty result, anyone else 900-002.
        self._inspector(inspector)

    # -- what the control interface tells ---------------------------------------------------------
    def describe(self, agent: Agent) -> dict[str, Any]:
        """Whom ``agent`` inspects and who inspects it, with the mode (listen, whisper, barge)."""
        inspecting = [{"agent": target.agent_id, "mode": leg.role.value} for leg in agent.calls
                      if leg.role in MONITORS and (target := self._inspected(leg)) is not None]
        inspected_by = [{"agent": leg.agent_id, "mode": leg.role.value} for own in agent.calls
                        if own.role is Role.AGENT for leg in own.call.legs
                        if leg.role in MONITORS and leg.inspected == agent.agent_id]
        return {"inspecting": inspecting, "inspectedBy": inspected_by}

