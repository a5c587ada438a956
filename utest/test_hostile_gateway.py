"""The library against a hostile gateway (see hostile_gateway.py), driven the way a user drives it.

Whatever the gateway does, a keyword must end with a CCGatewayError that names the gateway, the interface,
the agent and the cause, by its deadline, without quoting the password or the Guid; the event poller must
report what went wrong and keep going. A failing row here describes everything that is wrong in one message.

To add a case, add a row to a table: FAULTS (a behaviour answering a keyword's request), POLL_FAULTS (a
behaviour answering one event poll) or the smaller tables next to their tests.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import requests
from hostile_gateway import (
    Behaviour,
    Certificates,
    HostileGateway,
    agent_event,
    agent_status_ok,
    close_connection,
    deeply_nested,
    empty,
    envelope,
    html_502,
    json_reply,
    login_ok,
    login_result,
    not_json,
    poll_reply,
    poll_retcode,
    raw_bytes,
    reset_connection,
    reset_mid_reply,
    respond,
    slow,
    trickle_body,
    trickle_headers,
)
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import POLL_RESPONSE_SCHEMA, load_catalogue
from CCGatewayLibrary.errors import CCGatewayError

AGENT = "246813"
PHONE = "70001"
PASSWORD = "Pw-hostile-5f1e9a77c3"
GUID = "9d2e4b1c-0a7f-4c3e-8b5d-1f2e3d4c5b6a.AgentGateway7"
TIMEOUT = 2.0  # the library's read timeout (import argument ``timeout``)
CONNECT_TIMEOUT = 1.0  # the library's ``connect_timeout``; a request's whole deadline is the sum of both
MARGIN = 2.0  # a keyword must end within TIMEOUT + MARGIN (that is, its own deadline plus 1 s)
DEADLINE = TIMEOUT + MARGIN
GIVE_UP = DEADLINE + 1.0  # the test stops waiting for a keyword that hangs and reports it
FIRST_WAIT = 1.0  # Wait For Event right after a poll fault: must fail and name the fault
RECOVERY_HOLD = 1.5  # the poll after the fault is held this long, then delivers AgentState_Ready
SECOND_WAIT = 4.0  # Wait For Event that must get that AgentState_Ready

# Causes in words (regular expressions, case-insensitive).
HTTP_502 = r"HTTP 502"
HTTP_500 = r"HTTP 500"
NOT_JSON = r"not (valid )?JSON|invalid JSON|no JSON|unparsable|cannot be (parsed|decoded)"
EMPTY = r"empty|no body|" + NOT_JSON
NOT_OBJECT = r"not a JSON object|JSON (list|array|string)|not an object"
DEEP = r"too deep|nest|" + NOT_JSON + "|" + NOT_OBJECT
DROPPED = (r"reset|closed|dropped|aborted|broken|disconnect|incomplete|"
           r"without (a |any )?(complete )?(reply|response|answer)")
NO_REPLY_IN_TIME = r"(no (complete )?(reply|response|answer)|timed out)[^.]*?\b2(\.0)? ?(s|secs?|seconds?)\b"
NOT_HTTP = r"not (an? )?HTTP|malformed|bad status|invalid (HTTP|status)"
TLS = r"\bTLS\b|certificate"
SET_GUID = r"Set-GUID"
SCHEMA = r"schema"
NOT_AN_EVENT = r"schema|not an? (JSON )?(event|object)"
POLLING = r"\bpoll"


# ------------------------------------------------------------------------------------------ running keywords


@dataclass
class Outcome:
    result: Any
    error: BaseException | None
    elapsed: float
    finished: bool

    def __str__(self) -> str:
        if not self.finished:
            return f"still running after {self.elapsed:.2f} s"
        if self.error is None:
            return f"returned {self.result!r} after {self.elapsed:.2f} s"
        return f"{type(self.error).__name__}: {str(self.error)!r} after {self.elapsed:.2f} s"


def run_keyword(function: Callable[..., Any], *args: Any, give_up: float = GIVE_UP, **kwargs: Any) -> Outcome:
    """Run a keyword in a thread and wait at most ``give_up`` seconds, so a keyword that hangs fails the test
    instead of hanging it (the thread ends when the gateway stops)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = function(*args, **kwargs)
        except BaseException as error:  # a bare exception is what some rows look for
            box["error"] = error
        box["ended"] = time.monotonic()

    started = time.monotonic()
    thread = threading.Thread(target=target, name="keyword", daemon=True)
    thread.start()
    thread.join(give_up)
    finished = not thread.is_alive()
    elapsed = (box["ended"] if finished else time.monotonic()) - started
    return Outcome(box.get("result"), box.get("error"), elapsed, finished)


