"""Agent-hosted conferences (the ``agentconf`` chapter): an agent applies for a conference and, as its chairperson,
invites agents and phone numbers, holds, mutes, plays announcements to and removes them, hands the chair over,
extends the conference and ends it; members leave on their own.

A conference is a call of the world whose legs are its members: agents as ``Role.AGENT`` legs, phone numbers as
``Role.CUSTOMER`` legs. An invited agent's leg rings until it answers; a number is dialled and joins when its far
end answers (the control interface's far-end behaviours apply). Members who have joined hear of each change in
``AgentConf_ParticipantChanged``; the conference's timer (``time`` minutes, the reminder ``promptTime`` minutes
before its end) follows ``time_scale``. Events follow the interface and event pages; where they leave the order or
the receivers open, the choice is written where it is made.

The chapter is the conference call's host (``world.Host``): a member who leaves otherwise than by a conference
interface (its own release or dropCall, a voice disconnect, a forced or Guid-expiry sign-out, a customer hanging up,
an inspector's forced release of the call) leaves by the rules here, so the members hear
``AgentConf_ParticipantChanged`` with the reason and no voice call's release events. A supervisor inspecting a
member is no member: its inspection ends when that member leaves or the conference ends.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.states import AgentState, CallState
from . import events
from .agent_states import AgentStateMachine
from .events import AGENT_ADDRESS, ConfChange, LeftWhy, PhoneState
from .operations import Request, serves
from .world import Agent, Call, Departure, Leg, Refused, Role, World

NO_CONFERENCE = "101-001"
NOT_CHAIR = "101-002"
ALREADY_IN = "101-003"
CHAIR_TO_ITSELF = "101-005"
CHAIR_REMOVES_ITSELF = "101-006"
CHAIR_LEAVES = "101-007"
BAD_PARAMETER = "000-002"
NOT_NOW = "100-007"
FIRST_CONF_ID = 1030400  # the event pages' example IDs are of this size
MAX_MINUTES = 1440  # requestAgentConf's time and prolongTime's total
DEFAULT_MINUTES, DEFAULT_PROMPT = 60, 3
ANNOUNCEMENT_SECONDS = 10.0  # how long the simulator's announcements play (times time_scale)
# leg states, named as the call chapter names them
IN_TALK, HELD, RINGING, ALERTING = CallState.TALKING, CallState.HELD, CallState.RINGING, CallState.ALERTING
JOINED = (IN_TALK, HELD)
MUTING = {1: ConfChange.MUTED, 3: ConfChange.UNMUTED}  # changeParticipantMode's attribute -> changeType (inferred)
# What the members hear when one leaves otherwise than by a conference interface (the event page's changeReason
# values; which way maps to which is inferred: a voice disconnect is not the chairperson's batchRemoveParticipant).
LEFT_WHY = {Departure.HUNG_UP: LeftWhy.HUNG_UP, Departure.REMOVED: LeftWhy.REMOVED_OTHERWISE,
            Departure.SIGNED_OUT: LeftWhy.SIGNED_OUT}
HUNG_UP_REASONS = (LeftWhy.BY_ITSELF, LeftWhy.HUNG_UP)  # the leaving agent's own doing: its phone was hung up


@dataclass(eq=False)
class Conference:
    conf_id: int
    chair: str
    call: Call
    seats: int
    ends_at: float  # world time
    prompt: float  # minutes before the end at which AgentConf_Timeout comes
    timer: int = 0  # bumped whenever the end moves, so a superseded timer does nothing
    devices: dict[Leg, tuple[int, int]] = field(default_factory=dict)  # deviceCallType, deviceType per member
    announcing: int = 0  # generation of the announcement to everyone; 0: none plays
    announcing_to: dict[Leg, int] = field(default_factory=dict)  # a member's announcement generation

    def joined(self) -> list[Leg]:
        """The members who joined (a supervisor's monitor leg is no member)."""
        return [leg for leg in self.call.legs if leg.role.is_party and leg.state in JOINED]


class ConferenceChapter:
    """The agentconf interfaces."""

    def __init__(self, world: World, states: AgentStateMachine) -> None:
        self.world = world
        self.states = states
        self.conferences: dict[str, Conference] = {}  # by the conference call's ID
        self._ids = itertools.count(FIRST_CONF_ID)
        self._generations = itertools.count(1)

    # -- finding one's conference and its members ----------------------------------------------------------
    def _membership(self, agent: Agent) -> tuple[Conference, Leg] | None:
        for leg in agent.calls:
            conference = self.conferences.get(leg.callid)
            if conference is not None and leg.role is Role.AGENT:
                return conference, leg
        return None

    def _member(self, agent: Agent) -> tuple[Conference, Leg]:
        found = self._membership(agent)
        if found is None or found[1].state not in JOINED:
            raise Refused(NO_CONFERENCE, f"agent {agent.agent_id} is in no conference")
        return found

    def _chaired(self, agent: Agent) -> Conference:
        conference, _ = self._member(agent)
        if conference.chair != agent.agent_id:
            raise Refused(NOT_CHAIR, f"agent {agent.agent_id} is not the conference's chairperson "
                                     f"(agent {conference.chair} is)")
        return conference

    @staticmethod
    def _address(body: dict[str, Any]) -> tuple[bool, str]:
        """(is an agent ID, the address) of a request's addressType and address."""
        return str(body["addressType"]) == str(AGENT_ADDRESS), str(body["address"])

    @staticmethod
    def _find(conference: Conference, is_agent: bool, address: str) -> Leg | None:
        for leg in conference.call.parties():
            if (leg.agent_id == address) if is_agent else (leg.agent_id is None and leg.number == address):
                return leg
        return None

    def _participant(self, conference: Conference, body: dict[str, Any]) -> Leg:
        is_agent, address = self._address(body)
        leg = self._find(conference, is_agent, address)
        if leg is None or leg.state not in JOINED or leg.agent_id == conference.chair:
            raise Refused(BAD_PARAMETER, f"{'agent' if is_agent else 'number'} {address} is not a participant of "
                                         "the conference")
        return leg

    def _tell(self, conference: Conference, about: Leg, change: ConfChange, *, besides: Leg | None = None,
              left_why: LeftWhy = LeftWhy.NOT_LEFT, failed: bool = False) -> None:
        """``AgentConf_ParticipantChanged`` about ``about`` to every agent who joined (``besides`` one)."""
        event = events.participant_changed(conference.conf_id, about, change, left_why, failed,
                                           conference.devices.get(about, (0, 0)))
        for leg in conference.joined():
            if leg.agent_id is not None and leg is not besides:
                self.world.send(self.world.agents[leg.agent_id], event)

    # -- applying, the timer, ending -----------------------------------------------------------------------
    @serves("requestAgentConf")
    def apply(self, agent: Agent, request: Request) -> None:
        body = request["body"]
        if self._membership(agent) is not None:
            raise Refused(ALREADY_IN, f"agent {agent.agent_id} is already in a conference")
        talking = [leg for leg in agent.calls if leg.state == IN_TALK and leg.role is Role.AGENT]
        if agent.state not in (AgentState.IDLE, AgentState.TALKING) or len(agent.calls) != len(talking) \
                or len(talking) > 1:
            raise Refused(NOT_NOW, f"agent {agent.agent_id} must be idle or in one stable call to apply for a "
                                   f"conference ({AgentState.describe(agent.state)})")
        minutes = float(body.get("time", DEFAULT_MINUTES))
        prompt = float(body.get("promptTime", DEFAULT_PROMPT))
        prompt = prompt if prompt < minutes else minutes - 1  # the page: the platform takes time - 1
        conf_id = next(self._ids)
        call = Call(f"{int(self.world.now())}-conf{conf_id}", events.Feature.INTERNAL, agent.phone, agent.phone,
                    int(self.world.now() * 1000))
        call.host = self
        self.world.calls[call.callid] = call
        conference = Conference(conf_id, agent.agent_id, call, int(body["memberNum"]),
                                self.world.now() + minutes * 60 * self.world.config.time_scale, prompt)
        self.conferences[call.callid] = conference
        # The customer of a call in progress comes along into the conference, and so does a supervisor inspecting
        # the agent (as no member).
        for own in talking:
            for other in [leg for leg in own.call.legs if leg is not own]:
                self.world.move(other, call)
            self.world.detach(own)
        chair = self.world.attach(call, agent.phone, IN_TALK, Role.AGENT, agent)
        if not talking:
            self.states.call_began(agent, announced=True)
            if agent.release_phone:
                self.world.send(agent, events.phone_alerting())
                self.world.send(agent, events.phone_offhook())
        self.world.send(agent, events.conference_joined(conf_id))
        self.world.send(agent, events.conference_granted(conf_id))
        for leg in call.parties():
            if leg is not chair:
                self._tell(conference, leg, ConfChange.JOINED, besides=leg)
        self._arm(conference)

    def _arm(self, conference: Conference) -> None:
        """(Re)starts the conference's reminder and end timers for its current end time."""
        conference.timer += 1
        generation = conference.timer
        scale = self.world.config.time_scale
        left = conference.ends_at - self.world.now()

        def current() -> bool:
            return conference.timer == generation and conference.call.callid in self.conferences

        def remind() -> None:
            if current():
                self.world.send(self.world.agents[conference.chair], events.conference_ending_soon(conference.conf_id))

        def end() -> None:
            if current():
                self._end(conference)

        with self.world.caused_by("requestAgentConf"):  # the timers are the application's, also once prolonged
            self.world.later(max(0.0, left - conference.prompt * 60 * scale), remind)
            self.world.later(max(0.0, left), end)

    def _leave(self, conference: Conference, leg: Leg, why: LeftWhy, *, quiet: bool = False,
               hung_up: bool = False) -> None:
        """One leg ends. A member's: the members who joined hear why, the leaving agent's phone is released (by
        itself when ``hung_up`` or it left or hung up) and it goes idle (or into after-call work); ``quiet``: its
        session ended, so nothing is left to tell it. An invitee that goes before joining is told about as a
        rejected invitation is (rejectAgentConf's page), unless the whole conference ends. Monitors inspecting a
        leaving agent end with it. A monitor's leg: the supervisor's phone is released, and nobody else hears of
        it."""
        member = leg.role.is_party
        joined = member and leg.state in JOINED
        if member and (joined or why is not LeftWhy.CONFERENCE_ENDED):  # told before the leg goes, to the others
            self._tell(conference, leg, ConfChange.LEFT, besides=leg, left_why=why)
        self.world.detach(leg)
        conference.devices.pop(leg, None)
        conference.announcing_to.pop(leg, None)
        if leg.agent_id is not None and not quiet:
            agent = self.world.agents[leg.agent_id]
            hung_up = hung_up or (member and why in HUNG_UP_REASONS)
            self.world.send(agent, events.phone_release(PhoneState.AGENT_HUNG_UP if hung_up
                                                        else PhoneState.PLATFORM_RELEASED))
            if joined:
                self.world.send(agent, events.conference_left(conference.conf_id))
            self.states.calls_ended(agent)
        if member and leg.agent_id is not None:
            for monitor in [other for other in conference.call.legs if other.inspected == leg.agent_id]:
                self._leave(conference, monitor, why)

    def _end(self, conference: Conference, *, chair_hung_up: bool = False, chair_quiet: bool = False) -> None:
        """The whole conference ends: the chairperson leaves first, so the members hear the conference ended
        (changeReason 3), then each member. ``chair_hung_up``, ``chair_quiet``: how the chairperson went (see
        ``_leave``)."""
        self.conferences.pop(conference.call.callid, None)

        def is_chair(leg: Leg) -> bool:
            return leg.role is Role.AGENT and leg.agent_id == conference.chair

        for leg in sorted(conference.call.legs, key=lambda leg: not is_chair(leg)):
            if leg in conference.call.legs:  # a monitor ends with the member it inspects
                chair = is_chair(leg)
                self._leave(conference, leg, LeftWhy.CONFERENCE_ENDED, quiet=chair and chair_quiet,
                            hung_up=chair and chair_hung_up)
        self.world.calls.pop(conference.call.callid, None)

    # -- the host of the conference call: leaving otherwise than by a conference interface ---------------------
    def depart(self, leg: Leg, why: Departure) -> None:
        """A member leaves by a voice interface, a sign-out or a customer hanging up. The chairperson going ends the
        conference: a chairperson may not leave it, only end it (inferred for these ways)."""
        conference = self.conferences[leg.callid]
        quiet = why is Departure.SIGNED_OUT
        # The conference's events are the platform's doing, not the voice or sign-out interface's (whose pages list
        # none of them), as a recording stopping with its call is.
        with self.world.caused_by(None):
            if leg.role is Role.AGENT and leg.agent_id == conference.chair:
                self._end(conference, chair_hung_up=why is Departure.HUNG_UP, chair_quiet=quiet)
            else:
                self._leave(conference, leg, LEFT_WHY[why], quiet=quiet)

    def drop(self, call: Call) -> None:
        """The platform releases the conference call: the conference ends."""
        with self.world.caused_by(None):  # as in ``depart``
            self._end(self.conferences[call.callid])

    @serves("releaseAgentConf")
    def release(self, agent: Agent, request: Request) -> None:
        self._end(self._chaired(agent))

    @serves("requestLeaveAgentConf")
    def leave(self, agent: Agent, request: Request) -> None:
        conference, leg = self._member(agent)
        if conference.chair == agent.agent_id:
            raise Refused(CHAIR_LEAVES, f"agent {agent.agent_id} chairs the conference: end it with "
                                        "releaseAgentConf or hand the chair over first")
        self._leave(conference, leg, LeftWhy.BY_ITSELF)

    @serves("prolongTime")
    def prolong(self, agent: Agent, request: Request) -> dict[str, int]:
        conference = self._chaired(agent)
        scale = self.world.config.time_scale
        begun = conference.call.begin / 1000
        length = (conference.ends_at - begun) / (60 * scale)
        added = int(max(0, min(int(request["body"]["prolongTime"]), MAX_MINUTES - round(length))))
        conference.ends_at += added * 60 * scale
        self._arm(conference)
        return {"applyedTime": added}

    # -- inviting, answering, removing ------------------------------------------------------------------------
    @serves("batchAddParticipant")
    def invite(self, chair_agent: Agent, request: Request) -> None:
        conference = self._chaired(chair_agent)
        body = request["body"]
        wanted = [(*self._address(address), address) for address in body["addresses"]]
        for is_agent, address, _ in wanted:
            if self._find(conference, is_agent, address) is not None:
                raise Refused(ALREADY_IN, f"{'agent' if is_agent else 'number'} {address} is already in the "
                                          "conference")
        if len(conference.call.legs) + len(wanted) > conference.seats:
            raise Refused(BAD_PARAMETER, f"the conference has {conference.seats} seats: {len(conference.call.legs)} "
                                         f"taken, {len(wanted)} more asked for")
        for is_agent, address, given in wanted:
            device = (int(given.get("deviceCallType") or 0), int(given.get("deviceType") or 0))
            if is_agent:
                self._invite_agent(conference, address, device)
            else:
                self._dial(conference, address, device)

    def _failed(self, conference: Conference, leg: Leg, device: tuple[int, int]) -> None:
        """The chairperson hears that an invitee could not join (result 1); its leg, if it had one, goes."""
        self.world.send(self.world.agents[conference.chair],
                        events.participant_changed(conference.conf_id, leg, ConfChange.JOINED, failed=True,
                                                   device=device))
        conference.devices.pop(leg, None)
        if leg in conference.call.legs:
            self.world.detach(leg)

    def _invite_agent(self, conference: Conference, agent_id: str, device: tuple[int, int]) -> None:
        invitee = self.world.agent(agent_id) if agent_id in self.world.roster else None
        if invitee is None or not invitee.signed_in or invitee.state != AgentState.IDLE or invitee.calls:
            # no leg: the agent cannot be reached
            self._failed(conference, Leg(conference.call, agent_id, RINGING, agent_id, Role.AGENT), device)
            return
        leg = self.world.attach(conference.call, invitee.phone, RINGING, Role.AGENT, invitee)
        conference.devices[leg] = device
        # rejectAgentConf's events (PhoneRelease, Ready) imply the invitee's phone rang and it went busy.
        self.states.call_began(invitee, announced=True)
        if invitee.release_phone:
            self.world.send(invitee, events.phone_alerting())
        self.world.send(invitee, events.conference_ringing(conference.conf_id))

    def _dial(self, conference: Conference, number: str, device: tuple[int, int]) -> None:
        leg = self.world.attach(conference.call, number, ALERTING, Role.CUSTOMER)
        conference.devices[leg] = device
        behaviour = self.world.far_ends.get(number, "answer")
        if behaviour == "silent":
            return

        def far_end() -> None:
            if leg not in conference.call.legs or conference.call.callid not in self.conferences:
                return
            if behaviour == "answer":
                leg.state = IN_TALK
                self._tell(conference, leg, ConfChange.JOINED)
            else:
                self._failed(conference, leg, device)

        self.world.later(self.world.config.answer_delay, far_end)

    def _invitation(self, agent: Agent) -> tuple[Conference, Leg]:
        found = self._membership(agent)
        if found is None or found[1].state != RINGING:
            raise Refused(NO_CONFERENCE, f"no conference invited agent {agent.agent_id}")
        return found

    @serves("answerAgentConf")
    def answer(self, agent: Agent, request: Request) -> None:
        conference, leg = self._invitation(agent)
        leg.state = IN_TALK
        if agent.release_phone:
            self.world.send(agent, events.phone_offhook())
        self.world.send(agent, events.conference_joined(conference.conf_id))
        self._tell(conference, leg, ConfChange.JOINED, besides=leg)

    @serves("rejectAgentConf")
    def reject(self, agent: Agent, request: Request) -> None:
        conference, leg = self._invitation(agent)
        # The members hear that the invitee is gone (changeType 1, changeReason 2 "hung up": inferred).
        self._leave(conference, leg, LeftWhy.HUNG_UP)

    @serves("batchRemoveParticipant")
    def remove(self, agent: Agent, request: Request) -> dict[str, Any]:
        conference = self._chaired(agent)
        found, missing = [], []
        for address in request["body"]["addresses"]:
            is_agent, value = self._address(address)
            if is_agent and value == conference.chair:
                raise Refused(CHAIR_REMOVES_ITSELF, f"agent {value} chairs the conference and cannot remove themself")
            leg = self._find(conference, is_agent, value)
            if leg is None:
                missing.append({"addressType": str(address["addressType"]), "address": value})
            elif leg not in found:
                found.append(leg)
        for leg in found:
            self._leave(conference, leg, LeftWhy.REMOVED_BY_CHAIR)
        return {"noExistParticipants": missing}

    # -- what the chair does to one member --------------------------------------------------------------------
    @serves("holdParticipant")
    def hold(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        leg = self._participant(conference, request["body"])
        if leg.state == HELD:
            raise Refused(NOT_NOW, f"{leg.agent_id or leg.number} is already held")
        leg.state = HELD
        self._tell(conference, leg, ConfChange.HELD)

    @serves("unholdParticipant")
    def unhold(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        leg = self._participant(conference, request["body"])
        if leg.state != HELD:
            raise Refused(NOT_NOW, f"{leg.agent_id or leg.number} is not held")
        leg.state = IN_TALK
        self._tell(conference, leg, ConfChange.UNHELD)

    @serves("changeParticipantMode")
    def change_mode(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        body = request["body"]
        leg = self._participant(conference, body)
        attribute = int(body["attribute"])
        leg.muted = attribute in (1, 4)  # the others no longer hear it
        if attribute in MUTING:  # the page: attribute 2 and 4 raise no event
            self._tell(conference, leg, MUTING[attribute])

    @serves("applyToShiftPresident")
    def hand_over_chair(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        target = str(request["body"]["destAgentNo"])
        if target == agent.agent_id:
            raise Refused(CHAIR_TO_ITSELF, f"agent {target} already chairs the conference")
        leg = self._find(conference, True, target)
        if leg is None or leg.state not in JOINED:
            raise Refused(BAD_PARAMETER, f"agent {target} has not joined the conference")
        conference.chair = target
        self._tell(conference, leg, ConfChange.CHAIR_CHANGED)
        self.world.send(self.world.agents[target], events.made_chair(conference.conf_id))

    # -- announcements ----------------------------------------------------------------------------------------
    def _announcement_ends(self, conference: Conference, leg: Leg | None, generation: int) -> None:
        chair = self.world.agents[conference.chair]
        if leg is None and conference.announcing == generation:
            conference.announcing = 0
            self.world.send(chair, events.announcement_ended())
        elif leg is not None and conference.announcing_to.get(leg) == generation:
            del conference.announcing_to[leg]
            self.world.send(chair, events.participant_announcement_ended())

    @serves("playVoiceToConf")
    def announce(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        if conference.announcing:
            raise Refused(NOT_NOW, "an announcement already plays to the conference")
        conference.announcing = generation = next(self._generations)
        self.world.later(ANNOUNCEMENT_SECONDS * self.world.config.time_scale,
                         lambda: self._announcement_ends(conference, None, generation))

    @serves("stopVoiceToConf")
    def stop_announcing(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        if not conference.announcing:
            raise Refused(NOT_NOW, "no announcement plays to the conference")
        conference.announcing = 0  # the page lists no event for a stop

    @serves("playVoiceToParticipant")
    def announce_to(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        leg = self._participant(conference, request["body"])
        if leg in conference.announcing_to:
            raise Refused(NOT_NOW, f"an announcement already plays to {leg.agent_id or leg.number}")
        conference.announcing_to[leg] = generation = next(self._generations)
        self.world.later(ANNOUNCEMENT_SECONDS * self.world.config.time_scale,
                         lambda: self._announcement_ends(conference, leg, generation))

    @serves("stopVoiceToParticipant")
    def stop_announcing_to(self, agent: Agent, request: Request) -> None:
        conference = self._chaired(agent)
        leg = self._participant(conference, request["body"])
        generation = conference.announcing_to.get(leg)
        if generation is None:
            raise Refused(NOT_NOW, f"no announcement plays to {leg.agent_id or leg.number}")
        self._announcement_ends(conference, leg, generation)

    # -- what the control interface tells ----------------------------------------------------------------------
    def describe(self, agent: Agent) -> dict[str, Any] | None:
        """The conference ``agent`` is in (or invited to): its ID, chairperson and members with their state."""
        found = self._membership(agent)
        if found is None:
            return None
        conference, _ = found
        return {"confId": conference.conf_id, "chair": conference.chair,
                "members": [{"address": leg.agent_id or leg.number, "state": str(leg.state), "muted": leg.muted}
                            for leg in conference.call.parties()]}
