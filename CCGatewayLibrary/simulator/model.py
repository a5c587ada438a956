"""The simulated gateway: the world with its chapters wired in, and the one place that runs an interface.

Pure and synchronous so it can be tested without a server. Retcodes are named by their code only; their meaning
lives in the catalogue. Each chapter (``agents``, ``calls``, ``inspection``) receives the world and what other
chapters it needs; ``@serves(<interface>)`` marks the chapter method that carries an interface out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .agent_states import AgentStateMachine
from .agents import AgentChapter
from .calldata import CallDataChapter
from .calls import CallChapter
from .conference import ConferenceChapter
from .groups import GroupChapter
from .inspection import InspectionChapter
from .operations import OPERATIONS, Request
from .queues import QueueChapter
from .recording import RecordingChapter
from .roster import Roster
from .text import TextChapter
from .world import Agent, Refused, Scheduler, SimulationError, SimulatorConfig, World

__all__ = ["Agent", "GatewayModel", "Refused", "SimulationError", "SimulatorConfig"]


class GatewayModel(World):
    """The world, its chapters, and the server's way in: ``run`` an interface, sign in, authorize, control."""

    def __init__(self, roster: Roster, config: SimulatorConfig | None = None, *,
                 schedule: Scheduler | None = None, notify: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time,
                 observe: Callable[[str | None, str], None] | None = None) -> None:
        super().__init__(roster, config, schedule=schedule, notify=notify, clock=clock, observe=observe)
        self.state_machine = AgentStateMachine(self)
        self.call_chapter = CallChapter(self, self.state_machine)
        self.agent_chapter = AgentChapter(self, self.state_machine, self.call_chapter)
        self.inspection = InspectionChapter(self, self.state_machine, self.agent_chapter)
        self.queues = QueueChapter(self, self.state_machine, self.call_chapter)
        self.group_chapter = GroupChapter(self)
        self.call_data = CallDataChapter(self)
        self.recording = RecordingChapter(self, self.state_machine)
        self.conference = ConferenceChapter(self, self.state_machine)
        self.text = TextChapter(self)
        chapters = (self.agent_chapter, self.call_chapter, self.inspection, self.queues, self.group_chapter,
                    self.call_data, self.recording, self.conference, self.text)
        # Each interface's method bound to its chapter, found once: the method is the class attribute @serves saw.
        self._operations = {name: getattr(chapter, method.__name__) for name, method in OPERATIONS.items()
                            for chapter in chapters if vars(type(chapter)).get(method.__name__) is method}

    def run(self, interface: str, agent: Agent, request: Request) -> Any:
        """Carries out ``interface`` (one marked ``@serves``) for ``agent``."""
        return self._operations[interface](agent, request)

    # -- what the server and the control interface ask of the chapters ----------------------------------
    def login(self, agent_id: str, body: dict[str, Any], *, force: bool = False) -> tuple[dict[str, Any], str]:
        return self.agent_chapter.login(agent_id, body, force=force)

    def authorize(self, agent_id: str, guid: str | None) -> Agent:
        return self.agent_chapter.authorize(agent_id, guid)

    def change_state(self, agent: Agent, interface: str, request: Request) -> None:
        self.agent_chapter.change_state(agent, interface, request)

    def rotate_guid(self, agent: Agent) -> str | None:
        return self.agent_chapter.rotate_guid(agent)

    def rotate_guid_soon(self, agent: Agent, grace: float) -> None:
        self.agent_chapter.rotate_guid_soon(agent, grace)

    def expire_guid(self, agent: Agent) -> None:
        self.agent_chapter.expire_guid(agent)

    def seen(self, agent: Agent) -> None:
        self.agent_chapter.seen(agent)

    def sign_out_silent_agents(self) -> list[str]:
        return self.agent_chapter.sign_out_silent_agents()

    def offer_inbound_call(self, caller: str, agent_id: str) -> str:
        return self.call_chapter.offer_inbound_call(caller, agent_id)

    def queue_inbound_call(self, caller: str, skill: int | None = None, access_code: str | None = None,
                           patience: float | None = None) -> dict[str, Any]:
        return self.queues.inbound_call(caller, skill, access_code, patience)

    def caller_gives_up(self, callid: str) -> dict[str, Any]:
        return self.queues.give_up(callid)

    def customer_hangs_up(self, callid: str, number: str | None = None) -> None:
        self.call_chapter.customer_hangs_up(callid, number)

    def set_far_end(self, number: str, behaviour: str) -> None:
        self.call_chapter.set_far_end(number, behaviour)
