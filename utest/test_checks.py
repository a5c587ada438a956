"""Each check the library makes has a test that fails when the check is switched off.

A mutation spot-check of the first slice found these checks could be disabled with every test still
green: reply schema, HTTP status, event schema, all-filters matching, password registration, DEBUG
redaction, the scrubber, and polling that stops at sign-out.
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import (
    CCGatewayError,
    EventTimeoutError,
    HttpStatusError,
    ResponseSchemaError,
    RetcodeError,
)
from CCGatewayLibrary.events import FieldFilter
from CCGatewayLibrary.secrets import MASK, SecretScrubber
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.transport import GatewaySession, GuidHolder

GUID = "4d0c8f43-5d2e-4c3e-9a43-6d1b8d6c0b7e.AgentGateway0"
PASSWORD = "Checks-Planted-Pw-9"


class Gateway(BaseAdapter):
    """A scripted gateway at the transport's edge: each request gets the next (status, body, headers)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[tuple[int, Any, dict[str, str]]] = []
        self.sent: list[requests.PreparedRequest] = []

    def answer(self, body: Any, status: int = 200, **headers: str) -> None:
        self.replies.append((status, body, headers))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        status, body, headers = self.replies.pop(0) if self.replies else (200, {"retcode": "0", "message": ""}, {})
        response = requests.Response()
        response.status_code, response.url, response.reason = status, request.url, "Reason"
        response._content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        response.headers.update(headers)
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def gateway() -> Gateway:
    return Gateway()


@pytest.fixture
def lib(gateway: Gateway) -> CCGatewayLibrary:
    library = CCGatewayLibrary(url="https://gw.example:8043")

    def new_session() -> GatewaySession:
        session = GatewaySession("https://gw.example:8043", guid=GuidHolder(library.ctx.secrets),
                                 policy=library.ctx.policy)
        session._http.mount("https://", gateway)
        return session

    library.ctx.new_session = new_session  # type: ignore[method-assign]
    library.ctx.start_polling = lambda agent: None  # type: ignore[method-assign]
    return library