def failure_problems(outcome: Outcome, *, cause: str | tuple[str, ...], deadline: float,
                     names: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a keyword's failure: empty when it is what a user needs."""
    problems = []
    if not outcome.finished:
        problems.append(f"did not end by its deadline of {deadline:.1f} s (still running after {GIVE_UP:.0f} s)")
    elif outcome.error is None:
        problems.append("did not fail")
    else:
        message = str(outcome.error)
        if not isinstance(outcome.error, CCGatewayError):
            problems.append(f"raised a bare {type(outcome.error).__name__}, not a CCGatewayError")
        for name in names:
            if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", message):
                problems.append(f"does not name {name!r}")
        for wanted in (cause,) if isinstance(cause, str) else cause:
            if not re.search(wanted, message, re.IGNORECASE):
                problems.append(f"does not give the cause (/{wanted}/)")
        if PASSWORD in message:
            problems.append("quotes the password")
        if GUID in message:
            problems.append("quotes the Guid")
    if outcome.finished and outcome.elapsed > deadline:
        problems.append(f"took {outcome.elapsed:.2f} s, deadline {deadline:.1f} s")
    return problems


def check_failure(outcome: Outcome, *, cause: str | tuple[str, ...], deadline: float,
                  names: tuple[str, ...] = ()) -> None:
    print(outcome)  # shown with -s, or under a failure
    problems = failure_problems(outcome, cause=cause, deadline=deadline, names=names)
    assert not problems, f"{outcome}: " + "; ".join(problems)


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("hostile-tls"))


@pytest.fixture
def start_gateway(certs: Certificates) -> Iterator[Callable[..., HostileGateway]]:
    started: list[HostileGateway] = []

    def start(tls: str = "trusted") -> HostileGateway:
        gateway = HostileGateway(certs.server_context(tls), guid=GUID).start()
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


@pytest.fixture
def gateway(start_gateway: Callable[..., HostileGateway]) -> HostileGateway:
    return start_gateway()


@pytest.fixture
def make_library(certs: Certificates, start_gateway: Callable[..., HostileGateway]) -> \
        Iterator[Callable[[HostileGateway], CCGatewayLibrary]]:
    """Libraries as a suite imports them; closed (pollers stopped) before the gateways stop."""
    made: list[CCGatewayLibrary] = []

    def make(gateway: HostileGateway) -> CCGatewayLibrary:
        library = CCGatewayLibrary(url=gateway.url, ca_bundle=str(certs.ca_file), timeout=timedelta(seconds=TIMEOUT),
                                   connect_timeout=timedelta(seconds=CONNECT_TIMEOUT),
                                   event_timeout=timedelta(seconds=5), poll_interval=timedelta(milliseconds=100))
        made.append(library)
        return library

    yield make
    for library in made:  # what Robot does when the library goes out of scope
        for listener in getattr(library, "ROBOT_LIBRARY_LISTENER", []):
            close = getattr(listener, "close", None)
            if close is not None:
                close()


@pytest.fixture
def library(gateway: HostileGateway, make_library: Callable[[HostileGateway], CCGatewayLibrary]) -> CCGatewayLibrary:
    return make_library(gateway)


def sign_in(library: CCGatewayLibrary) -> Any:
    return library.sign_in_agent(AGENT, Secret(PASSWORD), PHONE)


