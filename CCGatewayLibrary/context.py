"""Shared state of one library instance: settings, signed-in agents, catalogue, secrets, simulator.

Keyword classes hold no state of their own; they reach everything through this context.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from robot.api import logger
from robot.api.types import Secret
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError
from robot.output.loglevel import LEVELS as LOG_LEVELS
from robot.running.context import EXECUTION_CONTEXTS

from .catalogue import Catalogue, Interface, gateway, load_catalogue
from .catalogue.gateway import SUCCESS
from .errors import AgentError, CCGatewayError, HttpStatusError, ResponseSchemaError, RetcodeError, TransportError
from .events import Cursor, EventJournal, EventPoller, PushListener, PushRegistration, RecordedEvent
from .pool import PoolState
from .reporting import RequestRecorder
from .scopes import SettingScopes
from .secrets import SecretRegistry
from .transport import (
    GUID_RACE_WAIT,
    Exchange,
    GatewaySession,
    GuidHolder,
    RedactionPolicy,
    RedactionRuleError,
    guid_replaced_in_flight,
)

if TYPE_CHECKING:
    from .events.receiver import PushReceiver
    from .recording import SessionRecorder
    from .simulator.runner import SimulatorRunner

ANY_RETCODE = "any"
EVENT_MODES = ("poll", "push")
EVENT_MODE_VARIABLE = "${CCGW_EVENT_MODE}"
LOG_BODY_LIMIT = 4000


def gateway_url(url: str, name: str = "Gateway URL") -> str:
    """The gateway's base URL (or ``name``'s, e.g. push_url), refused unless it is https://host[:port]: secrets
    travel in bodies and headers."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError as error:
        raise CCGatewayError(f"{name} is not a URL ({error}); give https://host:8043.") from None
    if parts.username is not None or parts.password is not None:
        # Never echo it: the part before @ may be a password.
        raise CCGatewayError(f"{name} must not carry a user name or password before '@' (https://user:pw@host): "
                             "it would be logged and sent on. Give https://host:8043.")
    labels = (parts.hostname or "").rstrip(".").split(".")
    if parts.hostname and not parts.hostname.startswith("[") and ":" not in parts.hostname and "" in labels:
        raise CCGatewayError(f"{name} '{url}' has a host name with an empty part ({parts.hostname}); "
                             "give https://host:8043.")
    if parts.scheme != "https" or not parts.hostname:
        raise CCGatewayError(f"{name} '{url}' must look like https://host:8043: the gateway takes passwords, "
                             "so plain http:// is refused.")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def ca_bundle(path: str | None) -> str | bool:
    """A CA file that exists, or True for requests' own CA bundle."""
    if not path:
        return True
    if not Path(path).is_file():
        raise CCGatewayError(f"CA bundle '{path}' is not a file.")
    return str(path)


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
    poller: EventPoller | PushListener | None = None  # push mode: the heartbeat, where polling would be
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
        self.agents: dict[str, AgentHandle] = {}
        self.current_alias: str | None = None
        self.scopes = SettingScopes(settings)
        self.simulator: SimulatorRunner | None = None
        self.push_receiver: PushReceiver | None = None
        self.request_record = RequestRecorder()  # the running test's requests, for its sequence diagram
        self.called: set[str] = set()  # log names of the catalogue's interfaces the running test's keywords called
        # Every session signed in since the last mark, and those signed in at it: a test's records hold all of an
        # alias's sessions in the test, also one a second sign-in replaced.
        self.sessions: list[AgentHandle] = []
        self._serial = 0
        self.pool = PoolState()  # agent pool and this process's reservations
        self.recorder: SessionRecorder | None = None  # import argument record_to: the session, redacted, to a file

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
            config = getattr(getattr(self.simulator, "simulator", None), "config", None)
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
        if self.recorder is not None:
            raise CCGatewayError("record_to records polled sessions only (a replay answers polls): sign in in poll "
                                 "mode (event_mode=poll) while recording.")
        return self.push_endpoint().register(agent_id)

    def start_receiving(self, agent: AgentHandle, push: PushRegistration) -> None:
        """Push mode: the registration's events go to the agent's journal, and the heartbeat starts."""
        agent.journal.reopen()
        agent.poller = PushListener(agent.session.sibling(), self.catalogue, agent.agent_id, agent.journal, push,
                                    heartbeat_interval=self.settings.heartbeat_interval, scrub=self.safe)
        agent.poller.start()

    def start_polling(self, agent: AgentHandle) -> None:
        agent.journal.reopen()
        agent.poller = EventPoller(agent.session.sibling(), self.catalogue, agent.agent_id, agent.journal,
                                   poll_interval=self.settings.poll_interval, poll_wait=self.settings.poll_wait,
                                   scrub=self.safe, observe=self._poll_observer(agent.agent_id))
        agent.poller.start()

    def _poll_observer(self, agent_id: str) -> Callable[[Exchange], None] | None:
        recorder = self.recorder
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
        if self.push_receiver is not None:
            self.push_receiver.stop()
            self.push_receiver = None
        if self.recorder is not None:
            self.recorder.close()

    # -- calling an interface ------------------------------------------------------------------------
    def call(
        self,
        session: GatewaySession,
        interface_name: str,
        agent_id: str,
        *,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expected_retcode: str | list[str] = SUCCESS,
        handled: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """Check the request, send it, check HTTP status, reply schema and retcode; return the reply.

        ``path`` fills the path's placeholders other than ``{agentid}``. ``handled`` retcodes are returned like
        expected ones but are left out of the failure message: the caller deals with them itself."""
        interface = self.catalogue.interface(interface_name)
        query = {k: _query_text(v) for k, v in (query or {}).items() if v is not None}
        params = {"agentid": agent_id} | {k: _query_text(v) for k, v in (path or {}).items()}
        self.catalogue.check_request(interface, {"path": params, "query": query, "body": body})
        url_path = interface.url_path(params)
        exchange = self.send(session, interface, agent_id, url_path, query=query, body=body,
                             send_guid=interface.guid_required, headers=headers)
        # A test expecting the refusal has nothing to wait for.
        expected = {expected_retcode} if isinstance(expected_retcode, str) else set(expected_retcode)
        race_wait = 0.0 if expected & self.catalogue.guid_refusals else GUID_RACE_WAIT
        if guid_replaced_in_flight(exchange, session, self.catalogue.guid_refusals, race_wait):
            # A poll reply rotated the Guid while this request was on its way; the gateway refused the old one
            # and so did nothing. Sending it once more with the new Guid is what a client with one thread would
            # have done.
            logger.info(f"{interface.name} carried a Guid that a reply to another request replaced meanwhile; "
                        "sent again with the new one.")
            exchange = self.send(session, interface, agent_id, url_path, query=query, body=body,
                                 send_guid=interface.guid_required, headers=headers)
        try:
            return self.check_reply(interface, exchange, expected_retcode, agent_id, handled)
        except CCGatewayError:
            # At the default log level the DEBUG details are not kept: a failing call shows them at INFO.
            self._log_details(interface.name, exchange, "INFO")
            raise

    def send(self, session: GatewaySession, interface: Interface, agent_id: str, path: str, **request: Any) -> Exchange:
        """Sends and logs one request; a transport failure names the interface and the agent."""
        started = datetime.now()  # the event journal's clock
        if interface.name in self.catalogue.interfaces:
            self.called.add(interface.name)
        try:
            exchange = session.send(interface.method, path, **request)
        except TransportError as error:
            self.request_record.request(started, agent_id, interface.name, None)
            raise TransportError(f"{interface.name} for agent {agent_id} failed: {self.safe(str(error))}") from None
        self.request_record.request(started, agent_id, interface.name, exchange)
        self.log_exchange(interface.name, exchange)
        if self.recorder is not None:
            self.recorder.request(interface.name, agent_id, exchange)
        return exchange

    def safe(self, text: str) -> str:
        """``text`` with registered secrets and redaction patterns masked, ready to quote in a message."""
        return self.policy.redact_text(self.secrets.mask(text))

    def check_reply(
        self, interface: Interface, exchange: Exchange, expected_retcode: str | list[str], agent_id: str,
        handled: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        host = exchange.url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
        where = f"{interface.name} ({interface.method} {interface.path}) for agent {agent_id} at {host}"
        if exchange.status != 200:
            raise HttpStatusError(f"{where} answered HTTP {exchange.status} {exchange.reason}, expected 200. "
                                  f"Body: {self._quote_body(exchange)}")
        if not isinstance(exchange.json, dict):
            what = f"{exchange.not_json}" if exchange.not_json else "empty" if not exchange.text else \
                f"JSON but not an object ({type(exchange.json).__name__})"
            raise ResponseSchemaError(f"{where} answered with a body that is not a JSON object ({what}): "
                                      f"{self._quote_body(exchange)}")
        reply = exchange.json
        try:
            self.catalogue.check_response(interface, reply)
        except ResponseSchemaError as error:
            raise ResponseSchemaError(f"{self.safe(str(error))} (agent {agent_id} at {host})") from None
        retcode = str(reply["retcode"])
        expected = [expected_retcode] if isinstance(expected_retcode, str) else list(expected_retcode)
        if ANY_RETCODE not in expected and retcode not in expected and retcode not in handled:
            wanted = " or ".join(self.catalogue.describe_retcode(code) for code in expected[:2])
            if len(expected) > 2:
                wanted += f" or one of {', '.join(expected[2:])}"
            verb = "failed" if retcode != SUCCESS else "succeeded unexpectedly"
            got = self.catalogue.describe_retcode(retcode)
            said = str(reply.get("message") or reply.get("msg") or "").strip()
            # The gateway's own words often say more than the code's generic meaning ("no call is ringing").
            extra = f" The gateway says: {_clip(self.safe(said), 200)}" if said and said not in (
                "success", self.catalogue.meaning(retcode)) else ""
            raise RetcodeError(f"{interface.name} {verb} for agent {agent_id}: retcode {got}, expected {wanted}."
                               f"{extra}", retcode)
        return reply

    def _quote_body(self, exchange: Exchange) -> str:
        return _clip(self.safe(exchange.text), 300) if exchange.text else "(empty)"

    def log_exchange(self, name: str, exchange: Exchange) -> None:
        reply = exchange.json if isinstance(exchange.json, dict) else {}
        retcode = reply.get("retcode")
        outcome = f", retcode {self.catalogue.describe_retcode(str(retcode))}" if retcode is not None else ""
        path = exchange.url.split("://", 1)[-1].split("/", 1)[-1]
        logger.info(f"{name} {exchange.method} /{path} \u2192 HTTP {exchange.status}{outcome}, "
                    f"{exchange.elapsed_ms:.0f} ms")
        if _debug_logged():
            self._log_details(name, exchange, "DEBUG")

    def _log_details(self, name: str, exchange: Exchange, level: str) -> None:
        details = {"request": exchange.redacted_request(), "response": exchange.redacted_response()}
        # Scrub before clipping: a clip through the middle of a secret would leave its first half readable.
        text = _clip(self.secrets.scrub(json.dumps(details, indent=2, ensure_ascii=False, default=str)),
                     LOG_BODY_LIMIT)
        logger.write(f"<details><summary>{html.escape(name)} request and reply (secrets redacted)</summary>"
                     f"<pre>{html.escape(text)}</pre></details>", level, html=True)


def _debug_logged() -> bool:
    """Whether Robot keeps DEBUG messages now: redacting and writing out a reply that Robot then drops cost a
    tenth of each call (bench/keyword_cost.py)."""
    context = EXECUTION_CONTEXTS.current
    if context is None:  # not inside a Robot run
        return True
    try:
        # Robot's own level object: reading ${LOG LEVEL} through BuiltIn costs 40 µs, this well under one.
        return context.output.log_level.priority <= LOG_LEVELS["DEBUG"]
    except AttributeError:  # a Robot version that keeps it elsewhere
        return BuiltIn().get_variable_value("${LOG LEVEL}", "TRACE") in ("DEBUG", "TRACE")


def _query_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more characters)"
