"""Defects found by probing the three-party slice from outside, each pinned by a test that failed before its fix."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.errors import CCGatewayError, RequestSchemaError, TransportError
from CCGatewayLibrary.events import Cursor, EventJournal, EventPoller
from CCGatewayLibrary.secrets import SecretRegistry, SecretScrubber
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.transport import Exchange, GatewaySession, GuidHolder

PASSWORD = Secret(Roster.load().password_of("101"))
READY = {"eventType": "AgentState_Ready", "workNo": "101", "content": None}
IN_SERVICE = {"eventType": "AgentOther_InService", "workNo": "101", "content": None}


def _exchange(document: Any = None, *, text: str | None = None, status: int = 200) -> Exchange:
    import json

    body = text if text is not None else json.dumps(document)
    return Exchange("GET", "https://gw:8043/agentgateway/resource/agentevent/101", status, "OK", {}, None, {}, body,
                    1.0, json=document)


class ScriptedSession:
    """Stands in for the poller's session: answers each poll from a script, then idles."""

    def __init__(self, replies: list[Any]) -> None:
        self.replies = list(replies)
        self.idle = threading.Event()

    def close(self) -> None:
        pass

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        if self.replies:
            reply = self.replies.pop(0)
            if isinstance(reply, BaseException):
                raise reply
            return reply
        self.idle.set()
        self.idle.wait(0.05)
        return _exchange({"message": "", "retcode": "0", "event": None})


def _poll(replies: list[Any]) -> tuple[EventPoller, EventJournal]:
    journal = EventJournal("101")
    poller = EventPoller(ScriptedSession(replies), load_catalogue(), "101", journal,  # type: ignore[arg-type]
                         poll_interval=0.01)
    poller.start()
    return poller, journal


# ---------------------------------------------------------------- the poller never dies silently


def test_event_list_is_recorded_item_by_item_and_a_bad_item_is_a_problem() -> None:
    poller, journal = _poll([_exchange({"message": "", "retcode": "0", "event": [IN_SERVICE, "junk", READY]})])
    try:
        found, passed = journal.wait_for(Cursor(), lambda r: r.name == "AgentState_Ready", timeout=5)
        assert found is not None and [r.name for r in passed] == ["AgentOther_InService"]
        assert any("event [1] is not a JSON object" in p.text for p in journal.problems())
        assert poller.running
    finally:
        poller.stop()


@pytest.mark.parametrize("event", ["a string", 7, True])
def test_event_that_is_not_an_object_is_a_problem_and_polling_goes_on(event: Any) -> None:
    poller, journal = _poll([_exchange({"message": "", "retcode": "0", "event": event}),
                             _exchange({"message": "", "retcode": "0", "event": READY})])
    try:
        found, _ = journal.wait_for(Cursor(), lambda r: r.name == "AgentState_Ready", timeout=5)
        assert found is not None
        assert any("event is not a JSON object" in p.text for p in journal.problems())
    finally:
        poller.stop()


def test_deeply_nested_poll_reply_is_a_problem_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    poller, journal = _poll([_exchange(None, text=deep), _exchange({"message": "", "retcode": "0", "event": READY})])
    try:
        found, _ = journal.wait_for(Cursor(), lambda r: r.name == "AgentState_Ready", timeout=5)
        assert found is not None
        assert any("not a JSON object" in p.text for p in journal.problems())
        assert journal.closed_reason is None
    finally:
        poller.stop()


def test_unexpected_crash_closes_the_journal_with_the_cause() -> None:
    poller, journal = _poll([ZeroDivisionError("boom")])
    found, _ = journal.wait_for(Cursor(), lambda r: True, timeout=5)
    assert found is None
    assert journal.closed_reason == "event polling crashed: ZeroDivisionError: boom"
    poller._thread.join(2)
    assert not poller.running


def test_deep_json_reply_is_not_parsed() -> None:
    class Reply:
        content = b"[" * 5000 + b"]" * 5000

        def json(self) -> Any:
            import json

            return json.loads(self.content)

    from CCGatewayLibrary.transport.session import _parse

    document, why = _parse(Reply())  # type: ignore[arg-type]
    assert document is None and why is not None and "nested" in why


# ---------------------------------------------------------------- signing in again


