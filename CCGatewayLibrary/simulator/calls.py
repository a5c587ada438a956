"""Calls in the simulated gateway: who is in a call, and what each voice-call interface does to it.

A call has legs: its parties (customers and agents) and monitors (supervisors listening, whispering or barging
in). Rules ask a leg's role, never count legs: a call goes on while two parties are in it. An agent's ``calls``
are its legs; the state of a leg (ringing, alerting, talking, held, conference) is that party's view of the
call. The call ID that the control interface hands out for a customer (``Simulate Inbound Call``, ``Call Out``)
names that party through merges. Agents' states change through the state machine only. Events follow the
developer guide's scenarios; where a page leaves the order open, the choice is noted where it is made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from ..catalogue.gateway import TRANSFER_MODES, TRANSFER_TARGETS
from ..catalogue.states import AgentState, CallState
from . import events
from .agent_states import AgentStateMachine
from .events import Feature, PhoneState
from .operations import Request, serves
from .world import Agent, Call, Departure, Leg, Refused, Role, SimulationError, World

RINGING, ALERTING, IN_TALK, HELD, CONFERENCE = (CallState.RINGING, CallState.ALERTING, CallState.TALKING,
                                                CallState.HELD, CallState.CONFERENCE)
ACTIVE = (IN_TALK, ALERTING, CONFERENCE, RINGING)
CONNECTED = (IN_TALK, CONFERENCE)
FAR_END_BEHAVIOURS = ("answer", "silent", "busy", "reject")

# transfer's devicetype values and the mode values the simulator tells apart, from the catalogue's matrix.
SKILL_QUEUE, AGENT, IVR, ACCESS_CODE, EXTERNAL = (TRANSFER_TARGETS[name] for name in
                                                  ("skill", "agent", "ivr", "access code", "number"))
SUSPEND, SUCCESS_TRANSFER = TRANSFER_MODES[IVR]["suspend"], TRANSFER_MODES[AGENT]["success"]
EXTERNAL_RELEASE = TRANSFER_MODES[EXTERNAL]["release"]


class CallChapter:
    """The voice-call interfaces and the control interface's customers and far ends."""

    def __init__(self, world: World, states: AgentStateMachine) -> None:
        self.world = world
        self.states = states
        self._call_numbers = itertools.count(1)
        # Told of each leg answered (the queues count a routed call as answered and time its talk from here).
        self.answered: Callable[[Leg], None] = lambda leg: None
        # Asked whether a rejected call goes back to a queue (reject's mode 1), which then keeps it (True).
        self.returned_to_queue: Callable[[Agent, Call], bool] = lambda agent, call: False

    # -- building blocks ---------------------------------------------------------------------------
    def _new_call(self, feature: Feature, caller: str, called: str, *, data: str = "",
                  skill: int | None = None) -> Call:
        call = Call(f"{int(self.world.now())}-{next(self._call_numbers)}", feature, caller, called,
                    int(self.world.now() * 1000), data=data, skill=skill)
        self.world.calls[call.callid] = call
        return call

    def _customer(self, call: Call, number: str, state: CallState) -> Leg:
        return self.world.attach(call, number, state, Role.CUSTOMER)

    def _send(self, leg: Leg, event: events.Event) -> None:
        """``event`` for the agent on ``leg``."""
        self.world.send(self.world.agents[str(leg.agent_id)], event)

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
        first = not agent.calls
        leg = self.world.attach(call, agent.phone, RINGING, Role.AGENT, agent)
        self.states.call_began(agent, announced=first)
        self.world.send(agent, events.phone_alerting())
        self.world.send(agent, events.phone_offhook())
        if agent.auto_answer:
            self.world.send(agent, events.auto_answer(call, transfer_from))
            self._connect(leg)
        else:
            self.world.send(agent, events.ringing(call, transfer_from))
            caller = next((other for other in call.others(leg) if other.number == call.caller), None)
            if caller is not None:
                self.world.send(agent, events.customer_alerting(call, caller))
        return leg

    def _connect(self, leg: Leg) -> None:
        """``leg`` is answered: it and every party still waiting for it talk; agents get Talking."""
        leg.state = IN_TALK
        for party in leg.call.parties():
            if party.state in (ALERTING, RINGING) and party is not leg:
                party.state = IN_TALK
                self._tell_talking(party)
        self._tell_talking(leg)
        self._on_answered(leg)
        self.answered(leg)

    def _tell_talking(self, leg: Leg) -> None:
        if leg.role is Role.AGENT:
            self._send(leg, events.talking(leg.call))

    def _on_answered(self, leg: Leg) -> None:
        """A three-party help becomes a conference, a success transfer completes, when the target answers."""
        call = leg.call
        cause = call.conference_on_answer
        if cause is not None:
            call.conference_on_answer = None
            with self.world.caused_by(cause):  # the three-party help or transfer asked for completes
                for party in call.agent_parties():
                    party.state = CONFERENCE
                    self._send(party, events.conference(call, call.others(party)))
        pending = call.pending_transfer
        if pending is not None and leg.agent_id != pending:
            call.pending_transfer = None
            mover = self.world.agents[pending]
            mover_leg = next(party for party in call.agent_parties() if party.agent_id == pending)
            with self.world.caused_by("transfer"):  # the transfer asked for completes
                self.world.send(mover, events.transfer_result(call))
                self._agent_leaves(mover, mover_leg)

    @staticmethod
    def _hosted(leg: Leg, why: Departure) -> bool:
        """A party of a call that has a host (a conference) leaves by the host's rules; True when it did."""
        host = leg.call.host
        if host is None or not leg.role.is_party:
            return False
        host.depart(leg, why)
        return True

    def _agent_leaves(self, agent: Agent, leg: Leg, *, quiet: bool = False) -> None:
        """The agent's leg ends; the call goes on if two parties are left, else it ends for the last one."""
        if self._hosted(leg, Departure.SIGNED_OUT if quiet else Departure.HUNG_UP):
            return
        call = leg.call
        self.world.detach(leg)
        if not quiet:
            self.world.send(agent, events.call_release(call))
            parties = call.parties()
            self.world.send(agent, events.customer_release(call, parties[0].number if parties else call.called))
        self._party_left(call, leg)
        if not quiet:
            self._phone_released(agent, PhoneState.AGENT_HUNG_UP)

    def _phone_released(self, agent: Agent, why: PhoneState) -> None:
        self.world.send(agent, events.phone_release(why))
        self.states.calls_ended(agent)

    def _party_left(self, call: Call, gone: Leg) -> None:
        """Tell the agents still in ``call`` that ``gone`` left; with one party left, the call ends for everyone
        still on it, monitors too. A monitor leaving (a supervisor signed out) is nobody's news."""
        if not gone.role.is_party:
            return
        parties = call.parties()
        if len(parties) >= 2:
            for leg in call.agent_parties():
                if leg.state in (RINGING, ALERTING):
                    continue  # not connected yet: nothing to tell
                self._send(leg, events.customer_release(call, gone.number))
                if leg.state == CONFERENCE and len(parties) == 2:
                    leg.state = IN_TALK  # the conference shrank to a two-party call
            return
        for leg in list(call.legs):
            self.world.detach(leg)
            if leg.agent_id is None:
                continue
            agent = self.world.agents[leg.agent_id]
            self.world.send(agent, events.call_release(call))
            self.world.send(agent, events.customer_release(call, gone.number))
            held = agent.find(HELD)
            if call.feature == Feature.TWO_PARTY_HELP and held and leg.number == call.caller:
                # The helper left the consultation: the agent who asked and the held customer talk again.
                held[-1].state = IN_TALK
                self.world.send(agent, events.talking(held[-1].call))
            else:
                self._phone_released(agent, PhoneState.PLATFORM_RELEASED)

    def leave_all_calls(self, agent: Agent) -> None:
        """A forced sign-out or takeover: the agent drops out of every call without events of its own."""
        for leg in list(agent.calls):
            if leg in agent.calls:  # a host may have ended more of the agent's legs with one
                self._agent_leaves(agent, leg, quiet=True)

    def _dial(self, call: Call, number: str) -> Leg:
        leg = self._customer(call, number, ALERTING)
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
        self.world.detach(leg)
        for agent_leg in call.agent_parties():
            agent = self.world.agents[str(agent_leg.agent_id)]
            if agent_leg.state == ALERTING:  # the agent placed this call: it fails
                self.world.detach(agent_leg)
                self.world.send(agent, events.phone_release(PhoneState.AGENT_HUNG_UP))
                self.world.send(agent, events.call_out_fail(call))
                self.world.send(agent, events.connect_fail(call))
                self.states.calls_ended(agent)
            else:
                self.world.send(agent, events.connect_fail(call))
        if len(call.parties()) < 2:
            for rest in list(call.legs):
                self.world.detach(rest)

    @staticmethod
    def _voice(agent: Agent, *states: CallState) -> list[Leg]:
        """The agent's legs in ``states`` that are voice calls. A leg of a hosted call (a conference seat) follows
        its host's interfaces: the voice interfaces only hang it up (through ``_hosted``)."""
        return [leg for leg in agent.find(*states) if leg.call.host is None]

    def _current(self, agent: Agent, *states: CallState) -> Leg | None:
        found = self._voice(agent, *(states or ACTIVE))
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
        call = self._new_call(Feature.INBOUND, caller, agent.phone)
        self.world.name_party(self._customer(call, caller, IN_TALK))
        self._offer(agent, call)
        return call.callid

    def inbound_call(self, caller: str, called: str, skill: int | None = None) -> tuple[Call, Leg]:
        """A customer's call that reached the platform (to a skill queue's access code): the call and the
        customer's leg, which the call ID handed out names."""
        call = self._new_call(Feature.INBOUND, caller, called, skill=skill)
        leg = self._customer(call, caller, IN_TALK)
        self.world.name_party(leg)
        return call, leg

    def offer(self, agent: Agent, call: Call) -> Leg:
        """The platform offers ``call`` to a free ``agent`` (a skill queue routing it)."""
        return self._offer(agent, call)

    def customer_hangs_up(self, callid: str, number: str | None = None) -> None:
        """Control interface: a customer hangs up. ``callid`` as handed out for a customer names that customer,
        also after a merge; ``number`` picks another customer of that customer's call. Any other call ID: its
        customer ``number``, or every customer without a number."""
        named = self.world.handles.get(callid)
        call = named.call if named is not None else self.world.calls.get(callid)
        if named is not None and number in (None, named.number):
            customers = [named]
        else:
            customers = [leg for leg in call.parties()
                         if leg.role is Role.CUSTOMER and number in (None, leg.number)] if call else []
        if call is None or not customers:
            who = f"customer {number}" if number else "a customer"
            raise SimulationError(f"no call {callid} with {who} in progress")
        for leg in customers:
            if leg in leg.call.legs and not self._hosted(leg, Departure.HUNG_UP):
                left = leg.call
                self.world.detach(leg)
                self._party_left(left, leg)

    def set_far_end(self, number: str, behaviour: str) -> None:
        """Control interface: how calls to ``number`` are answered from now on."""
        if behaviour not in FAR_END_BEHAVIOURS:
            raise SimulationError(f"far-end behaviour must be one of {', '.join(FAR_END_BEHAVIOURS)}")
        self.world.far_ends[number] = behaviour

    # -- answering, holding, releasing ---------------------------------------------------------------
    @serves("answer")
    def answer(self, agent: Agent, request: Request) -> None:
        callid = (request.get("query") or {}).get("callid")
        ringing = [leg for leg in self._voice(agent, RINGING) if callid in (None, leg.callid)]
        if not ringing:
            raise Refused("200-002")
        self._connect(ringing[0])

    @serves("reject")
    def reject(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        callid = body.get("callid")
        ringing = [leg for leg in self._voice(agent, RINGING) if callid in (None, leg.callid)]
        if not ringing:
            raise Refused("200-002", "no call is ringing")
        call = ringing[0].call
        back_to_queue = int(body["mode"]) == 1
        self.world.detach(ringing[0])
        # Mode 1 sends a call that came from a skill queue back to it; any other call ends for the customer.
        if not (back_to_queue and self.returned_to_queue(agent, call)):
            for rest in list(call.legs):
                self.world.detach(rest)
        self.world.send(agent, events.no_answer(call))
        self.world.send(agent, events.phone_release(PhoneState.AGENT_HUNG_UP))
        self.states.rejected(agent, back_to_queue=back_to_queue)

    @serves("hold")
    def hold(self, agent: Agent, request: Request | None = None) -> None:
        talking = self._voice(agent, IN_TALK)
        if not talking:
            raise Refused("200-014" if agent.calls and not agent.find(HELD) else "200-013")
        talking[0].state = HELD
        self.world.send(agent, events.hold(talking[0].call))

    @serves("getHold")
    def get_hold(self, agent: Agent, request: Request) -> None:
        callid = (request.get("query") or {}).get("callid")
        held = [leg for leg in self._voice(agent, HELD) if callid in (None, leg.callid)]
        if not held:
            raise Refused("200-015")
        if agent.find(*ACTIVE):
            raise Refused("200-016")
        held[0].state = IN_TALK
        self.world.send(agent, events.talking(held[0].call))

    @serves("release", "releaseEx")
    def release(self, agent: Agent, request: Request | None = None) -> None:
        current = agent.find(*ACTIVE)
        if not current:
            raise Refused("200-017")
        held = agent.find(HELD)
        consult = next((leg for leg in current
                        if leg.call.feature == Feature.TWO_PARTY_HELP and leg.state == IN_TALK), None)
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
        call = own.call
        party = next((leg for leg in call.others(own) if leg.number == number), None)
        if party is None:
            raise Refused("200-024", f"no party {number} in call {own.callid}")
        if self._hosted(party, Departure.REMOVED):
            return
        self.world.detach(party)
        if party.agent_id is not None:
            dropped = self.world.agents[party.agent_id]
            self.world.send(dropped, events.call_release(call))
            self._phone_released(dropped, PhoneState.AGENT_HUNG_UP)
        self._party_left(call, party)

    # -- placing calls ---------------------------------------------------------------------------------
    def _may_place_call(self, agent: Agent) -> None:
        if agent.find(*ACTIVE):
            raise Refused("100-009", "the agent is in a call; hold it first")

    def _start_outgoing(self, agent: Agent, call: Call) -> Leg:
        first = not agent.calls
        leg = self.world.attach(call, agent.phone, ALERTING, Role.AGENT, agent)
        if agent.release_phone:  # the line is opened for this call: the agent's phone rings and goes off hook
            self.world.send(agent, events.phone_alerting())
            self.world.send(agent, events.phone_offhook())
        self.states.call_began(agent, announced=first)
        return leg

    @serves("callout")
    def callout(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        self._may_place_call(agent)
        called = str(body["called"])
        call = self._new_call(Feature.OUTBOUND, str(body.get("caller") or agent.phone), called,
                              data=str(body.get("callappdata") or ""))
        self._start_outgoing(agent, call)
        far = self._customer(call, called, ALERTING)
        self.world.name_party(far)
        self.world.send(agent, events.customer_alerting(call, far))
        self._ring_far_end(far)
        return call.callid

    def _call_agent(self, agent: Agent, target: Agent | None, feature: Feature, *, data: str = "",
                    skill: int | None = None) -> str:
        call = self._new_call(feature, agent.phone, target.phone if target else "", data=data, skill=skill)
        self._start_outgoing(agent, call)
        if target is None:
            self.world.later(self.world.config.answer_delay, lambda: self._inside_call_fails(agent, call))
            return call.callid
        callee = self._offer(target, call)
        if callee.state == RINGING:
            self.world.send(agent, events.customer_alerting(call, callee))
        return call.callid

    def _inside_call_fails(self, agent: Agent, call: Call) -> None:
        leg = next((leg for leg in call.agent_parties() if leg.agent_id == agent.agent_id), None)
        if leg is None:
            return
        self.world.detach(leg)
        self.world.send(agent, events.inside_call_fail(call))
        self._phone_released(agent, PhoneState.AGENT_HUNG_UP)

    @serves("callInner")
    def call_inner(self, agent: Agent, request: Request) -> str:
        body = request["body"]
        self._may_place_call(agent)
        target = self._free(str(body["called"]))
        return self._call_agent(agent, target, Feature.INTERNAL, data=str(body.get("callappdata") or ""))

    @serves("callInnerSkill")
    def call_inner_skill(self, agent: Agent, request: Request) -> str:
        self._may_place_call(agent)
        skill = int(request["body"]["skillId"])
        return self._call_agent(agent, self._free_in_skill(skill, agent.agent_id), Feature.INTERNAL, skill=skill)

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
            self.world.send(agent, events.hold(customer.call))
        if helper is None:
            self.world.later(self.world.config.answer_delay,
                             lambda: self.world.send(agent, events.consult_fail(customer.call)))
            return customer.callid
        if mode == 2:  # three-party help: the helper joins the customer's call
            call = customer.call
            customer.state = CONFERENCE
            call.feature = Feature.THREE_PARTY_HELP
            call.conference_on_answer = "innerHelp"
            self._offer(helper, call)
            return call.callid
        call = self._new_call(Feature.TWO_PARTY_HELP, agent.phone, helper.phone,
                              data=str(body.get("callappdata") or ""))
        self._start_outgoing(agent, call)
        callee = self._offer(helper, call)
        if callee.state == RINGING:
            self.world.send(agent, events.customer_alerting(call, callee))
        return call.callid

    # -- conferences and transfers ---------------------------------------------------------------------
    def _talking_and_held(self, agent: Agent, callid: str, no_call: str, no_held_call: str) -> tuple[Leg, Leg]:
        """The agent's talking call and its held call ``callid``, or the refusal codes of the interface."""
        talking = self._voice(agent, IN_TALK)
        if not talking:
            raise Refused(no_call)
        held = [leg for leg in self._voice(agent, HELD) if leg.callid == callid]
        if not held:
            raise Refused(no_held_call)
        return talking[0], held[0]

    def _move_parties(self, gone: Call, leaving: Leg, into: Call) -> None:
        """Every leg of ``gone`` but ``leaving`` moves into the call ``into``, keeping its handle."""
        for leg in [leg for leg in gone.legs if leg is not leaving]:
            self.world.move(leg, into)

    @serves("confJoin")
    def conf_join(self, agent: Agent, request: Request) -> None:
        talking, held = self._talking_and_held(agent, request["body"]["callid"], "200-010", "200-011")
        self._merge(into=held, other=talking)

    def _merge(self, *, into: Leg, other: Leg) -> None:
        """The parties of ``other``'s call join ``into``'s call: a conference under the held call's ID."""
        call = into.call
        self._move_parties(other.call, other, call)
        self.world.detach(other)  # the agent's leg of the call that ended in the merge
        for leg in call.agent_parties():
            leg.state = CONFERENCE
        for leg in call.agent_parties():
            self._send(leg, events.conference(call, call.others(leg)))

    @serves("connectHold")
    def connect_hold(self, agent: Agent, request: Request) -> None:
        talking, held = self._talking_and_held(agent, request["path"]["callid"], "200-005", "200-006")
        # The two other parties are connected and the agent leaves both calls.
        gone = talking.call
        self._move_parties(gone, talking, held.call)
        self.world.detach(talking)
        self.world.send(agent, events.call_release(gone))
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
            consult = next((leg for leg in agent.calls if leg.call.feature == Feature.TWO_PARTY_HELP
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
                                 lambda: self.world.send(agent, events.connect_fail(call)))
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
        if mode == EXTERNAL_RELEASE and call.feature == Feature.OUTBOUND:
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
        consult = consult_leg.call
        helper_leg = next(leg for leg in consult.others(consult_leg) if leg.role is Role.AGENT)
        self.world.move(helper_leg, customer_leg.call)
        helper_leg.state = IN_TALK
        self.world.detach(consult_leg)
        self.world.send(agent, events.call_release(consult))
        self.world.send(agent, events.transfer_result(customer_leg.call))
        self._agent_leaves(agent, customer_leg)
        self._tell_talking(helper_leg)

    def _back_from_ivr(self, agent: Agent, leg: Leg) -> None:
        if leg in agent.calls and leg.state == HELD:
            leg.state = IN_TALK
            self.world.send(agent, events.return_from_ivr(leg.call))

    @serves("cancelTransfer")
    def cancel_transfer(self, agent: Agent, request: Request) -> None:
        mine = self._current(agent, *CONNECTED) or self._current(agent, HELD)
        if mine is None:
            raise Refused("200-012", "no call")
        call = mine.call
        added = [leg for leg in call.others(mine) if leg.role is Role.CUSTOMER and leg.number == call.transfer_target]
        if not added:
            raise Refused("200-012", "no transfer to cancel")
        call.transfer_target = call.conference_on_answer = None
        for leg in added:
            self.world.detach(leg)
            self.world.send(agent, events.customer_release(call, leg.number))
        mine.state = IN_TALK
        self.world.send(agent, events.talking(call))

    # -- in the call -------------------------------------------------------------------------------------
    @serves("beginMute")
    def begin_mute(self, agent: Agent, request: Request) -> None:
        leg = self._current(agent, *CONNECTED)
        if leg is None:
            raise Refused("200-003")
        if leg.call.feature == Feature.INTERNAL:
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
        ringing = [leg for leg in target.find(RINGING) if leg.call.feature != Feature.INTERNAL] if target else []
        if target is None or not ringing:
            raise Refused("100-007", f"no call is ringing at agent {target_id}")
        call = ringing[0].call
        self.world.detach(ringing[0])
        self.world.send(target, events.phone_release(PhoneState.AGENT_HUNG_UP))
        self.states.picked_up_from(target)
        picked = self.world.attach(call, agent.phone, RINGING, Role.AGENT, agent)
        # As before the world was reshaped, the agent who picks up gets no AgentState_Busy.
        self.states.call_began(agent, announced=False)
        self.world.send(agent, events.phone_alerting())
        self.world.send(agent, events.phone_offhook())
        self._connect(picked)

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