def _signed_in(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    gateway.answer({"retcode": "0", "message": "success", "result": {"workno": "101"}},
                   **{"Set-GUID": f"JSESSIONID={GUID}"})
    lib.sign_in_agent("101", Secret(PASSWORD), "70001")


def test_reply_schema_is_checked(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    gateway.answer({"retcode": 0, "message": "success"})  # retcode must be a string
    with pytest.raises(ResponseSchemaError, match=r"sayFree reply does not match its schema: retcode"):
        lib.set_agent_ready()


def test_http_status_is_checked_even_with_a_good_body(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    gateway.answer({"retcode": "0", "message": "success"}, status=500)
    with pytest.raises(HttpStatusError, match=r"sayFree .* for agent 101 at gw.example:8043 answered HTTP 500"):
        lib.set_agent_ready()


def test_retcode_is_checked(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    gateway.answer({"retcode": "100-009", "message": "x"})
    with pytest.raises(RetcodeError, match=r"^sayFree failed for agent 101: retcode 100-009 \("):
        lib.set_agent_ready()
    gateway.answer({"retcode": "0", "message": "x"})
    with pytest.raises(RetcodeError, match="succeeded unexpectedly"):
        lib.set_agent_ready(expected_retcode="100-009")


def test_password_is_registered_before_anything_is_sent(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    assert PASSWORD in lib.ctx.secrets
    assert GUID in lib.ctx.secrets
    assert lib.ctx.secrets.scrub(f"pw {PASSWORD} guid {GUID}") == f"pw {MASK} guid {MASK}"


def test_debug_block_is_redacted(lib: CCGatewayLibrary, gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    logged: list[str] = []
    monkeypatch.setattr("CCGatewayLibrary.pipeline.logger.write",
                        lambda message, level="INFO", html=False, console=None: logged.append(message)
                        if level == "DEBUG" else None)
    _signed_in(lib, gateway)
    assert logged and "request and reply" in logged[0]
    assert PASSWORD not in logged[0] and GUID not in logged[0]
    assert "&lt;redacted&gt;" in logged[0]


def test_scrubber_masks_messages_keyword_and_test_status() -> None:
    lib = CCGatewayLibrary()
    lib.ctx.secrets.register(PASSWORD)
    scrubber = next(listener for listener in lib.ROBOT_LIBRARY_LISTENER if isinstance(listener, SecretScrubber))
    message = SimpleNamespace(message=f"said {PASSWORD}")
    scrubber.log_message(message)
    result = SimpleNamespace(message=f"failed with {PASSWORD}", args=(f"x={PASSWORD}",))
    scrubber.start_library_keyword(None, None, result)
    scrubber.end_library_keyword(None, None, result)
    test, suite = SimpleNamespace(message=PASSWORD), SimpleNamespace(message=PASSWORD)
    scrubber.end_test(None, test)
    scrubber.end_suite(None, suite)
    assert PASSWORD not in str([message.message, result.message, result.args, test.message, suite.message])


def test_event_filters_must_all_match() -> None:
    event = {"eventType": "AgentEvent_Talking", "content": {"callid": "1-1", "caller": "8888"}}
    both = [FieldFilter.parse("callid=1-1"), FieldFilter.parse("caller=9999")]
    assert not all(f.matches(event) for f in both)


# ---------------------------------------------------------------- with the simulator


def test_wait_for_event_uses_every_filter(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("110", Secret(Roster.load().password_of("110")), "70010", status="busy")
    try:
        with pytest.raises(EventTimeoutError):
            simulated.wait_for_event("AgentState_SetNotReady_Success", timeout=timedelta(milliseconds=500),
                                     reason="0", workNo="999")
        assert simulated.wait_for_event("AgentState_SetNotReady_Success", reason="0", workNo="110")
    finally:
        simulated.sign_out_agent(force=True)


def test_event_breaking_its_schema_fails_the_wait(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("111", Secret(Roster.load().password_of("111")), "70011")
    try:
        simulated.wait_for_event("AgentState_Ready")
        handle = simulated.ctx.agent()
        handle.journal.append({"eventType": "AgentEvent_Hold", "workNo": "111", "content": {"not": "a call id"}},
                              "content: not a string")
        with pytest.raises(CCGatewayError, match=r"AgentEvent_Hold \(#\d+\) does not match its schema"):
            simulated.wait_for_event("AgentEvent_Hold")
    finally:
        simulated.sign_out_agent(force=True)


def test_sign_out_stops_polling(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("112", Secret(Roster.load().password_of("112")), "70012")
    handle = simulated.ctx.agent()
    poller = handle.poller
    assert poller is not None and poller.running
    simulated.sign_out_agent()
    assert handle.poller is None and not poller.running
    assert handle.journal.closed_reason == "signed out"
    with pytest.raises(EventTimeoutError, match=r"cannot arrive .* any more"):
        simulated.wait_for_event("AgentState_Ready", timeout=timedelta(seconds=2))


def test_failure_quotes_an_empty_or_long_body_plainly(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    gateway.answer("", status=502)
    with pytest.raises(HttpStatusError, match=r"answered HTTP 502 Reason, expected 200\. Body: \(empty\)$"):
        lib.set_agent_ready()
    gateway.answer("<html>" + "x" * 994, status=502)
    with pytest.raises(HttpStatusError) as failed:
        lib.set_agent_ready()
    assert str(failed.value).endswith("Body: <html>" + "x" * 294 + "... (700 more characters)")


@pytest.mark.parametrize(("value", "text"), [(True, "true"), (False, "false"), (0, "0"), ("Ab", "Ab")])
def test_query_values_are_sent_as_the_gateway_spells_them(value: object, text: str) -> None:
    from CCGatewayLibrary.pipeline import _query_text

    assert _query_text(value) == text


def test_deadline_watch_expiring_without_or_after_its_connection_is_harmless() -> None:
    import socket

    from CCGatewayLibrary.transport.session import _Watch

    idle = _Watch(60)
    idle._expire()  # no connection attached yet
    assert idle.expired
    closed = _Watch(60)
    sock = socket.socket()
    sock.close()
    closed.attach(SimpleNamespace(sock=sock))  # type: ignore[arg-type]
    closed._expire()  # shutting down a closed socket raises OSError, which must not escape
    assert closed.expired
    with _Watch(60) as done:
        pass
    done._expire()
    assert not done.expired  # a finished request is left alone


def test_agent_lookup_failures_say_what_to_do() -> None:
    from CCGatewayLibrary.errors import AgentError

    lib = CCGatewayLibrary()
    with pytest.raises(AgentError, match=r"^No agent signed in: use 'Sign In Agent' first or give agent=<alias>\.$"):
        lib.ctx.agent()
    with pytest.raises(AgentError, match=r"^No agent with alias 'x'\. Known aliases: none\.$"):
        lib.ctx.agent("x")


def test_agents_are_described_by_id_and_alias(lib: CCGatewayLibrary, gateway: Gateway) -> None:
    _signed_in(lib, gateway)
    assert lib.ctx.agent().describe() == "agent 101"
    gateway.answer({"retcode": "0", "message": "success", "result": {}}, **{"Set-GUID": f"JSESSIONID={GUID}"})
    lib.sign_in_agent("102", Secret(PASSWORD), "70002", alias="second")
    assert lib.ctx.agent("second").describe() == "agent 102 ('second')"
    from CCGatewayLibrary.errors import AgentError

    with pytest.raises(AgentError, match=r"^No agent with alias 'x'\. Known aliases: 101, second\.$"):
        lib.ctx.agent("x")


def test_polling_uses_the_library_settings_and_closing_the_library_stops_it() -> None:
    library = CCGatewayLibrary(poll_interval=timedelta(milliseconds=70))
    library.start_gateway_simulator(poll_wait=timedelta(milliseconds=300))
    try:
        library.sign_in_agent("120", Secret(Roster.load().password_of("120")), "70020")
        handle = library.ctx.agent()
        assert handle.poller is not None
        assert (handle.poller.poll_interval, handle.poller.read_timeout) == (0.07, 0.3 + 5.0)
    finally:
        library.ctx.shut_down()
    assert handle.journal.closed_reason == "library closed" and handle.poller is None
    assert library.ctx.simulator is None and library.ctx.agents == {}


@pytest.mark.parametrize(("document", "values"), [
    ({"password": "a1", "x": {"PassWord": "b2", "n": [{"serviceToken": "c3"}]}, "note": "password"},
     ["a1", "b2", "c3"]),
    ({"password": 5, "other": "plain"}, []),
    ('{"password": "q\\"1", "x": 1}', ['q\\"1']),
    ("password='s2' serviceToken=t3&x=1 password=\"u4", ["s2", "t3", '"u4']),
])
def test_secret_values_are_found_for_registration(document: Any, values: list[str]) -> None:
    lib = CCGatewayLibrary()
    assert sorted(lib.ctx.policy.secret_values(document)) == sorted(values)


@pytest.mark.parametrize("pattern", ["([", "*", "a{2,1}", "(?P<x"])
def test_an_event_filter_with_a_broken_regexp_names_the_filter_and_the_rule(pattern: str) -> None:
    with pytest.raises(CCGatewayError) as raised:
        FieldFilter.parse(f"callid=regexp:{pattern}")
    text = str(raised.value)
    assert text.startswith(f"Event filter 'callid=regexp:{pattern}': '{pattern}' is not a valid regular expression (")
    assert "at position" in text and "regexp:" in text