def test_forced_sign_in_again_loses_no_event(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("101", PASSWORD, "70001")
    simulated.wait_for_event("AgentState_Ready")
    try:
        for _ in range(5):
            # the old session's poll is parked at the gateway and takes the next event it queues
            simulated.sign_in_agent("101", PASSWORD, "70001", force=True)
            simulated.wait_for_event("AgentOther_InService", timeout=timedelta(seconds=5))
            simulated.wait_for_event("AgentState_Ready", timeout=timedelta(seconds=5))
    finally:
        simulated.sign_out_agent(force=True)


def test_refused_second_sign_in_keeps_the_first_session_polling(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("102", PASSWORD, "70002")
    simulated.wait_for_event("AgentState_Ready")
    try:
        simulated.sign_in_agent("102", PASSWORD, "70002", expected_retcode="100-002")
        handle = simulated.ctx.agent("102")
        assert handle.poller is not None and handle.poller.running
        simulated.set_agent_busy()
        simulated.wait_for_event("AgentState_SetNotReady_Success", timeout=timedelta(seconds=5))
    finally:
        simulated.sign_out_agent(force=True)


# ---------------------------------------------------------------- secrets in messages


def test_long_password_is_not_quoted_when_refused(simulated: CCGatewayLibrary) -> None:
    password = "Zq'\"\\ü-" + "Xk7Wq9Vt-" * 7
    with pytest.raises(RequestSchemaError) as refused:
        simulated.sign_in_agent("103", Secret(password), "70003")
    message = str(refused.value)
    assert "body.password" in message and "at most 32 characters" in message
    assert not any(password[i:i + 8] in message for i in range(len(password) - 8))
    assert not any(form[:8] in message for form in (repr(password)[1:], password.encode("unicode_escape").decode()))


@pytest.mark.parametrize("url", ["https://user:Planted-Url-Pw@gw.example.com:8043", "https://a-long-t0ken-only-0123@gw:8043"])
def test_url_user_info_is_refused_without_quoting_it(url: str) -> None:
    secret = url.split("//")[1].split("@")[0].split(":")[-1]
    lib = CCGatewayLibrary(url=url)
    with pytest.raises(CCGatewayError) as refused:
        lib.ctx.gateway_url()
    assert "user name or password" in str(refused.value) and secret not in str(refused.value)
    assert secret not in lib.ctx.secrets.scrub(f"Arguments: [ {url} ]")
    with pytest.raises(CCGatewayError) as refused:
        lib.use_gateway(url)
    assert secret not in str(refused.value)


def test_keyword_arguments_with_url_credentials_are_scrubbed_before_robot_records_them() -> None:
    registry = SecretRegistry()
    result = SimpleNamespace(args=("https://me:Arg-Planted-Pw@gw:8043", "ca.pem"))
    SecretScrubber(registry).start_library_keyword(None, None, result)
    assert "Arg-Planted-Pw" not in str(result.args)
    assert "Arg-Planted-Pw" in registry


def test_repr_and_json_escaped_secret_forms_are_scrubbed() -> None:
    registry = SecretRegistry()
    secret = "quo\"te\\back\nline-ü"
    registry.register(secret)
    for text in (repr(secret), f"{{'password': {secret!r}}}", f'"{secret}"'.encode("unicode_escape").decode(),
                 __import__("json").dumps({"p": secret}), __import__("html").escape(secret)):
        assert "back" not in registry.scrub(text), text


def test_guid_with_line_break_is_refused_before_sending_without_echo() -> None:
    registry = SecretRegistry()
    session = GatewaySession("https://127.0.0.1:9", guid=GuidHolder(registry), connect_retries=0)
    with pytest.raises(TransportError) as refused:
        session.send("GET", "/x", send_guid=Secret("abcd-planted\r\nX-Injected: 1"))
    message = str(refused.value)
    assert "Guid header" in message and "line break" in message
    assert "planted" not in message and "Injected" not in message


# ---------------------------------------------------------------- what is sent


class Capture(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        response = requests.Response()
        response.status_code, response._content, response.url = 200, b'{"retcode": "0", "message": ""}', request.url
        return response

    def close(self) -> None:
        pass


def _capturing_session() -> tuple[GatewaySession, Capture]:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(SecretRegistry()))
    capture = Capture()
    session._http.mount("https://", capture)
    return session, capture


@pytest.mark.parametrize("segment", ["..", "."])
def test_dot_segments_stay_one_quoted_path_segment(segment: str) -> None:
    interface = load_catalogue().interface("getAgentStatus")
    session, capture = _capturing_session()
    session.send("GET", interface.url_path({"agentid": segment}), send_guid=Secret("guid-value-x"))
    sent = capture.sent[0].url or ""
    assert sent.endswith(interface.path.format(agentid=segment.replace(".", "%2E"))), sent


def test_raw_text_body_that_is_json_is_sent_as_json_and_other_text_as_is() -> None:
    lib = CCGatewayLibrary(url="https://gw.example:8043")
    session, capture = _capturing_session()
    lib.ctx.new_session = lambda: session  # type: ignore[method-assign]
    lib.send_raw_request("confJoin", body='{"callid": "", "password": "Raw-Planted-Pw"}', agent_id="101")
    lib.send_raw_request("confJoin", body='{"callid": broken password=Raw-Text-Pw', agent_id="101")
    assert capture.sent[0].body == b'{"callid": "", "password": "Raw-Planted-Pw"}'
    assert capture.sent[1].body == b'{"callid": broken password=Raw-Text-Pw'
    assert "Raw-Planted-Pw" in lib.ctx.secrets and "Raw-Text-Pw" in lib.ctx.secrets


def test_text_body_is_redacted_in_what_the_library_logs() -> None:
    exchange = Exchange("PUT", "https://gw/x", 200, "OK", {}, '{"password": "Txt-Pw-1", "x": 1} password=Txt-Pw-2',
                        {}, "echo: password=Txt-Pw-3", 1.0)
    logged = str(exchange.redacted_request()) + str(exchange.redacted_response())
    assert not any(f"Txt-Pw-{n}" in logged for n in (1, 2, 3)), logged


# ---------------------------------------------------------------- schema patterns


@pytest.mark.parametrize("agent_id", ["101\n", "101\r\n", "1\n01", "\n101"])
def test_agent_id_with_line_break_is_refused(agent_id: str) -> None:
    catalogue = load_catalogue()
    interface = catalogue.interface("getAgentStatus")
    with pytest.raises(RequestSchemaError, match=r"path\.agentid"):
        catalogue.check_request(interface, {"path": {"agentid": agent_id}, "query": {}, "body": None})


def test_redact_import_argument_extends_the_policy() -> None:
    lib = CCGatewayLibrary(redact=["header:X-Api-Key", "field:pin", "path:result.code", "pattern:ticket-([0-9]+)"])
    policy = lib.ctx.policy
    assert policy.redact_headers({"x-api-key": "k1"}) == {"x-api-key": "<redacted>"}
    assert policy.redact_json({"a": {"PIN": "1234"}, "result": {"code": "c", "other": "o"}}) == \
        {"a": {"PIN": "<redacted>"}, "result": {"code": "<redacted>", "other": "o"}}
    assert policy.redact_patterns("see ticket-4711 now") == "see ticket-<redacted> now"
    with pytest.raises(CCGatewayError, match="must look like <kind>:<value>"):
        CCGatewayLibrary(redact="nonsense")


def test_many_unknown_fields_give_a_bounded_message() -> None:
    catalogue = load_catalogue()
    interface = catalogue.interface("callout")
    body = {"called": "123", **{f"unknown-{n:05d}-" + "x" * 100: n for n in range(3000)}}
    with pytest.raises(RequestSchemaError) as refused:
        catalogue.check_request(interface, {"path": {"agentid": "101"}, "query": {}, "body": body})
    assert len(str(refused.value)) < 1000 and "and 2995 more" in str(refused.value)


# ---------------------------------------------------------------- hand-over between sign-ins


class FedSession:
    """A poller's session whose polls return what the test feeds it, when it feeds it."""

    def __init__(self) -> None:
        import queue

        self.replies: queue.Queue[Exchange] = queue.Queue()

    def feed(self, *events: dict[str, Any]) -> None:
        for event in events:
            self.replies.put(_exchange({"message": "", "retcode": "0", "event": event}))

    def close(self) -> None:
        pass

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        import queue

        try:
            return self.replies.get(timeout=2.0)  # a parked poll: long enough for the test to feed it
        except queue.Empty:
            return _exchange({"message": "", "retcode": "0", "event": None})


BAD_HOLD = {"eventType": "AgentEvent_Hold", "workNo": "101", "content": {"not": "a call id"}}


def _fed_poller() -> tuple[EventPoller, EventJournal, FedSession]:
    session, journal = FedSession(), EventJournal("101")
    poller = EventPoller(session, load_catalogue(), "101", journal, poll_interval=0.01)  # type: ignore[arg-type]
    poller.start()
    return poller, journal, session


def _settle(journal: EventJournal, count: int) -> None:
    found, _ = journal.wait_for(Cursor(), lambda r: r.seq == count, timeout=5)
    assert found is not None, [r.name for r in journal.events()]


def test_held_events_return_to_the_session_when_the_new_sign_in_fails() -> None:
    poller, journal, session = _fed_poller()
    try:
        session.feed(IN_SERVICE)
        _settle(journal, 1)
        poller.hold_events()
        session.feed(READY, BAD_HOLD)
        threading.Event().wait(0.3)
        assert [r.name for r in journal.events()] == ["AgentOther_InService"]  # held back, not lost
        poller.resume()
        assert [r.name for r in journal.events()] == ["AgentOther_InService", "AgentState_Ready", "AgentEvent_Hold"]
        assert journal.events()[1].schema_problem is None and journal.events()[2].schema_problem is not None
        session.feed(READY)
        _settle(journal, 4)
        assert poller.running
    finally:
        poller.stop()


def test_hand_over_sends_held_and_late_events_to_the_new_journal() -> None:
    poller, journal, session = _fed_poller()
    successor = EventJournal("101")
    try:
        poller.hold_events()
        session.feed(IN_SERVICE)
        threading.Event().wait(0.3)
        poller.hand_over(successor)
        assert [r.name for r in successor.events()] == ["AgentOther_InService"]
        assert journal.events() == [] and not poller.running
        session.feed(BAD_HOLD)  # what the last, still parked poll brings
        _settle(successor, 2)
        assert successor.events()[1].schema_problem is not None
        assert journal.events() == []
    finally:
        poller.stop()


def test_retired_handle_closes_its_journal_and_session(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("104", PASSWORD, "70004")
    old = simulated.ctx.agent("104")
    try:
        simulated.sign_in_agent("104", PASSWORD, "70004", force=True)
        assert old.poller is None and old.journal.closed_reason == "signed in again"
        assert simulated.ctx.agent("104") is not old
    finally:
        simulated.sign_out_agent(force=True)


# ---------------------------------------------------------------- found in review


def test_redirect_is_not_followed_so_guid_and_body_stay_with_the_gateway(simulated: CCGatewayLibrary) -> None:
    import http.server

    seen: list[str] = []

    class Elsewhere(http.server.BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            seen.append(str(self.headers.get("Guid")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    thief = http.server.HTTPServer(("127.0.0.1", 0), Elsewhere)
    threading.Thread(target=thief.serve_forever, daemon=True).start()
    session, capture = _capturing_session()

    def redirect(request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        capture.sent.append(request)
        response = requests.Response()
        response.status_code, response.url, response._content = 307, request.url, b""
        response.headers["Location"] = f"http://127.0.0.1:{thief.server_port}/stolen"
        response.request = request
        return response

    capture.send = redirect  # type: ignore[method-assign]
    try:
        exchange = session.send("PUT", "/agentgateway/x", body={"password": "Redirect-Pw"}, send_guid=Secret("g" * 9))
    finally:
        thief.shutdown()
    assert exchange.status == 307 and len(capture.sent) == 1 and seen == []


def test_reusing_an_alias_for_another_agent_does_not_mix_their_events(simulated: CCGatewayLibrary) -> None:
    simulated.sign_in_agent("105", PASSWORD, "70005", alias="desk")
    simulated.wait_for_event("AgentState_Ready")
    first = simulated.ctx.agent("desk")
    try:
        simulated.sign_in_agent("106", PASSWORD, "70006", alias="desk")
        assert first.poller is None and first.journal.closed_reason == "alias 'desk' now names agent 106"
        simulated.wait_for_event("AgentState_Ready")
        assert {r.event["workNo"] for r in simulated.ctx.agent("desk").journal.events()} == {"106"}
    finally:
        simulated.sign_out_agent(force=True)


def test_raw_body_with_a_secret_inside_is_sent_by_value_and_stays_masked() -> None:
    lib = CCGatewayLibrary(url="https://gw.example:8043")
    session, capture = _capturing_session()
    lib.ctx.new_session = lambda: session  # type: ignore[method-assign]
    lib.send_raw_request("confJoin", body={"callid": "1-1", "token": Secret("Nested-Secret-77")}, agent_id="101")
    assert capture.sent[0].body == b'{"callid": "1-1", "token": "Nested-Secret-77"}'
    assert "Nested-Secret-77" in lib.ctx.secrets


def test_deep_raw_body_is_sent_and_logged_without_recursion_or_refused_in_words() -> None:
    lib = CCGatewayLibrary(url="https://gw.example:8043")
    session, capture = _capturing_session()
    lib.ctx.new_session = lambda: session  # type: ignore[method-assign]

    def nested(depth: int) -> Any:
        document: Any = "x"
        for _ in range(depth):
            document = [document]
        return document

    lib.send_raw_request("confJoin", body={"callid": nested(200)}, agent_id="101")
    assert capture.sent[0].body.startswith(b'{"callid": [[[')
    with pytest.raises(TransportError, match="not sent, the body cannot be written as JSON"):
        lib.send_raw_request("confJoin", body={"callid": nested(5000)}, agent_id="101")


@pytest.mark.parametrize("url", ["https://[::1", "https://gw:port"])
def test_malformed_gateway_url_is_refused_in_words(url: str) -> None:
    with pytest.raises(CCGatewayError, match=r"^Gateway URL is not a URL"):
        CCGatewayLibrary().use_gateway(url)
