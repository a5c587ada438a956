"""Calls in the simulated gateway: who is in a call, and what each voice-call interface does to it.

A call has legs, one per party: customers (phone numbers) and agents. An agent's ``calls`` are its legs; the
state of a leg (ringing, alerting, talking, held, conference) is that party's view of the call. Events follow
the developer guide's scenarios; where a page leaves the order open, the choice is noted where it is made.
"""

from __future__ import annotations

import itertools
from typing import Any

from ..catalogue.gateway import TRANSFER_MODES, TRANSFER_TARGETS
from ..catalogue.states import AgentState, CallState
from .operations import Request, serves
from .world import Agent, Call, Leg, Refused, SimulationError, World

RINGING, ALERTING, IN_TALK, HELD, CONFERENCE = (CallState.RINGING, CallState.ALERTING, CallState.TALKING,
                                                CallState.HELD, CallState.CONFERENCE)
ACTIVE = (IN_TALK, ALERTING, CONFERENCE, RINGING)
CONNECTED = (IN_TALK, CONFERENCE)

# Call features as the events' "feature" field and the call-info queries' "callfeature" give them.
INBOUND, INTERNAL, OUTBOUND, TWO_PARTY_HELP, THREE_PARTY_HELP = 0, 6, 7, 51, 52
FAR_END_BEHAVIOURS = ("answer", "silent", "busy", "reject")

# transfer's devicetype values and the mode values the simulator tells apart, from the catalogue's matrix.
SKILL_QUEUE, AGENT, IVR, ACCESS_CODE, EXTERNAL = (TRANSFER_TARGETS[name] for name in
                                                  ("skill", "agent", "ivr", "access code", "number"))
SUSPEND, SUCCESS_TRANSFER = TRANSFER_MODES[IVR]["suspend"], TRANSFER_MODES[AGENT]["success"]
EXTERNAL_RELEASE = TRANSFER_MODES[EXTERNAL]["release"]