def sign_in_for_setup(library: CCGatewayLibrary, gateway: HostileGateway) -> None:
    """A sign-in the harness answers correctly; failing here is a harness bug, not the row's fault."""
    outcome = run_keyword(sign_in, library)
    assert outcome.finished and outcome.error is None, f"setup sign-in failed: {outcome}"
    assert gateway.wait_for_requests("getAgentEvent", 1, 2.0), "the poller never polled"


KEYWORDS: dict[str, Callable[[CCGatewayLibrary], Any]] = {
    "login": sign_in,
    "sayFree": lambda library: library.set_agent_ready(),
    "getAgentStatus": lambda library: library.get_agent_status(),
}


# ------------------------------------------------------------------------------------------ the harness itself


def test_harness_answers_like_a_gateway(certs: Certificates, gateway: HostileGateway) -> None:
    """A plain client sees valid replies: the library's failures below are the library's own."""
    catalogue = load_catalogue()
    client = requests.Session()

    def call(method: str, path: str, **options: Any) -> requests.Response:
        # verify per request: a session-level verify loses to REQUESTS_CA_BUNDLE
        return client.request(method, f"{gateway.url}/agentgateway/resource/{path}", verify=str(certs.ca_file),
                              timeout=5, **options)

    with client:
        login = call("PUT", f"onlineagent/{AGENT}", json={"password": PASSWORD, "phonenum": PHONE})
        assert login.status_code == 200
        assert login.headers["Set-GUID"] == f"JSESSIONID={GUID}"
        catalogue.check_response(catalogue.interface("login"), login.json())
        assert login.json()["result"]["workno"] == AGENT
        started = time.monotonic()
        poll = call("GET", f"agentevent/{AGENT}", headers={"Guid": GUID})
        assert 0.9 < time.monotonic() - started < 2.0
        assert poll.json() == {"message": "", "retcode": "0", "event": None}
        gateway.script("getAgentEvent", poll_reply([agent_event("AgentState_Ready", AGENT)]))
        listed = call("GET", f"agentevent/{AGENT}", headers={"Guid": GUID}).json()
        assert catalogue.problems(POLL_RESPONSE_SCHEMA, listed) is None
        for name, method, path in (("sayFree", "POST", "sayfree"), ("getAgentStatus", "GET", "agentstatus")):
            reply = call(method, f"onlineagent/{AGENT}/{path}", headers={"Guid": GUID})
            catalogue.check_response(catalogue.interface(name), reply.json())
    assert [r.interface for r in gateway.requests] == ["login", "getAgentEvent", "getAgentEvent", "sayFree",
                                                        "getAgentStatus"]
    assert gateway.requests[0].json()["password"] == PASSWORD
    assert gateway.requests[1].headers["guid"] == GUID


def _raw_exchange(certs: Certificates, gateway: HostileGateway, seconds: float) -> tuple[bytes, str]:
    """Send one sayFree over a raw TLS socket and collect what arrives within ``seconds``: (bytes, how it ended)."""
    received, ended = b"", "still open"
    with socket.create_connection(("127.0.0.1", gateway.port)) as raw, \
            certs.client_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(f"POST /agentgateway/resource/onlineagent/{AGENT}/sayfree HTTP/1.1\r\nHost: x\r\n"
                    "Content-Length: 0\r\n\r\n".encode())
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            tls.settimeout(left)
            try:
                chunk = tls.recv(65536)
            except TimeoutError:
                break
            except OSError as error:
                ended = f"error {type(error).__name__}"
                break
            if not chunk:
                ended = "closed"
                break
            received += chunk
    return received, ended


