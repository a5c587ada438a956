from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from robotlibcore import DynamicCore

from .arguments import check_arguments, refuse
from .context import LibraryContext, Settings
from .errors import CCGatewayError
from .keywords import (
    AgentKeywords,
    CallDataKeywords,
    CallKeywords,
    ConferenceKeywords,
    EventKeywords,
    GroupKeywords,
    PoolKeywords,
    QueueKeywords,
    RawKeywords,
    SessionKeywords,
    SharingKeywords,
    SimulatorKeywords,
    SkillKeywords,
    StateKeywords,
    SupervisorKeywords,
    TextKeywords,
    TransferKeywords,
)
from .keywords.base import seconds
from .keywords.recording import RecordingKeywords
from .listeners import DiagramListener, Lifecycle
from .secrets import SecretScrubber, url_credentials
from .translation import SOURCE_LANGUAGE, Language, keyword_translation
from .urls import ca_bundle as checked_ca_bundle
from .urls import gateway_url
from .version import VERSION

# The catalogue's known gateway versions (interfaces.json gateway_versions; a unit test keeps them equal), as a
# Literal so that libdoc lists them and editors complete them.
GatewayVersion = Literal["current", "legacy"]


class CCGatewayLibrary(DynamicCore):
    """CCGatewayLibrary tests the Huawei contact centre's CC-Gateway, the agent gateway
    (``https://host:8043/agentgateway/resource/...``), with keywords that read like an agent's job.

    %TOC%

    = The gateway under test =

    The library talks to one gateway at a time: give ``url`` (and ``ca_bundle``) when importing it, call
    `Use Gateway`, or run `Start Gateway Simulator`, which starts the offline simulator on a free local port
    and points the library at it. TLS verification is always on; the simulator's own CA is trusted
    automatically.

    | ***** Settings *****
    | Library           CCGatewayLibrary
    | Suite Setup       Start Gateway Simulator
    | Suite Teardown    Stop Gateway Simulator

    = Gateway versions =

    A few routes differ between gateway versions in service. By default the library sends what the current API
    reference documents; import it with ``gateway_version=legacy`` for an older gateway, on which
    ``phonepickup`` and ``phonehangup`` take PUT and DTMF digits go to ``secondDial``. `Start Gateway Simulator`
    serves the same version as the library (``ccgw-sim --gateway-version legacy`` on its own).

    | Library    CCGatewayLibrary    gateway_version=legacy

    = Agents =

    `Sign In Agent` signs an agent in, keeps its Guid (also when the gateway rotates it in dynamic
    authentication) and starts polling its events in the background. Each agent has an alias (default: its
    ID) and the last signed-in agent is the current one; keywords act on the current agent unless given
    ``agent=<alias>``, and `Switch Agent` changes the current agent.

    Passwords and Guids are `Secret` values: they never appear in log.html, output.xml or the console, at any
    log level. Create the password from an environment variable:

    | ***** Variables *****
    | ${AGENT_PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

    = Events =

    Every event of every signed-in agent is kept in arrival order. `Wait For Event` waits for the next
    matching event after the last one it returned, so nothing is lost or returned twice; `Get Event History`
    returns them all.

    | `Set Agent Ready`
    | `Wait For Event`    AgentState_Ready
    | ${customer} =    `Simulate Inbound Call`    caller=88880001    agent=101
    | `Wait For Event`    AgentEvent_Ringing    timeout=5s

    = Push mode =

    Instead of polling, the gateway can push each agent's events to a callback URL given at sign-in. With
    ``event_mode=push`` (or ``--variable CCGW_EVENT_MODE:push``) `Sign In Agent` sends ``callBackUri`` and a
    fresh ``serviceToken`` for that sign-in; the library receives the pushes on its own HTTPS endpoint, checks
    the token, and puts the events into the same journal, so `Wait For Event` and the other event keywords work
    the same. A background heartbeat (``handShake``, every 30 s) keeps the agent signed in and takes a renewed
    Guid from its reply. An event delivered twice (same ``eventType``, ``eventGenTime`` and ``content``) is
    recorded once. The service token is a secret, masked like passwords.

    | ***** Settings *****
    | Library    CCGatewayLibrary    event_mode=push

    = Retcodes and failures =

    Each interface keyword checks its request against the interface's JSON Schema before sending it (a
    request that breaks it is not sent and the failure names the field and the rule), then checks the HTTP
    status, the reply's schema and its ``retcode``. A failure names the interface, the retcode and what it
    means, for example ``hold failed for agent 101: retcode 200-013 (hold: there is no call), expected 0 (success).``

    Negative tests give ``expected_retcode=<code>`` (or ``any``); requests the library would refuse can be
    sent with `Send Raw Request`.

    = Assertions in getters =

    Every ``Get ...`` keyword that reads the gateway or the events (`Get Event History`) takes an
    optional assertion, as the Browser library's getters do: an operator, an expected value and an optional
    ``message`` for the failure. Without one the getter returns its value; with one it reads the value again
    every 0.2 seconds until the assertion holds or the assertion timeout passes (``assertion_timeout`` when
    importing the library, 1 second by default, or `Set Assertion Timeout`), then fails naming the getter, the
    last value and the expected one. It returns the value either way, so no `Wait Until Keyword Succeeds` loop
    is needed around it.

    Operators: ``==``, ``!=``, ``<``, ``>``, ``<=``, ``>=``, ``contains``, ``not contains``, ``starts``,
    ``ends``, ``matches`` (a regular expression), ``validate`` (a Python expression on ``value``) and
    ``then`` (returns what the expression gives).

    | `Get Agent Status` | ``==`` | idle |
    | `Get Held Calls` | validate | len(value) == 1 |
    | `Get Custom State` | ``==`` | ${12} |
    | `Get Agent Skills` | validate | [s['id'] for s in value] == [1, 2] |

    = Logging =

    One INFO line per request (interface, method, path, HTTP status, retcode and its meaning, time); the
    request and reply with secrets redacted at DEBUG.

    At the end of each test, after its teardown, a sequence diagram shows what happened in order: a lane
    for each agent, the gateway, the simulator and each far end (customer numbers named in call events); an
    arrow from an agent to the gateway for each request (keyword, interface, retcode, time taken), from the
    gateway to the agent for each event received, and from the simulator for each ``Simulate ...`` action
    and restart, with the time since the test started. Failed requests and failed
    keywords are red. Hover over a row for details. When a keyword of a suite setup or teardown fails, the
    diagram of the suite's steps so far is logged inside that keyword. Import the library with
    ``diagram=False`` to leave it out.

    = Secrets and redaction =

    Passwords and Guids never reach log.html, output.xml or the console, at any log level and also not in
    failure messages: every secret value is registered the moment the library receives it and masked
    wherever it appears, also in its escaped forms (repr, JSON, URL, HTML). What the library logs of a
    request or reply is redacted by a policy: the headers ``Guid``, ``Set-GUID``, ``Cookie``,
    ``Set-Cookie`` and ``Authorization``, every JSON field that an interface schema marks secret
    (``password``, ``serviceToken``, ...), and ``JSESSIONID=...`` in any text.

    Extend the policy with the ``redact`` import argument, one rule or a list of rules:

    | ``header:X-Api-Key``        | the value of this header (any case)
    | ``field:pin``               | the value of every JSON field with this name, at any depth (any case)
    | ``path:result.accessCode``  | the value at this dotted path from the top of a request or reply body
    | ``pattern:ticket-([0-9]+)`` | in any text: the expression's first group, or the whole match without groups

    | ***** Settings *****
    | Library    CCGatewayLibrary    redact=field:pin
    | Library    CCGatewayLibrary    redact=${{['header:X-Api-Key', 'pattern:ticket-[0-9]+']}}

    = Chinese =

    Imported with ``language=zh-CN``, the most used keywords have Simplified Chinese names and documentation
    (``座席签入`` for `Sign In Agent`, ``等待事件`` for `Wait For Event`, ...); the others keep their English
    names. docs/CCGatewayLibrary.zh_CN.html is that keyword reference. Test files can use Robot Framework's
    Chinese syntax too (``language: zh-CN`` on their first line):

    | language: zh-CN
    | ***** 设置 *****
    | 程序库          CCGatewayLibrary    language=zh-CN
    | 用例集启程      启动网关模拟器
    """

    ROBOT_LIBRARY_SCOPE = "GLOBAL"
    ROBOT_LIBRARY_VERSION = VERSION
    ROBOT_LIBRARY_DOC_FORMAT = "ROBOT"

    def __init__(
        self,
        url: str | None = None,
        ca_bundle: str | None = None,
        timeout: timedelta = timedelta(seconds=Settings.read_timeout),
        connect_timeout: timedelta = timedelta(seconds=Settings.connect_timeout),
        event_timeout: timedelta = timedelta(seconds=Settings.event_timeout),
        assertion_timeout: timedelta = timedelta(seconds=Settings.assertion_timeout),
        poll_interval: timedelta = timedelta(seconds=Settings.poll_interval),
        redact: list[str] | str | None = None,
        diagram: bool = True,
        event_mode: Literal["poll", "push"] | None = None,
        push_host: str = Settings.push_host,
        push_port: int = Settings.push_port,
        push_url: str | None = None,
        push_ca: str | None = None,
        record_to: Path | None = None,
        interface_tags: bool = True,
        gateway_version: GatewayVersion | None = None,
        language: Language = SOURCE_LANGUAGE,
    ) -> None:
        """``url`` is the gateway (``https://host:8043``), ``ca_bundle`` a PEM file with the CA that signed its
        certificate. ``timeout`` bounds the wait for a complete reply (however slowly the gateway sends it),
        ``connect_timeout`` the opening of a connection, ``assertion_timeout`` how long a getter given an
        assertion tries again (see `Assertions in getters`), ``event_timeout`` is the default of `Wait For Event` and
        ``poll_interval`` the pause after an empty event poll.

        ``redact`` adds secrets to hide, see `Secrets and redaction`. ``diagram=False`` leaves out the
        sequence diagram at the end of each test (see `Logging`), e.g. for very large nightly runs.

        ``event_mode`` is how events arrive, see `Push mode`: ``poll`` or ``push``; without it the variable
        ``${CCGW_EVENT_MODE}`` decides when an agent signs in (default ``poll``). In push mode the library's
        HTTPS endpoint listens on ``push_host`` and ``push_port`` (0: a free port); ``push_url`` is the address a
        gateway reaches it at when that differs (``https://tester.example.com:9443``), and ``push_ca`` a PEM file
        with the certificate and private key of a CA the gateway trusts, which issues the endpoint's certificate.
        ``interface_tags`` gives each test a tag ``api:<log name>`` for every interface its keywords called
        (``api:hold``, ``api:confJoin``), so report.html's tag statistics count the tests per interface;
        ``interface_tags=False`` leaves them out.
        ``record_to`` records the session (requests, replies, events, simulator control calls) to that file as
        JSON Lines, redacted, for ``ccgw-sim --replay`` or `Start Gateway Simulator` with ``replay``.
        ``gateway_version`` is the version of the gateway under test, see `Gateway versions`: ``current`` (the
        default, the current API reference) or ``legacy``; it decides the methods and paths the library sends.
        ``language`` is the language of keyword names and documentation, see `Chinese`: ``en`` (the default) or
        ``zh-CN``.
        """
        refuse("Importing CCGatewayLibrary", [("timeout", timeout), ("connect_timeout", connect_timeout),
                                              ("event_timeout", event_timeout), ("poll_interval", poll_interval),
                                              ("assertion_timeout", assertion_timeout)])
        settings = Settings(ca_bundle=checked_ca_bundle(ca_bundle),
                            read_timeout=seconds(timeout, Settings.read_timeout),
                            connect_timeout=seconds(connect_timeout, Settings.connect_timeout),
                            event_timeout=seconds(event_timeout, Settings.event_timeout),
                            assertion_timeout=seconds(assertion_timeout, Settings.assertion_timeout),
                            poll_interval=seconds(poll_interval, Settings.poll_interval),
                            event_mode=event_mode, push_host=push_host, push_port=int(push_port),
                            push_url=gateway_url(push_url, "push_url") if push_url else None, push_ca=push_ca,
                            interface_tags=interface_tags, gateway_version=gateway_version)
        # urllib3 logs each connection and retry through Python logging, which Robot copies into the log and,
        # for warnings, into "Test Execution Errors"; the library's own line per request says what matters.
        logging.getLogger("urllib3").setLevel(logging.ERROR)
        rules = [redact] if isinstance(redact, str) else list(redact or [])
        self.ctx = LibraryContext(settings, rules)
        self.ctx.requests.record.enabled = diagram
        if record_to is not None:
            from .recording import SessionRecorder

            try:
                self.ctx.requests.recorder = SessionRecorder(Path(record_to), self.ctx.secrets)
            except OSError as error:
                raise CCGatewayError(f"record_to: cannot write the recording {record_to} "
                                     f"({error.strerror or error}).") from None
        if url:
            try:
                settings.url = gateway_url(url)
            except CCGatewayError as error:
                # Reported by the first keyword that needs the gateway: a failing import would quote the URL,
                # and with it any password written into it.
                for value in url_credentials(url):
                    self.ctx.secrets.register(value)
                settings.url_problem = str(error)
        components: list[Any] = [
            AgentKeywords(self.ctx),
            StateKeywords(self.ctx),
            SkillKeywords(self.ctx),
            SessionKeywords(self.ctx),
            CallKeywords(self.ctx),
            TransferKeywords(self.ctx),
            CallDataKeywords(self.ctx),
            SupervisorKeywords(self.ctx),
            QueueKeywords(self.ctx),
            GroupKeywords(self.ctx),
            RecordingKeywords(self.ctx),
            ConferenceKeywords(self.ctx),
            TextKeywords(self.ctx),
            EventKeywords(self.ctx),
            RawKeywords(self.ctx),
            SimulatorKeywords(self.ctx),
        ]
        pool = PoolKeywords(self.ctx)  # also a listener: gives reserved agents back when their test ends
        components += [pool, SharingKeywords(self.ctx)]
        self.ROBOT_LIBRARY_LISTENER = [SecretScrubber(self.ctx.secrets), Lifecycle(self.ctx),
                                       DiagramListener(self.ctx), pool]
        super().__init__(components, translation=keyword_translation(language))

    def run_keyword(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any] | None = None) -> Any:
        check_arguments(name.replace("_", " ").title(), self.keywords[name], args, kwargs or {})
        return super().run_keyword(name, args, kwargs)