class CallChapter:
    """The voice-call interfaces and the control interface's customers and far ends."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._call_numbers = itertools.count(1)

    # -- building blocks ---------------------------------------------------------------------------
    def _new_call(self, feature: int, caller: str, called: str, *, data: str = "", skill: int | None = None) -> Call:
        call = Call(f"{int(self.world.now())}-{next(self._call_numbers)}", feature, caller, called,
                    int(self.world.now() * 1000), data=data, skill=skill)
        self.world.calls[call.callid] = call
        return call

    def _join(self, call: Call, number: str, state: CallState, agent: Agent | None = None) -> Leg:
        leg = Leg(call, number, state, agent.agent_id if agent else None)
        call.legs.append(leg)
        if agent is not None:
            agent.calls.append(leg)
            agent.last_call = call
            agent.state = AgentState.TALKING
        return leg

    def _talking(self, call: Call) -> dict[str, str]:
        return {"caller": call.caller, "called": call.called, "callid": call.callid, "type": "main",
                "feature": str(call.feature), "mediaAbility": "1"}

    def _alerting(self, call: Call, other: Leg) -> dict[str, str]:
        return {"callid": call.callid, "otherPhoneWorkno": other.agent_id or "", "otherPhone": other.number,
                "type": "main"}

    def _free(self, agent_id: str, skill: int | None = None) -> Agent | None:
        """The agent, when signed in, idle and without calls (and, with ``skill``, signed in to that queue)."""
        if agent_id not in self.world.roster:
            return None
        agent = self.world.agent(agent_id)
        if not agent.signed_in or agent.state != AgentState.IDLE or agent.calls:
            return None
        if skill is not None and skill not in {s.id for s in agent.active_skills}:
            return None
        return agent

    def _free_in_skill(self, skill: int, besides: str) -> Agent | None:
        return next((a for a in list(self.world.agents.values())
                     if a.agent_id != besides and self._free(a.agent_id, skill) is not None), None)

    def _offer(self, agent: Agent, call: Call, *, transfer_from: str = "") -> Leg:
        """The call rings at ``agent`` (answered at once with auto-answer)."""
        was_free = not agent.calls
        leg = self._join(call, agent.phone, RINGING, agent)
        if was_free:
            self.world.emit(agent, "AgentState_Busy")
        self.world.emit(agent, "AgentOther_PhoneAlerting")
        self.world.emit(agent, "AgentOther_PhoneOffhook", {"type": "main"})
        ringing = {"caller": call.caller, "called": call.called, "callid": call.callid, "type": "main",
                   "feature": str(call.feature), "mediaAbility": "1", "transfer": "yes" if transfer_from else "no",
                   "transfrom": transfer_from}
        if agent.auto_answer:
            self.world.emit(agent, "AgentEvent_Auto_Answer", ringing)
            self._connect(leg)
        else:
            self.world.emit(agent, "AgentEvent_Ringing", ringing)
            caller = next((other for other in call.others(leg) if other.number == call.caller), None)
            if caller is not None:
                self.world.emit(agent, "AgentEvent_Customer_Alerting", self._alerting(call, caller))
        return leg

    def _connect(self, leg: Leg) -> None:
        """``leg`` is answered: it and every party still waiting for it talk; agents get Talking."""
        leg.state = IN_TALK
        for party in leg.call.legs:
            if party.state in (ALERTING, RINGING) and party is not leg:
                party.state = IN_TALK
                self._tell_talking(party)
        self._tell_talking(leg)
        self._on_answered(leg)

    def _tell_talking(self, leg: Leg) -> None:
        if leg.agent_id is not None:
            self.world.emit(self.world.agents[leg.agent_id], "AgentEvent_Talking", self._talking(leg.call))

    def _on_answered(self, leg: Leg) -> None:
        """A three-party help becomes a conference, a success transfer completes, when the target answers."""
        cause = leg.call.conference_on_answer
        if cause is not None:
            leg.call.conference_on_answer = None
            with self.world.caused_by(cause):  # the three-party help or transfer asked for completes
                for party in leg.call.agent_legs():
                    party.state = CONFERENCE
                    self.world.emit(self.world.agents[party.agent_id], "AgentEvent_Conference",  # type: ignore[index]
                              {"callid": leg.call.callid,
                               "partner": ",".join(o.number for o in leg.call.others(party))})
        pending = leg.call.pending_transfer
        if pending is not None and leg.agent_id != pending:
            leg.call.pending_transfer = None
            mover = self.world.agents[pending]
            mover_leg = next(party for party in leg.call.legs if party.agent_id == pending)
            with self.world.caused_by("transfer"):  # the transfer asked for completes
                self.world.emit(mover, "AgentEvent_SuccTransResult", {"result": 0, "callId": leg.call.callid})
                self._agent_leaves(mover, mover_leg)

    def _agent_leaves(self, agent: Agent, leg: Leg, *, phone_state: int = 2, quiet: bool = False) -> None:
        """The agent's leg ends; the call goes on if two parties are left, else it ends for the last one."""
        call = leg.call
        call.legs.remove(leg)
        agent.calls.remove(leg)
        if not quiet:
            self.world.emit(agent, "AgentEvent_Call_Release", call.callid)
            partner = call.legs[0] if call.legs else None
            self.world.emit(agent, "AgentEvent_Customer_Release",
                      {"callid": call.callid, "number": partner.number if partner else call.called})
        self._party_left(call, leg)
        if not quiet:
            self._phone_released(agent, phone_state)

    def _phone_released(self, agent: Agent, phone_state: int) -> None:
        self.world.emit(agent, "AgentOther_PhoneRelease", {"phoneState": phone_state})
        self._after_last_call(agent)

    def _after_last_call(self, agent: Agent) -> None:
        """With no call left the agent goes idle, or into after-call work when signed in without auto-idle."""
        if not agent.calls:
            agent.state = AgentState.IDLE if agent.auto_enter_idle else AgentState.WORK
            self.world.emit(agent, "AgentState_Ready" if agent.auto_enter_idle else "AgentState_Work")

    def _party_left(self, call: Call, gone: Leg) -> None:
        """Tell the agents still in ``call`` that ``gone`` left; with one party left, the call ends."""
        if len(call.legs) >= 2:
            for leg in call.agent_legs():
                if leg.state in (RINGING, ALERTING):
                    continue  # not connected yet: nothing to tell
                self.world.emit(self.world.agents[leg.agent_id], "AgentEvent_Customer_Release",  # type: ignore[index]
                          {"callid": call.callid, "number": gone.number})
                if leg.state == CONFERENCE and len(call.legs) == 2:
                    leg.state = IN_TALK  # the conference shrank to a two-party call
            return
        for leg in list(call.legs):
            call.legs.remove(leg)
            if leg.agent_id is not None:
                agent = self.world.agents[leg.agent_id]
                agent.calls.remove(leg)
                self.world.emit(agent, "AgentEvent_Call_Release", call.callid)
                self.world.emit(agent, "AgentEvent_Customer_Release", {"callid": call.callid, "number": gone.number})
                held = agent.find(HELD)
                if call.feature == TWO_PARTY_HELP and held and leg.number == call.caller:
                    # The helper left the consultation: the agent who asked and the held customer talk again.
                    held[-1].state = IN_TALK
                    self.world.emit(agent, "AgentEvent_Talking", self._talking(held[-1].call))
                else:
                    self._phone_released(agent, 3)
        self.world.calls.pop(call.callid, None)

    def leave_all_calls(self, agent: Agent) -> None:
        """A forced sign-out or takeover: the agent drops out of every call without events of its own."""
        for leg in list(agent.calls):
            self._agent_leaves(agent, leg, quiet=True)

    def _dial(self, call: Call, number: str) -> Leg:
        leg = self._join(call, number, ALERTING)
        self._ring_far_end(leg)
        return leg

    def _ring_far_end(self, leg: Leg) -> None:
        """A customer's phone rings; it answers, stays silent, is busy or rejects as the control interface set."""
        behaviour = self.world.far_ends.get(leg.number, "answer")
        if behaviour != "silent":
            self.world.later(self.world.config.answer_delay, lambda: self._far_end(leg, behaviour))

    def _far_end(self, leg: Leg, behaviour: str) -> None:
        if leg not in leg.call.legs or leg.state != ALERTING:
            return
        if behaviour == "answer":
            self._connect(leg)
            return
        call = leg.call
        call.legs.remove(leg)
        for agent_leg in call.agent_legs():
            agent = self.world.agents[agent_leg.agent_id]  # type: ignore[index]
            if agent_leg.state == ALERTING:  # the agent placed this call: it fails
                call.legs.remove(agent_leg)
                agent.calls.remove(agent_leg)
                self.world.emit(agent, "AgentOther_PhoneRelease", {"phoneState": 2})
                self.world.emit(agent, "AgentEvent_Call_Out_Fail", call.callid)
                self.world.emit(agent, "AgentEvent_Connect_Fail", call.callid)
                self._after_last_call(agent)
            else:
                self.world.emit(agent, "AgentEvent_Connect_Fail", call.callid)
        if len(call.legs) < 2:
            for rest in list(call.legs):
                call.legs.remove(rest)
            self.world.calls.pop(call.callid, None)

    def _current(self, agent: Agent, *states: CallState) -> Leg | None:
        found = agent.find(*(states or ACTIVE))
        return found[-1] if found else None

    # -- the control interface ---------------------------------------------------------------------
    def offer_inbound_call(self, caller: str, agent_id: str) -> str:
        """Control interface: a customer calls and the platform routes the call to this agent."""
        if agent_id not in self.world.roster:
            raise SimulationError(f"agent {agent_id} is not in the roster")
        agent = self.world.agent(agent_id)
        if not agent.signed_in:
            raise SimulationError(f"agent {agent_id} is not signed in")
        if agent.state != AgentState.IDLE or agent.calls:
            raise SimulationError(f"agent {agent_id} is not idle ({AgentState.describe(agent.state)}) and cannot take "
                                  "a call")
        call = self._new_call(INBOUND, caller, agent.phone)
        self._join(call, caller, IN_TALK)
        self._offer(agent, call)
        return call.callid

    def customer_hangs_up(self, callid: str, number: str | None = None) -> None:
        """Control interface: the customer ``number`` of this call hangs up (without a number, every customer)."""
        call = self.world.calls.get(callid)
        customers = [leg for leg in call.legs if leg.agent_id is None and number in (None, leg.number)] if call else []
        if call is None or not customers:
            who = f"customer {number}" if number else "a customer"
            raise SimulationError(f"no call {callid} with {who} in progress")
        for leg in customers:
            if leg in call.legs:
                call.legs.remove(leg)
                self._party_left(call, leg)

    def set_far_end(self, number: str, behaviour: str) -> None:
        """Control interface: how calls to ``number`` are answered from now on."""
        if behaviour not in FAR_END_BEHAVIOURS:
            raise SimulationError(f"far-end behaviour must be one of {', '.join(FAR_END_BEHAVIOURS)}")
        self.world.far_ends[number] = behaviour

    # -- answering, holding, releasing ---------------------------------------------------------------
    @serves("answer")
    def answer(self, agent: Agent, request: Request) -> None:
        callid = (request.get("query") or {}).get("callid")
        ringing = [leg for leg in agent.find(RINGING) if callid in (None, leg.callid)]
        if not ringing:
            raise Refused("200-002")
        self._connect(ringing[0])

    @serves("reject")
    def reject(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        callid = body.get("callid")
        ringing = [leg for leg in agent.find(RINGING) if callid in (None, leg.callid)]
        if not ringing:
            raise Refused("200-002", "no call is ringing")
        leg = ringing[0]
        leg.call.legs.remove(leg)
        agent.calls.remove(leg)
        # Mode 1 sends the call back to its queue; the simulator has no queue, so the customer's call ends either way.
        for rest in list(leg.call.legs):
            leg.call.legs.remove(rest)
        self.world.calls.pop(leg.callid, None)
        self.world.emit(agent, "AgentEvent_No_Answer", leg.callid)
        self.world.emit(agent, "AgentOther_PhoneRelease", {"phoneState": 2})
        if agent.calls:
            return
        if int(body["mode"]) == 1:
            agent.state = AgentState.BUSY
            self.world.emit(agent, "AgentState_SetNotReady_Success", {"reason": "7"})  # 7: the agent rejected the call
        else:
            agent.state = AgentState.IDLE
            self.world.emit(agent, "AgentState_Ready")

    @serves("hold")
    def hold(self, agent: Agent, request: Request | None = None) -> None:
        talking = agent.find(IN_TALK)
        if not talking:
            raise Refused("200-014" if agent.calls and not agent.find(HELD) else "200-013")
        talking[0].state = HELD
        self.world.emit(agent, "AgentEvent_Hold", talking[0].callid)

    @serves("getHold")
    def get_hold(self, agent: Agent, request: Request) -> None:
        callid = (request.get("query") or {}).get("callid")
        held = [leg for leg in agent.find(HELD) if callid in (None, leg.callid)]
        if not held:
            raise Refused("200-015")
        if agent.find(*ACTIVE):
            raise Refused("200-016")
        held[0].state = IN_TALK
        self.world.emit(agent, "AgentEvent_Talking", self._talking(held[0].call))

    @serves("release", "releaseEx")
    def release(self, agent: Agent, request: Request | None = None) -> None:
        current = agent.find(*ACTIVE)
        if not current:
            raise Refused("200-017")
        held = agent.find(HELD)
        consult = next((leg for leg in current if leg.call.feature == TWO_PARTY_HELP and leg.state == IN_TALK), None)
        if consult is not None and held and len(current) == 1:
            # The agent hangs up during a consultation: the held customer passes to the helper.
            self._hand_over(agent, held[-1], consult)
            return
        for leg in current:
            self._agent_leaves(agent, leg)

    @serves("dropCall")
    def drop_call(self, agent: Agent, request: Request) -> None:
        callid = request["path"]["callid"]
        leg = next((leg for leg in agent.calls if leg.callid == callid), None)
        if leg is None:
            raise Refused("200-025", f"the agent has no call {callid}")
        self._agent_leaves(agent, leg)

    @serves("disconnect")
    def disconnect(self, agent: Agent, request: Request) -> None:
        number = str(request["path"]["number"])
        if not agent.calls:
            raise Refused("200-023", "the agent has no call")
        own = agent.calls[-1]  # only parties of the latest call can be dropped
        if number == agent.phone:
            self._agent_leaves(agent, own)
            return
        party = next((leg for leg in own.call.others(own) if leg.number == number), None)
        if party is None:
            raise Refused("200-024", f"no party {number} in call {own.callid}")
        own.call.legs.remove(party)
        if party.agent_id is not None:
            dropped = self.world.agents[party.agent_id]
            dropped.calls.remove(party)
            self.world.emit(dropped, "AgentEvent_Call_Release", own.callid)
            self._phone_released(dropped, 2)
        self._party_left(own.call, party)

    # -- placing calls ---------------------------------------------------------------------------------
    def _may_place_call(self, agent: Agent) -> None:
        if agent.find(*ACTIVE):
            raise Refused("100-009", "the agent is in a call; hold it first")

    def _start_outgoing(self, agent: Agent, call: Call) -> Leg:
        was_free = not agent.calls
        leg = self._join(call, agent.phone, ALERTING, agent)
        if agent.release_phone:  # the line is opened for this call: the agent's phone rings and goes off hook
            self.world.emit(agent, "AgentOther_PhoneAlerting")
            self.world.emit(agent, "AgentOther_PhoneOffhook", {"type": "main"})
        if was_free:
            self.world.emit(agent, "AgentState_Busy")
        return leg

    @serves("callout")
    def callout(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        self._may_place_call(agent)
        called = str(body["called"])
        call = self._new_call(OUTBOUND, str(body.get("caller") or agent.phone), called,
                              data=str(body.get("callappdata") or ""))
        self._start_outgoing(agent, call)
        far = self._join(call, called, ALERTING)
        self.world.emit(agent, "AgentEvent_Customer_Alerting", self._alerting(call, far))
        self._ring_far_end(far)
        return call.callid

    def _call_agent(self, agent: Agent, target: Agent | None, feature: int, *, data: str = "",
                    skill: int | None = None) -> str:
        call = self._new_call(feature, agent.phone, target.phone if target else "", data=data, skill=skill)
        self._start_outgoing(agent, call)
        if target is None:
            self.world.later(self.world.config.answer_delay, lambda: self._inside_call_fails(agent, call))
            return call.callid
        callee = self._offer(target, call)
        if callee.state == RINGING:
            self.world.emit(agent, "AgentEvent_Customer_Alerting", self._alerting(call, callee))
        return call.callid

    def _inside_call_fails(self, agent: Agent, call: Call) -> None:
        leg = next((leg for leg in call.legs if leg.agent_id == agent.agent_id), None)
        if leg is None:
            return
        call.legs.remove(leg)
        agent.calls.remove(leg)
        self.world.calls.pop(call.callid, None)
        self.world.emit(agent, "AgentEvent_Inside_Call_Fail", call.callid)
        self._phone_released(agent, 2)

    @serves("callInner")
    def call_inner(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        self._may_place_call(agent)
        target = self._free(str(body["called"]))
        return self._call_agent(agent, target, INTERNAL, data=str(body.get("callappdata") or ""))

    @serves("callInnerSkill")
    def call_inner_skill(self, agent: Agent, request: Request) -> str:
        self._may_place_call(agent)
        skill = int(request["body"]["skillId"])
        return self._call_agent(agent, self._free_in_skill(skill, agent.agent_id), INTERNAL, skill=skill)

    @serves("previewCallout")
    def preview_callout(self, agent: Agent, request: Request) -> str:
        # The simulator hands out no preview tasks (AgentEvent_Preview), so no control ID is valid.
        raise Refused("000-002", "no preview outbound task with this callcontrolid")

    @serves("innerHelp")
    def inner_help(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        customer = self._current(agent, *CONNECTED)
        if customer is None:
            raise Refused("200-018", "internal help needs a call in progress")
        devicetype, mode = int(body.get("devicetype", AGENT)), int(body.get("mode", 1))
        address = str(body["dstaddress"])
        helper = (self._free(address) if devicetype == AGENT
                  else self._free_in_skill(int(address), agent.agent_id))
        if mode == 1:
            customer.state = HELD
            self.world.emit(agent, "AgentEvent_Hold", customer.callid)
        if helper is None:
            self.world.later(self.world.config.answer_delay,
                       lambda: self.world.emit(agent, "AgentEvent_Consult_Fail", customer.callid))
            return customer.callid
        if mode == 2:  # three-party help: the helper joins the customer's call
            call = customer.call
            customer.state = CONFERENCE
            call.feature = THREE_PARTY_HELP
            call.conference_on_answer = "innerHelp"
            self._offer(helper, call)
            return call.callid
        call = self._new_call(TWO_PARTY_HELP, agent.phone, helper.phone, data=str(body.get("callappdata") or ""))
        self._start_outgoing(agent, call)
        callee = self._offer(helper, call)
        if callee.state == RINGING:
            self.world.emit(agent, "AgentEvent_Customer_Alerting", self._alerting(call, callee))
        return call.callid

    # -- conferences and transfers ---------------------------------------------------------------------
    @staticmethod
    def _talking_and_held(agent: Agent, callid: str, no_call: str, no_held_call: str) -> tuple[Leg, Leg]:
        """The agent's talking call and its held call ``callid``, or the refusal codes of the interface."""
        talking = agent.find(IN_TALK)
        if not talking:
            raise Refused(no_call)
        held = [leg for leg in agent.find(HELD) if leg.callid == callid]
        if not held:
            raise Refused(no_held_call)
        return talking[0], held[0]

    @staticmethod
    def _move_parties(gone: Call, leaving: Leg, into: Call) -> None:
        """Every party of ``gone`` but ``leaving`` moves into the call ``into``."""
        for leg in gone.others(leaving):
            leg.call = into
            into.legs.append(leg)
        gone.legs = [leaving]

    @serves("confJoin")
    def conf_join(self, agent: Agent, request: Request) -> None:
        talking, held = self._talking_and_held(agent, request["body"]["callid"], "200-010", "200-011")
        self._merge(agent, into=held, other=talking)

    def _merge(self, agent: Agent, *, into: Leg, other: Leg) -> None:
        """The parties of ``other``'s call join ``into``'s call: a conference under the held call's ID."""
        call, gone = into.call, other.call
        agent.calls.remove(other)
        self._move_parties(gone, other, call)
        for leg in call.agent_legs():
            leg.state = CONFERENCE
        self.world.calls.pop(gone.callid, None)
        into.state = CONFERENCE
        partner = ",".join(leg.number for leg in call.others(into))
        for leg in call.agent_legs():
            self.world.emit(self.world.agents[leg.agent_id], "AgentEvent_Conference",  # type: ignore[index]
                      {"callid": call.callid, "partner": partner if leg is into else
                       ",".join(p.number for p in call.others(leg))})

    @serves("connectHold")
    def connect_hold(self, agent: Agent, request: Request) -> None:
        talking, held = self._talking_and_held(agent, request["path"]["callid"], "200-005", "200-006")
        # The two other parties are connected and the agent leaves both calls.
        gone = talking.call
        self._move_parties(gone, talking, held.call)
        self.world.calls.pop(gone.callid, None)
        agent.calls.remove(talking)
        self.world.emit(agent, "AgentEvent_Call_Release", gone.callid)
        self._agent_leaves(agent, held)

    @serves("transfer")
    def transfer(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        mine = self._current(agent, *CONNECTED) or self._current(agent, HELD)
        if mine is None:
            raise Refused("200-012", "transfer needs a call")
        devicetype, mode, address = int(body["devicetype"]), int(body["mode"]), str(body["address"])
        if mode not in TRANSFER_MODES[devicetype].values():
            raise Refused("000-002", f"mode {mode} is not allowed for devicetype {devicetype}")
        if devicetype == AGENT:  # after a consultation with this agent, the customer goes to the helper
            consult = next((leg for leg in agent.calls if leg.call.feature == TWO_PARTY_HELP
                            and any(other.agent_id == address for other in leg.call.others(leg))), None)
            held = next((leg for leg in agent.find(HELD) if leg is not consult), None)
            if consult is not None and held is not None:
                self._hand_over(agent, held, consult)
                return
        call = mine.call
        if devicetype in (AGENT, SKILL_QUEUE):
            target = (self._free(address) if devicetype == AGENT
                      else self._free_in_skill(int(address), agent.agent_id))
            if target is None:
                self.world.later(self.world.config.answer_delay,
                           lambda: self.world.emit(agent, "AgentEvent_Connect_Fail", call.callid))
                return
            if mode == SUCCESS_TRANSFER:
                call.pending_transfer = agent.agent_id
                mine.state = HELD
                self._offer(target, call, transfer_from=agent.agent_id)
                return
            self._offer(target, call, transfer_from=agent.agent_id)  # before leaving, so the call goes on
            if mine in agent.calls:
                self._agent_leaves(agent, mine)
            return
        if devicetype in (IVR, ACCESS_CODE):
            if mode == SUSPEND:  # the customer visits the IVR and comes back
                mine.state = HELD
                self.world.later(self.world.config.answer_delay, lambda: self._back_from_ivr(agent, mine))
                return
            self._agent_leaves(agent, mine)
            return
        # an external number
        if mode == EXTERNAL_RELEASE and call.feature == OUTBOUND:
            raise Refused("000-002", "an outbound call cannot be release-transferred to an external number")
        if mode == EXTERNAL_RELEASE:
            self._dial(call, address)
            self._agent_leaves(agent, mine)
        elif mode == SUCCESS_TRANSFER:
            call.pending_transfer = agent.agent_id
            mine.state = HELD
            self._dial(call, address)
        else:  # talk and three-party transfer: the three are connected once the number answers
            call.transfer_target, call.conference_on_answer = address, "transfer"
            self._dial(call, address)

    def _hand_over(self, agent: Agent, customer_leg: Leg, consult_leg: Leg) -> None:
        """Consulted transfer: the helper takes the customer's call; the agent leaves both."""
        helper_leg = next(leg for leg in consult_leg.call.others(consult_leg) if leg.agent_id is not None)
        consult = consult_leg.call
        consult.legs.remove(helper_leg)
        helper_leg.call = customer_leg.call
        customer_leg.call.legs.append(helper_leg)
        helper_leg.state = IN_TALK
        self.world.calls.pop(consult.callid, None)
        agent.calls.remove(consult_leg)
        consult.legs = []
        self.world.emit(agent, "AgentEvent_Call_Release", consult.callid)
        self.world.emit(agent, "AgentEvent_SuccTransResult", {"result": 0, "callId": customer_leg.callid})
        self._agent_leaves(agent, customer_leg)
        self._tell_talking(helper_leg)

    def _back_from_ivr(self, agent: Agent, leg: Leg) -> None:
        if leg in agent.calls and leg.state == HELD:
            leg.state = IN_TALK
            self.world.emit(agent, "AgentEvent_ReturnFromIvr", leg.callid)

    @serves("cancelTransfer")
    def cancel_transfer(self, agent: Agent, request: Request) -> None:
        mine = self._current(agent, *CONNECTED) or self._current(agent, HELD)
        if mine is None:
            raise Refused("200-012", "no call")
        call = mine.call
        added = [leg for leg in call.others(mine) if leg.agent_id is None and leg.number == call.transfer_target]
        if not added:
            raise Refused("200-012", "no transfer to cancel")
        call.transfer_target = call.conference_on_answer = None
        for leg in added:
            call.legs.remove(leg)
            self.world.emit(agent, "AgentEvent_Customer_Release", {"callid": call.callid, "number": leg.number})
        mine.state = IN_TALK
        self.world.emit(agent, "AgentEvent_Talking", self._talking(call))

    # -- in the call -------------------------------------------------------------------------------------
    @serves("beginMute")
    def begin_mute(self, agent: Agent, request: Request) -> None:
        leg = self._current(agent, *CONNECTED)
        if leg is None:
            raise Refused("200-003")
        if leg.call.feature == INTERNAL:
            raise Refused("200-004", "an internal call cannot be muted")
        if leg.muted:
            raise Refused("200-004", "the agent is muted already")
        leg.muted = True

    @serves("endMute")
    def end_mute(self, agent: Agent, request: Request) -> None:
        leg = self._current(agent, *CONNECTED)
        if leg is None:
            raise Refused("200-007")
        if not leg.muted:
            raise Refused("200-008", "the agent is not muted")
        leg.muted = False

    @serves("secondDialEx")
    def second_dial(self, agent: Agent, request: Request) -> None:
        leg = self._current(agent, *CONNECTED)
        if leg is None:
            raise Refused("100-007", "digits need a call in progress")
        leg.call.digits.append(str(request["query"]["number"]))

    @serves("snatchpickup")
    def snatch_pickup(self, agent: Agent, request: Request) -> None:
        target_id = str(request["query"]["destWorkNo"])
        if agent.calls or agent.state != AgentState.IDLE:
            raise Refused("100-007", "only an idle agent can pick up a call")
        target = self.world.agents.get(target_id)
        ringing = [leg for leg in target.find(RINGING) if leg.call.feature != INTERNAL] if target else []
        if target is None or not ringing:
            raise Refused("100-007", f"no call is ringing at agent {target_id}")
        leg = ringing[0]
        target.calls.remove(leg)
        self.world.emit(target, "AgentOther_PhoneRelease", {"phoneState": 2})
        if not target.calls:
            target.state = AgentState.IDLE
            self.world.emit(target, "AgentState_Ready")
        leg.agent_id, leg.number = agent.agent_id, agent.phone
        agent.calls.append(leg)
        agent.last_call = leg.call
        agent.state = AgentState.TALKING
        self.world.emit(agent, "AgentOther_PhoneAlerting")
        self.world.emit(agent, "AgentOther_PhoneOffhook", {"type": "main"})
        self._connect(leg)

    # -- what the agent can ask about its calls ----------------------------------------------------------
    @serves("queryHoldListInfo")
    def held_calls(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        held = agent.find(HELD)
        if not held:
            raise Refused("400-003")
        return [leg.call.info() for leg in held]

    @serves("queryCallInfoByCallId")
    def call_info_by_id(self, agent: Agent, request: Request) -> dict[str, Any]:
        callid = request["path"]["callid"]
        leg = next((leg for leg in agent.calls if leg.callid == callid), None)
        if leg is None:
            raise Refused("100-007", f"the agent has no call {callid}")
        return leg.call.info()

    @serves("queryCallInfo")
    def call_info(self, agent: Agent, request: Request) -> dict[str, Any]:
        leg = self._current(agent) or self._current(agent, HELD)
        if leg is not None:
            return leg.call.info()
        skip_last = str((request.get("query") or {}).get("isNoContainLastCall", "false")) == "true"
        last = agent.last_call  # kept after the call ended, so the last call can still be described
        return {} if skip_last or last is None else last.info()

    @serves("queryCallInfoBeforeAnswer")
    def calls_before_answer(self, agent: Agent, request: Request) -> list[dict[str, Any]]:
        return [leg.call.info() for leg in agent.find(RINGING)]

    # -- interfaces of hardware and media the simulator has not got ---------------------------------------
    @serves("mediaSwitch")
    def media_switch(self, agent: Agent, request: Request) -> None:
        if self._current(agent, *CONNECTED) is None:
            raise Refused("100-007", "no call in progress")
        if str(request["query"]["mediaType"]) != "1":
            raise Refused("100-007", "the simulator has audio calls only")

    @serves("adjustVideoMode")
    def adjust_video_mode(self, agent: Agent, request: Request) -> None:
        raise Refused("200-031", "the simulator has no video conference")

    @serves("requestAppointedCall")
    def request_appointed_call(self, agent: Agent, request: Request) -> None:
        raise Refused("100-007", "the simulator queues no calls to pick from")

    @serves("phonepickup", "phonehangup")
    def linked_phone(self, agent: Agent, request: Request) -> None:
        raise Refused("100-007", "the simulator has no linked desk phones")

    @serves("thirdPartyConfTransmitNum")
    def transmit_number(self, agent: Agent, request: Request) -> None:
        raise Refused("10001", "no three-party call with an external IVR")

    @serves("startASR")
    def start_asr(self, agent: Agent, request: Request) -> None:
        raise Refused("200-040", "the simulator has no speech recognition")