@pytest.mark.parametrize(("fault", "check"), [
    pytest.param(trickle_headers(interval=0.05), lambda data, ended: 6 <= len(data) <= 25 and b"\r\n\r\n" not in data
                 and ended == "still open", id="trickle-headers"),
    pytest.param(trickle_body(interval=0.05), lambda data, ended: b"Content-Length: 1000000\r\n" in data
                 and 6 <= len(data.partition(b"\r\n\r\n")[2]) <= 25 and ended == "still open", id="trickle-body"),
    pytest.param(slow(5, agent_status_ok()), lambda data, ended: data == b"" and ended == "still open", id="slow"),
    pytest.param(reset_connection(), lambda data, ended: data == b"" and ended != "still open", id="reset"),
    pytest.param(close_connection(), lambda data, ended: data == b"" and ended == "closed", id="close"),
    pytest.param(reset_mid_reply(), lambda data, ended: b"Content-Length: 400\r\n" in data
                 and len(data.partition(b"\r\n\r\n")[2]) == 30 and ended != "still open", id="reset-mid-reply"),
])
def test_harness_faults_look_right_on_the_wire(certs: Certificates, gateway: HostileGateway, fault: Behaviour,
                                                check: Callable[[bytes, str], bool]) -> None:
    gateway.script("sayFree", fault)
    data, ended = _raw_exchange(certs, gateway, 0.6)
    assert check(data, ended), (data[:300], ended)


def test_harness_deep_nesting_defeats_a_plain_json_parser(certs: Certificates, gateway: HostileGateway) -> None:
    gateway.script("sayFree", deeply_nested())
    reply = requests.post(f"{gateway.url}/agentgateway/resource/onlineagent/{AGENT}/sayfree",
                          verify=str(certs.ca_file), timeout=5)
    assert len(reply.content) == 200_000
    with pytest.raises(RecursionError):
        json.loads(reply.content)


@pytest.mark.parametrize(("kind", "error"), [
    ("trusted", None),
    ("untrusted", "unable to get local issuer certificate"),
    ("wrong-host", "IP address mismatch"),
])
def test_harness_tls_kinds(certs: Certificates, start_gateway: Callable[..., HostileGateway], kind: str,
                           error: str | None) -> None:
    gateway = start_gateway(kind)
    with socket.create_connection(("127.0.0.1", gateway.port)) as raw:
        if error is None:
            with certs.client_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                assert tls.version()
        else:
            with pytest.raises(ssl.SSLCertVerificationError, match=error):
                certs.client_context().wrap_socket(raw, server_hostname="127.0.0.1")


def test_harness_library_happy_path(gateway: HostileGateway, library: CCGatewayLibrary) -> None:
    """The library and the harness agree when the gateway behaves."""
    gateway.script("getAgentEvent", poll_reply(agent_event("AgentOther_InService", AGENT)),
                   poll_reply(agent_event("AgentState_Ready", AGENT)))
    result = sign_in(library)
    assert result["workno"] == AGENT
    library.set_agent_ready()
    assert library.get_agent_status()["state"] == "idle"
    event = library.wait_for_event("AgentState_Ready", timeout=timedelta(seconds=3))
    assert event["workNo"] == AGENT
    library.sign_out_agent()
    assert gateway.requests_to("sayFree")[0].headers["guid"] == GUID


# ------------------------------------------------------------------------------------------ keyword faults

