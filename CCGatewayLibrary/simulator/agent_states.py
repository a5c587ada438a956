"""The simulated agent's state machine as one table: interface x state before -> state after and events, or
the retcode that refuses the request.

Read it against the vendor's agent state table and the state interfaces' pages
(https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_0581.html and cec_07_1210 to cec_07_1221). The
gateway documents which retcodes each interface may answer, not in which state; a refusal cell uses the
documented "agent state does not allow it" code of the interface (100-009, for sign-out 100-010). Events are
named in the order the gateway sends them. ``TALKING`` stands for every state with a call, held calls included.

``AgentStateMachine`` is the one way an agent's state changes: the table's interfaces, sign-in and sign-out, and
what calls do to an agent (the first call makes it busy, the last one ending makes it ready or puts it in
after-call work, a rejected call makes it busy or ready); each change queues the events that announce it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..catalogue.states import AgentState
from . import events
from .roster import Skill
from .world import Agent, Event, Refused, World

IDLE, BUSY, WORK, REST, TALKING, SIGNED_OUT = (AgentState.IDLE, AgentState.BUSY, AgentState.WORK, AgentState.REST,
                                               AgentState.TALKING, AgentState.SIGNED_OUT)
STATES: tuple[AgentState, ...] = (IDLE, BUSY, WORK, REST, TALKING)
NOT_NOW = "100-009"  # setting the agent state failed: the state does not allow it
# An inspector's forced state change refused for the agent's state: the chapter's "state error" (listed on the listen
# page only; used for the forced changes too, inferred).
QC_STATE_ERROR = "900-005"


@dataclass(frozen=True)
class Step:
    """The request is carried out: the agent ends in ``to`` and these events are queued, in order."""

    to: AgentState
    events: tuple[str, ...] = ()
    # A query flag that must be "true" (the gateway asks for prolong=true to change the reason of an ongoing
    # busy or rest); without it the request is refused with NOT_NOW.
    needs: str | None = None
    releases_calls: bool = False


Cell = Step | str


def step(to: AgentState, *events: str, needs: str | None = None, releases_calls: bool = False) -> Step:
    return Step(to, events, needs, releases_calls)


def signed_out(*events: str, releases_calls: bool = False) -> Step:
    return Step(SIGNED_OUT, events, None, releases_calls)


# Rows are interfaces, columns the state before the request.
# The events after a rest/work/busy change are those the vendor lists per interface; AgentState_Ready after
# sayFree is what the developer guide's state diagram shows for the return to idle (inferred).
AGENT_STATE_TABLE: dict[str, dict[AgentState, Cell]] = {
    "sayFree": {
        IDLE: step(IDLE, "AgentState_Ready"),
        BUSY: step(IDLE, "AgentState_CancelNotReady_Success", "AgentState_Ready"),
        WORK: step(IDLE, "AgentState_CancelWork_Success", "AgentState_Ready"),
        REST: NOT_NOW,
        TALKING: NOT_NOW,
    },
    "sayBusy": {
        IDLE: step(BUSY, "AgentState_SetNotReady_Success"),
        BUSY: step(BUSY, "AgentState_SetNotReady_Success", needs="prolong"),
        WORK: step(BUSY, "AgentState_SetNotReady_Success"),
        REST: NOT_NOW,
        TALKING: NOT_NOW,
    },
    "cancelBusy": {
        IDLE: NOT_NOW,
        BUSY: step(IDLE, "AgentState_CancelNotReady_Success"),
        WORK: NOT_NOW,
        REST: NOT_NOW,
        TALKING: NOT_NOW,
    },
    "rest": {
        IDLE: step(REST, "AgentState_SetRest_Success"),
        BUSY: step(REST, "AgentState_SetRest_Success"),
        WORK: step(REST, "AgentState_SetRest_Success"),
        REST: step(REST, "AgentState_SetRest_Success", needs="prolong"),
        TALKING: NOT_NOW,
    },
    "cancelRest": {
        IDLE: NOT_NOW,
        BUSY: NOT_NOW,
        WORK: NOT_NOW,
        REST: step(IDLE, "AgentState_CancelRest_Success"),
        TALKING: NOT_NOW,
    },
    "sayWork": {
        IDLE: step(WORK, "AgentState_SetWork_Success"),
        BUSY: step(WORK, "AgentState_SetWork_Success"),
        WORK: step(WORK, "AgentState_SetWork_Success"),
        REST: NOT_NOW,
        TALKING: NOT_NOW,
    },
    "cancelWork": {
        IDLE: NOT_NOW,
        BUSY: NOT_NOW,
        WORK: step(IDLE, "AgentState_CancelWork_Success"),
        REST: NOT_NOW,
        TALKING: NOT_NOW,
    },
    # A voluntary sign-out is not guaranteed to produce AgentOther_ShutdownService; the simulator sends none.
    "logout": {
        IDLE: signed_out(),
        BUSY: signed_out(),
        WORK: signed_out(),
        REST: signed_out(),
        TALKING: "100-010",
    },
    # Forced sign-out also releases a call in progress.
    "forceLogout": {state: signed_out("AgentOther_ShutdownService", releases_calls=True) for state in STATES},
    "forceLogoutWithReason": {state: signed_out("AgentOther_ShutdownService", releases_calls=True)
                              for state in STATES},
    # An inspector's forced changes (qualitycontrol), applied to the agent named by workNo. Their pages list no
    # events: these are the agent's own interfaces' events (inferred). Whether a forced change waits for a call to
    # end is not documented; the simulator refuses it during a call.
    "forceBusy": {
        IDLE: step(BUSY, "AgentState_SetNotReady_Success"),
        BUSY: step(BUSY, "AgentState_SetNotReady_Success"),
        WORK: step(BUSY, "AgentState_SetNotReady_Success"),
        REST: step(BUSY, "AgentState_SetNotReady_Success"),
        TALKING: QC_STATE_ERROR,
    },
    "forceIdle": {
        IDLE: step(IDLE, "AgentState_Ready"),
        BUSY: step(IDLE, "AgentState_CancelNotReady_Success", "AgentState_Ready"),
        WORK: step(IDLE, "AgentState_CancelWork_Success", "AgentState_Ready"),
        REST: step(IDLE, "AgentState_CancelRest_Success", "AgentState_Ready"),
        TALKING: QC_STATE_ERROR,
    },
    "forceRest": {
        IDLE: step(REST, "AgentState_SetRest_Success"),
        BUSY: step(REST, "AgentState_SetRest_Success"),
        WORK: step(REST, "AgentState_SetRest_Success"),
        REST: step(REST, "AgentState_SetRest_Success"),
        TALKING: QC_STATE_ERROR,
    },
    "forceLogOutAgent": {state: signed_out("AgentOther_ShutdownService", releases_calls=True) for state in STATES},
}


def cell(interface: str, state: AgentState) -> Cell:
    """What ``interface`` does to an agent in ``state`` (states with a call count as talking)."""
    column = state if state in STATES else TALKING
    return AGENT_STATE_TABLE[interface][column]


def as_markdown() -> str:
    """The table as Markdown, for docs/agent-state-table.md (written by docs/generate.py)."""
    names = [state.name.lower().replace("_", " ") for state in STATES]
    lines = ["| interface | " + " | ".join(names) + " |", "|---" * (len(STATES) + 1) + "|"]
    for interface, row in AGENT_STATE_TABLE.items():
        cells = []
        for state in STATES:
            outcome = row[state]
            if isinstance(outcome, str):
                cells.append(f"refused {outcome}")
                continue
            text = f"→ {outcome.to.name.lower().replace('_', ' ')}"
            if outcome.events:
                text += ": " + ", ".join(outcome.events)
            if outcome.needs:
                text += f" (needs {outcome.needs}=true)"
            if outcome.releases_calls:
                text += " (releases calls)"
            cells.append(text)
        lines.append(f"| {interface} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class AgentStateMachine:
    """Changes agents' states, and only it does; each change queues its events in order."""

    def __init__(self, world: World) -> None:
        self.world = world
        # Told of every change after its events, (agent, state before): the queues offer a waiting call to an
        # agent who became free here, whatever made it free (ready, end of work or of a call, sign-in).
        self.moved: Callable[[Agent, AgentState], None] = lambda agent, before: None

    def _move(self, agent: Agent, to: AgentState, *announced: Event) -> None:
        """The one assignment of an agent's state."""
        before = agent.state
        if agent.state != to:
            agent.state_since, agent.state_reason = self.world.now(), 0
        agent.state = to
        for event in announced:
            self.world.send(agent, event)
        self.moved(agent, before)

    # -- the state interfaces -----------------------------------------------------------------------------
    def outcome(self, agent: Agent, interface: str, query: dict[str, object]) -> Step:
        """What ``interface`` does to the agent now, or the refusal the table gives."""
        outcome = cell(interface, agent.state if not agent.calls else TALKING)
        if isinstance(outcome, str):
            raise Refused(outcome, f"{interface} is not allowed while the agent is {agent.state.name.lower()}")
        if outcome.needs and str(query.get(outcome.needs, "")).lower() != "true":
            raise Refused(NOT_NOW, f"the agent is already {outcome.to.name.lower()}: give {outcome.needs}=true "
                                   "to change the reason")
        return outcome

    def take(self, agent: Agent, outcome: Step, reason: str, *, rest_seconds: float | None = None) -> None:
        """Carries out a table cell that keeps the agent signed in; ``rest_seconds`` starts the rest timer."""
        self._move(agent, outcome.to, *(events.FACTORIES[name](agent, reason) for name in outcome.events))
        agent.state_reason = int(reason) if reason.isdigit() else 0
        if rest_seconds is not None:
            self._start_rest_timer(agent, rest_seconds)
        elif outcome.to != REST:
            agent.rest_timer += 1

    def _start_rest_timer(self, agent: Agent, seconds: float) -> None:
        agent.rest_timer += 1
        timer, session = agent.rest_timer, agent.session

        def time_is_up() -> None:
            if agent.signed_in and agent.session == session and agent.rest_timer == timer and agent.state == REST:
                self.world.send(agent, events.rest_timeout(agent))  # a reminder: the agent stays in rest

        self.world.later(seconds * self.world.config.time_scale, time_is_up)

    # -- sign-in and sign-out -----------------------------------------------------------------------------
    def session_began(self, agent: Agent, status: AgentState) -> None:
        """A new session starts in ``status`` (idle, busy or work, as the sign-in asked)."""
        agent.rest_timer += 1
        then = {BUSY: (events.set_not_ready(agent),), WORK: (events.work(agent),)}.get(status, ())
        self._move(agent, status, events.in_service(), events.ready(agent), *then)

    def session_ended(self, agent: Agent, announced: tuple[str, ...]) -> None:
        """The session ended; ``announced`` (a table cell's events) still reach a poll that was waiting."""
        agent.rest_timer += 1
        self._move(agent, SIGNED_OUT)
        self.world.drop_queue(agent)
        for name in announced:
            self.world.send(agent, events.FACTORIES[name](agent, events.NO_REASON))

    def signed_in_to(self, agent: Agent, skills: tuple[Skill, ...]) -> None:
        """The agent now takes calls from these skill queues (resetSkill, an inspector's adjustSkill); reported
        like a change of state, so the queues count it and offer it a call it can take now."""
        agent.active_skills = skills
        self.moved(agent, agent.state)

    # -- what calls do to an agent ------------------------------------------------------------------------
    def call_began(self, agent: Agent, *, announced: bool) -> None:
        """The agent is in a call, announced (on its first call) by AgentState_Busy."""
        self._move(agent, TALKING, *((events.busy(agent),) if announced else ()))

    def calls_ended(self, agent: Agent) -> None:
        """With no call left the agent goes idle, or into after-call work when signed in without auto-idle."""
        if agent.calls:
            return
        if agent.auto_enter_idle:
            self._move(agent, IDLE, events.ready(agent))
        else:
            self._move(agent, WORK, events.work(agent))

    def rejected(self, agent: Agent, *, back_to_queue: bool) -> None:
        """The agent rejected the call it was offered: busy when the call went back to its queue, else idle."""
        if agent.calls:
            return
        if back_to_queue:
            self._move(agent, BUSY, events.set_not_ready(agent, events.REJECTED_CALL_REASON))
        else:
            self._move(agent, IDLE, events.ready(agent))

    def picked_up_from(self, agent: Agent) -> None:
        """A colleague picked up the call ringing at the agent; with no other call it is idle again."""
        if not agent.calls:
            self._move(agent, IDLE, events.ready(agent))
