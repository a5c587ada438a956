"""Shared state of one library instance: settings, signed-in agents and their sessions, the simulator and the
push endpoint. Keyword classes hold no state of their own; they reach everything through this context.

Calling an interface is the request pipeline's job (``ctx.requests``, pipeline.py); the rules for a gateway's
address live in urls.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from robot.api import logger
from robot.api.types import Secret
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from .catalogue import Catalogue, gateway, load_catalogue
from .errors import AgentError, CCGatewayError
from .events import Cursor, EventChannel, EventJournal, EventPoller, PushListener, PushRegistration, RecordedEvent
from .pipeline import RequestPipeline
from .pool import PoolState
from .scopes import SettingScopes
from .secrets import SecretRegistry
from .transport import Exchange, GatewaySession, GuidHolder, RedactionPolicy, RedactionRuleError
from .urls import ca_bundle, gateway_url

if TYPE_CHECKING:
    from .events.receiver import PushReceiver
    from .simulator.logfile import SimulatorLog
    from .simulator.world import SimulatorConfig


class SimulatorHost(Protocol):
    """What the context asks of a simulator it started: the in-process runner or a ccgw-sim process."""

    description: str  # for the report: "embedded simulator", "embedded replay", "ccgw-sim process"

    @property
    def config(self) -> SimulatorConfig | None:
        """The settings of a simulator running in this process, which the library may adjust (the push
        endpoint's CA); None for a process or a replay."""

    def stop(self) -> dict[str, Any] | None:
        """Stops it; a process returns the counters it printed."""

    def console_url(self) -> str:
        """The address of its live console (started on first use in this process)."""

__all__ = ["AgentHandle", "LibraryContext", "RecordsMark", "Settings", "ca_bundle", "gateway_url"]

EVENT_MODES = ("poll", "push")
EVENT_MODE_VARIABLE = "${CCGW_EVENT_MODE}"


@dataclass
class Settings:
    url: str | None = None
    url_problem: str | None = None  # why the url given at import was refused
    ca_bundle: str | bool = True
    # The library's own defaults, defined here only; the import arguments default to them.
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    event_timeout: float = 10.0
    assertion_timeout: float = 1.0  # how long a getter given an assertion tries again until it holds
    poll_interval: float = gateway.POLL_PAUSE
    poll_wait: float = gateway.POLL_WAIT
    # Push mode: None reads ${CCGW_EVENT_MODE} at sign-in (default poll). The endpoint listens on push_host:push_port
    # (0: a free port); push_url is how the gateway reaches it, when that differs; push_ca issues its certificate.
    event_mode: str | None = None
    heartbeat_interval: float = gateway.HEARTBEAT_INTERVAL
    push_host: str = "127.0.0.1"
    push_port: int = 0
    push_url: str | None = None
    push_ca: str | None = None
    interface_tags: bool = True  # each test gets a tag api:<log name> per interface its keywords called
    # Which gateway version's methods and paths to send (see gateway_versions in interfaces.json); None: current.
    gateway_version: str | None = None


@dataclass
class AgentHandle:
    """One signed-in agent: its sessions, its Guid, its event journal and poller."""

    alias: str
    agent_id: str
    session: GatewaySession
    journal: EventJournal
    cursor: Cursor = field(default_factory=Cursor)
    poller: EventChannel | None = None  # push mode: the heartbeat, where polling would be
    signed_in: bool = True
    phone: str | None = None  # the number it signed in on, to tell it from far ends in call events
    # Kept so a sign-out whose Guid is gone can still be carried out (a forced sign-in, then out); a Secret.
    password: Secret | None = None
    counted_from: int = 0  # journal seq where counting starts: the test's start or the last Clear Events
    serial: int = 0  # order of sign-ins in this library instance (LibraryContext.add_session)

    def stop_polling(self, reason: str) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None
        self.journal.close(reason)

    def retire(self, reason: str, successor: EventJournal) -> None:
        """A new sign-in replaced this one: what the last poll still brings belongs to ``successor``."""
        self.signed_in = False
        if self.poller is not None:
            self.poller.hand_over(successor)
            self.poller = None
        self.journal.close(reason)
        self.session.close()

    def describe(self) -> str:
        return f"agent {self.agent_id}" + (f" ('{self.alias}')" if self.alias != self.agent_id else "")


@dataclass(frozen=True)
class RecordsMark:
    """Where a test's (or a suite part's) records begin: the sessions signed in then and how far each journal had
    got, and the serial of the last sign-in before it."""

    started: datetime
    read_up_to: dict[int, int]  # id(journal) -> its last seq at the mark
    last_serial: int


class LibraryContext:
    def __init__(self, settings: Settings, redact: list[str] | None = None) -> None:
        self.settings = settings
        self.catalogue: Catalogue = load_catalogue(settings.gateway_version)
        try:
            self.policy = RedactionPolicy().with_fields(self.catalogue.secret_fields).extended(redact or ())
        except RedactionRuleError as error:
            raise CCGatewayError(str(error)) from None
        self.secrets = SecretRegistry(self.policy)
        self.requests = RequestPipeline(self.catalogue, self.secrets, self.policy)
        self.agents: dict[str, AgentHandle] = {}
        self.current_alias: str | None = None
        self.scopes = SettingScopes(settings)
        self.simulator: SimulatorHost | None = None
        self.simulator_log: SimulatorLog | None = None  # log_file of an in-process simulator: closed with it
        self.simulator_control_token: Secret | None = None  # given to Use Gateway: for its control interface
        self.push_receiver: PushReceiver | None = None
        # Every session signed in since the last mark, and those signed in at it: a test's records hold all of an
        # alias's sessions in the test, also one a second sign-in replaced.
        self.sessions: list[AgentHandle] = []
        self._serial = 0
        self.pool = PoolState()  # agent pool and this process's reservations

    # -- agents -----------------------------------------------------------------------------------
    def add_session(self, handle: AgentHandle) -> None:
        """A sign-in succeeded: ``handle`` joins the records of the running test."""
        self._serial += 1
        handle.serial = self._serial
        self.sessions.append(handle)

    def mark_records(self) -> RecordsMark:
        """Begins a test's (or a suite part's) records. Sessions already ended are forgotten: what they still
        receive (a late poll bringing the shutdown of the previous test's sign-out) belongs to no later test."""
        self.sessions = [handle for handle in self.sessions if handle.signed_in]
        return RecordsMark(datetime.now(), {id(h.journal): h.journal.last_seq for h in self.sessions}, self._serial)

    def records_since(self, mark: RecordsMark) -> list[tuple[AgentHandle, list[RecordedEvent]]]:
        """Each session of the records begun at ``mark`` (signed in then, or since) with the events its journal
        received since, in sign-in order."""
        found = []
        for handle in self.sessions:
            if id(handle.journal) in mark.read_up_to:
                found.append((handle, handle.journal.events(mark.read_up_to[id(handle.journal)])))
            elif handle.serial > mark.last_serial:
                found.append((handle, handle.journal.events()))
        return found

    def agent(self, alias: str | None = None) -> AgentHandle:
        name = alias or self.current_alias
        if name is None:
            raise AgentError("No agent signed in: use 'Sign In Agent' first or give agent=<alias>.")
        try:
            return self.agents[name]
        except KeyError:
            known = ", ".join(self.agents) or "none"
            raise AgentError(f"No agent with alias '{name}'. Known aliases: {known}.") from None

    def gateway_url(self) -> str:
        if self.settings.url_problem and not self.settings.url:
            raise CCGatewayError(self.settings.url_problem)
        if not self.settings.url:
            raise CCGatewayError("No gateway to talk to: import the library with url=https://host:8043, "
                                 "or run 'Use Gateway' or 'Start Gateway Simulator' first.")
        return self.settings.url

    def new_session(self) -> GatewaySession:
        s = self.settings
        return GatewaySession(self.gateway_url(), verify=s.ca_bundle, connect_timeout=s.connect_timeout,
                              read_timeout=s.read_timeout, guid=GuidHolder(self.secrets), policy=self.policy)

    def apply_settings(self, changed: dict[str, Any]) -> None:
        """Running pollers take a changed poll interval at once."""
        if "poll_interval" in changed:
            for handle in self.agents.values():
                if handle.poller is not None:
                    handle.poller.poll_interval = self.settings.poll_interval

    def event_mode(self) -> str:
        """``poll`` or ``push``: the import argument, else the Robot variable ``${CCGW_EVENT_MODE}``, else poll."""
        mode, where = self.settings.event_mode, "event_mode"
        if mode is None:
            where = EVENT_MODE_VARIABLE
            try:
                mode = BuiltIn().get_variable_value(EVENT_MODE_VARIABLE)
            except RobotNotRunningError:
                mode = None
        text = str(mode or "poll").strip().lower()
        if text not in EVENT_MODES:
            raise CCGatewayError(f"{where} must be poll or push, got {str(mode)[:40]!r}.")
        return text

    def push_endpoint(self) -> PushReceiver:
        """The library's push endpoint, started the first time an agent signs in in push mode."""
        if self.push_receiver is None:
            from .events.receiver import PushReceiver

            s = self.settings
            receiver = PushReceiver(self.catalogue, host=s.push_host, port=s.push_port, public_url=s.push_url,
                                    push_ca=Path(s.push_ca) if s.push_ca else None)
            receiver.start()
            self.push_receiver = receiver
            config = self.simulator.config if self.simulator is not None else None
            if config is not None:  # the embedded simulator trusts the endpoint's CA, as a gateway must
                config.callback_ca = receiver.ca_file
            elif self.simulator is not None:
                receiver.stop()
                self.push_receiver = None
                raise CCGatewayError("Push mode with a simulator started as a process or on a replay: choose push mode "
                                     "before Start Gateway Simulator (event_mode=push or ${CCGW_EVENT_MODE}), so the "
                                     "process is told to trust the push endpoint's CA; a replay answers polled "
                                     "sessions only.")
            logger.info(f"Push endpoint listening at {receiver.base_url} (certificate's CA: {receiver.ca_file}).")
        return self.push_receiver

    def push_registration(self, agent_id: str) -> PushRegistration | None:
        """A registration for a sign-in in push mode (before it is sent), None in poll mode."""
        if self.event_mode() != "push":
            return None
        if self.requests.recorder is not None:
            raise CCGatewayError("record_to records polled sessions only (a replay answers polls): sign in in poll "
                                 "mode (event_mode=poll) while recording.")
        return self.push_endpoint().register(agent_id)

    def start_receiving(self, agent: AgentHandle, push: PushRegistration) -> None:
        """Push mode: the registration's events go to the agent's journal, and the heartbeat starts."""
        agent.journal.reopen()
        listener = PushListener(agent.session.sibling(), self.catalogue, agent.agent_id, agent.journal, push,
                                heartbeat_interval=self.settings.heartbeat_interval, scrub=self.requests.safe)
        agent.poller = listener
        listener.start()

    def start_polling(self, agent: AgentHandle) -> None:
        agent.journal.reopen()
        poller = EventPoller(agent.session.sibling(), self.catalogue, agent.agent_id, agent.journal,
                             poll_interval=self.settings.poll_interval, poll_wait=self.settings.poll_wait,
                             scrub=self.requests.safe, observe=self._poll_observer(agent.agent_id))
        agent.poller = poller
        poller.start()

    def _poll_observer(self, agent_id: str) -> Callable[[Exchange], None] | None:
        recorder = self.requests.recorder
        if recorder is None:
            return None
        session = recorder.new_session(agent_id)
        return lambda exchange: recorder.poll(agent_id, session, exchange)

    def forget_agents(self, reason: str) -> None:
        for agent in self.agents.values():
            agent.stop_polling(reason)
            agent.session.close()
        self.agents.clear()
        self.current_alias = None

    def shut_down(self) -> None:
        self.forget_agents("library closed")
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None
        if self.simulator_log is not None:
            self.simulator_log.close()
            self.simulator_log = None
        if self.push_receiver is not None:
            self.push_receiver.stop()
            self.push_receiver = None
        if self.requests.recorder is not None:
            self.requests.recorder.close()