FAULTS = [
    pytest.param("login", html_502(echo_request=True), HTTP_502, id="login-html-502-echoing-the-request"),
    pytest.param("getAgentStatus", html_502(echo_request=True), HTTP_502, id="getAgentStatus-html-502-echoing-it"),
    pytest.param("login", empty(), EMPTY, id="login-empty-200"),
    pytest.param("sayFree", empty(), EMPTY, id="sayFree-empty-200"),
    pytest.param("sayFree", not_json(), NOT_JSON, id="sayFree-not-json-200"),
    pytest.param("sayFree", respond(200, b'\xff\xfe{"retcode": "0"\xc3'), NOT_JSON, id="sayFree-invalid-utf8-200"),
    pytest.param("sayFree", respond(200, b"RIFF\x24\x00\x00\x00WAVEfmt ", content_type="application/octet-stream"),
                 r"not a JSON object \(a file of 16 bytes \(application/octet-stream\)\)", id="sayFree-a-file"),
    pytest.param("login", json_reply([envelope()]), NOT_OBJECT, id="login-json-list"),
    pytest.param("getAgentStatus", json_reply("success"), NOT_OBJECT, id="getAgentStatus-json-string"),
    pytest.param("login", deeply_nested(), DEEP, id="login-nested-100000-deep"),
    pytest.param("getAgentStatus", deeply_nested(), DEEP, id="getAgentStatus-nested-100000-deep"),
    pytest.param("sayFree", reset_connection(), DROPPED, id="sayFree-reset-without-reply"),
    pytest.param("login", close_connection(), DROPPED, id="login-closed-without-reply"),
    pytest.param("getAgentStatus", reset_mid_reply(), DROPPED, id="getAgentStatus-reset-mid-reply"),
    pytest.param("sayFree", raw_bytes(b'{"retcode": "0"}\r\n\r\n'), NOT_HTTP, id="sayFree-reply-is-not-http"),
    pytest.param("login", trickle_headers(), NO_REPLY_IN_TIME, id="login-headers-trickle-1-byte-per-s"),
    pytest.param("sayFree", trickle_body(), NO_REPLY_IN_TIME, id="sayFree-body-trickles-1-byte-per-s"),
    pytest.param("getAgentStatus", slow(3 * TIMEOUT, agent_status_ok()), NO_REPLY_IN_TIME,
                 id="getAgentStatus-reply-after-6-s"),
    pytest.param("login", login_ok(set_guid=False), SET_GUID, id="login-without-set-guid"),
    pytest.param("login", login_ok(reply=lambda request: {"message": "success", "result": login_result(AGENT)}),
                 SCHEMA, id="login-reply-without-retcode"),
    pytest.param("login", login_ok(reply={"message": "success", "retcode": 0, "result": login_result(AGENT)}),
                 SCHEMA, id="login-retcode-is-a-number"),
    pytest.param("getAgentStatus", json_reply(envelope(result="idle", state="idle")), SCHEMA,
                 id="getAgentStatus-result-is-a-string"),
    pytest.param("sayFree", json_reply(lambda request: envelope(
        "999-999", f"internal error for Guid {request.headers.get('guid')}"), status=500), HTTP_500,
                 id="sayFree-http-500-json-echoing-the-guid"),
]


@pytest.mark.parametrize(("interface", "fault", "cause"), FAULTS)
def test_keyword_fault(gateway: HostileGateway, library: CCGatewayLibrary, interface: str, fault: Behaviour,
                       cause: str) -> None:
    if interface != "login":
        sign_in_for_setup(library, gateway)
    gateway.script(interface, fault)
    outcome = run_keyword(KEYWORDS[interface], library)
    assert gateway.requests_to(interface), "the faulty request never reached the gateway"
    check_failure(outcome, cause=cause, deadline=DEADLINE, names=(gateway.host, interface, AGENT))


@pytest.mark.parametrize("kind", ["untrusted", "wrong-host"])
def test_certificate_fault(start_gateway: Callable[..., HostileGateway],
                           make_library: Callable[[HostileGateway], CCGatewayLibrary], kind: str) -> None:
    gateway = start_gateway(kind)
    outcome = run_keyword(sign_in, make_library(gateway))
    check_failure(outcome, cause=TLS, deadline=DEADLINE, names=(gateway.host, "login", AGENT))
    assert gateway.requests == [], "a request (with the password) went to a gateway that failed TLS verification"


# ------------------------------------------------------------------------------------------ event polling faults

READY = agent_event("AgentState_Ready", AGENT)
IN_SERVICE = agent_event("AgentOther_InService", AGENT)

POLL_FAULTS = [
    pytest.param(poll_reply("AgentState_Ready"), NOT_AN_EVENT, id="event-is-a-string"),
    pytest.param(poll_reply(42), NOT_AN_EVENT, id="event-is-a-number"),
    pytest.param(deeply_nested(), DEEP, id="nested-100000-deep"),
    pytest.param(not_json(), NOT_JSON, id="not-json"),
    pytest.param(html_502(), HTTP_502, id="html-502"),
    pytest.param(json_reply(envelope("999-999", "internal error"), status=500), HTTP_500, id="http-500-json"),
    pytest.param(reset_connection(), DROPPED, id="connection-reset"),
]


@pytest.mark.parametrize(("fault", "cause"), POLL_FAULTS)
def test_poll_fault_is_reported_and_polling_goes_on(gateway: HostileGateway, library: CCGatewayLibrary,
                                                    fault: Behaviour, cause: str) -> None:
    gateway.script("getAgentEvent", fault, slow(RECOVERY_HOLD, poll_reply(READY)))
    sign_in_for_setup(library, gateway)
    first = run_keyword(library.wait_for_event, "AgentState_Ready", timeout=timedelta(seconds=FIRST_WAIT))
    print(first)  # shown with -s, or under a failure
    problems = [f"first wait {first}: {problem}" for problem in failure_problems(
        first, cause=(POLLING, cause), deadline=FIRST_WAIT + MARGIN, names=(AGENT,))]
    second = run_keyword(library.wait_for_event, "AgentState_Ready", timeout=timedelta(seconds=SECOND_WAIT))
    if second.error is not None or not second.finished:
        problems.append(f"second wait {second}: the event after the fault was not delivered "
                        f"({len(gateway.requests_to('getAgentEvent'))} polls reached the gateway)")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("events", [
    pytest.param([IN_SERVICE, READY], id="two-events"),
    pytest.param([IN_SERVICE, "AgentState_Busy", READY], id="events-and-a-string"),
    pytest.param([IN_SERVICE, None, 7, READY], id="events-null-and-a-number"),
])
def test_poll_with_a_list_of_events_records_each_event(gateway: HostileGateway, library: CCGatewayLibrary,
                                                       events: list[Any]) -> None:
    gateway.script("getAgentEvent", poll_reply(events))
    sign_in_for_setup(library, gateway)
    outcome = run_keyword(library.wait_for_event, "AgentState_Ready", timeout=timedelta(seconds=2))
    assert outcome.finished and outcome.error is None, f"{outcome}"
    history = run_keyword(library.get_event_history)
    assert history.error is None, f"{history}"
    names = [item["eventType"] for item in history.result if item["eventType"] in ("AgentOther_InService",
                                                                                    "AgentState_Ready")]
    assert names == ["AgentOther_InService", "AgentState_Ready"]


@pytest.mark.parametrize("retcode", ["100-006", "000-003"])
def test_fatal_poll_retcode_ends_the_next_wait_at_once(gateway: HostileGateway, library: CCGatewayLibrary,
                                                       retcode: str) -> None:
    gateway.script("getAgentEvent", poll_retcode(retcode))
    sign_in_for_setup(library, gateway)
    outcome = run_keyword(library.wait_for_event, "AgentState_Ready", timeout=timedelta(seconds=5))
    check_failure(outcome, cause=re.escape(retcode), deadline=1.0, names=(AGENT,))


def test_trickling_poll_is_cut_at_its_deadline_and_polling_goes_on(
        gateway: HostileGateway, library: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("CCGatewayLibrary.events.poller.POLL_SLACK", 0.5)
    library.ctx.settings.poll_wait = 0.5  # a poll's deadline: 1 s to connect + 0.5 s wait + 0.5 s slack
    gateway.script("getAgentEvent", trickle_body(), poll_reply(READY))
    started = time.monotonic()
    sign_in_for_setup(library, gateway)
    outcome = run_keyword(library.wait_for_event, "AgentState_Ready", timeout=timedelta(seconds=8))
    elapsed = time.monotonic() - started
    assert outcome.finished and outcome.error is None, f"{outcome}"
    assert 1.5 <= elapsed < 4.0, elapsed
    problems = [problem.text for problem in library.ctx.agent().journal.problems()]
    assert any("no complete reply within 2 s" in text for text in problems), problems
