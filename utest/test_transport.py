"""Transport: redaction, Guid handling, secrets, and HTTPS sessions against a simulator in a thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from requests.structures import CaseInsensitiveDict
from robot.api.types import Secret

from CCGatewayLibrary.catalogue import Catalogue, load_catalogue
from CCGatewayLibrary.errors import TransportError
from CCGatewayLibrary.events import Cursor, EventJournal, EventPoller
from CCGatewayLibrary.secrets import MASK, SecretRegistry, find_leaks
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import Endpoint, SimulatorRunner
from CCGatewayLibrary.transport import Exchange, GatewaySession, GuidHolder, redact_headers, redact_json
from CCGatewayLibrary.transport.redaction import REDACTED

GUID = "0f8fad5b-d9cb-469f-a165-70867728950e.AgentGateway0"
OTHER_GUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7.AgentGateway1"
POLL_WAIT = 0.5
PHONE = "70001"


# ---------------------------------------------------------------- redaction


def test_redact_headers_case_insensitive() -> None:
    headers = {"Guid": GUID, "SET-GUID": f"JSESSIONID={GUID}", "cookie": "a=b", "Set-Cookie": "c=d",
               "AUTHORIZATION": "Bearer x", "Service_Token": "tok", "Content-Type": "application/json"}
    redacted = redact_headers(headers)
    assert redacted == {"Guid": REDACTED, "SET-GUID": REDACTED, "cookie": REDACTED, "Set-Cookie": REDACTED,
                        "AUTHORIZATION": REDACTED, "Service_Token": REDACTED, "Content-Type": "application/json"}
    assert headers["Guid"] == GUID  # the original is left alone


def test_redact_json_nested_and_case_insensitive() -> None:
    document = {
        "Password": "pw1",
        "phonenum": "70001",
        "nested": {"GUID": GUID, "serviceToken": "tok", "keep": [1, {"oldPassword": "pw2", "x": "y"}]},
        "list": [{"newpassword": "pw3"}, "plain", {"service_token": "tok2"}],
    }
    redacted = redact_json(document)
    assert redacted == {
        "Password": REDACTED,
        "phonenum": "70001",
        "nested": {"GUID": REDACTED, "serviceToken": REDACTED, "keep": [1, {"oldPassword": REDACTED, "x": "y"}]},
        "list": [{"newpassword": REDACTED}, "plain", {"service_token": REDACTED}],
    }
    assert document["Password"] == "pw1"


@pytest.mark.parametrize("value", [None, "text", 7, ["a", 1]])
def test_redact_json_leaves_plain_values(value: Any) -> None:
    assert redact_json(value) == value


def test_exchange_redacts_request_and_response() -> None:
    exchange = Exchange("PUT", "https://gw/x", 200, "OK", {"Guid": GUID, "Content-Type": "application/json"},
                        {"password": "pw", "phonenum": "1"}, {"Set-GUID": f"JSESSIONID={GUID}"},
                        '{"retcode": "0"}', 1.0, json={"retcode": "0", "result": {"guid": GUID}})
    request, response = exchange.redacted_request(), exchange.redacted_response()
    assert request == {"headers": {"Guid": REDACTED, "Content-Type": "application/json"},
                       "body": {"password": REDACTED, "phonenum": "1"}}
    assert response == {"headers": {"Set-GUID": REDACTED}, "body": {"retcode": "0", "result": {"guid": REDACTED}}}
    assert GUID not in repr((request, response))


# ---------------------------------------------------------------- Guid holder and secrets


def test_guid_holder_takes_guid_from_set_guid() -> None:
    registry = SecretRegistry()
    holder = GuidHolder(registry)
    assert holder.guid is None
    assert holder.take_from(CaseInsensitiveDict({"Set-GUID": f"JSESSIONID={GUID}; Path=/; Secure"}))
    assert isinstance(holder.guid, Secret)
    assert holder.guid.value == GUID
    assert GUID in registry
    assert holder.changes == 1


def test_guid_holder_same_guid_is_no_change() -> None:
    holder = GuidHolder(SecretRegistry())
    assert holder.take_from({"Set-GUID": f"JSESSIONID={GUID}"})
    assert not holder.take_from({"Set-GUID": f"JSESSIONID={GUID}"})
    assert holder.changes == 1
    assert holder.take_from({"Set-GUID": f"JSESSIONID={OTHER_GUID}"})
    assert holder.guid is not None and holder.guid.value == OTHER_GUID
    assert holder.changes == 2


def test_guid_holder_header_name_is_case_insensitive_in_responses() -> None:
    holder = GuidHolder(SecretRegistry())
    assert holder.take_from(CaseInsensitiveDict({"set-guid": f"JSESSIONID={GUID}"}))
    assert holder.guid is not None and holder.guid.value == GUID


@pytest.mark.parametrize("headers", [{}, {"Set-GUID": ""}, {"Set-GUID": "OTHER=abc"}, {"Guid": GUID}])
def test_guid_holder_ignores_headers_without_guid(headers: dict[str, str]) -> None:
    registry = SecretRegistry()
    holder = GuidHolder(registry)
    assert not holder.take_from(headers)
    assert holder.guid is None
    assert holder.changes == 0


def test_guid_holder_clear() -> None:
    holder = GuidHolder(SecretRegistry())
    holder.take_from({"Set-GUID": f"JSESSIONID={GUID}"})
    holder.clear()
    assert holder.guid is None


def test_secret_registry_scrub() -> None:
    registry = SecretRegistry()
    registry.register("hunter22")
    registry.register(Secret("hunter22-longer"))
    registry.register("abc")  # too short to mask
    registry.register(None)
    registry.register("")
    assert "hunter22" in registry and "hunter22-longer" in registry
    assert "abc" not in registry
    text = "pw=hunter22 other=hunter22-longer abc"
    assert registry.scrub(text) == f"pw={MASK} other={MASK} abc"
    assert registry.scrub("") == ""
    assert registry.scrub("nothing secret") == "nothing secret"


def test_find_leaks() -> None:
    text = f"password=hunter22 Guid: {GUID} and {GUID} again"
    leaks = find_leaks(text, ["hunter22", "absent-value", ""])
    assert leaks == ["hun... (known secret)", "0f8fad5b... (Guid)"]
    assert find_leaks("clean text, retcode 100-002", ["hunter22"]) == []
    assert find_leaks(f"masked {MASK}", ["hunter22"]) == []


# ---------------------------------------------------------------- against the simulator


@pytest.fixture(scope="module")
def runner() -> Iterator[SimulatorRunner]:
    started = SimulatorRunner(SimulatorConfig(poll_wait=POLL_WAIT))
    started.endpoint = started.start_in_thread()  # type: ignore[attr-defined]
    yield started
    started.stop()


@pytest.fixture(scope="module")
def endpoint(runner: SimulatorRunner) -> Endpoint:
    return runner.endpoint  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def registry() -> SecretRegistry:
    return SecretRegistry()


def _session(endpoint: Endpoint, registry: SecretRegistry, **options: Any) -> GatewaySession:
    options.setdefault("verify", str(endpoint.ca_file))
    options.setdefault("connect_timeout", 5.0)
    options.setdefault("read_timeout", 5.0)
    return GatewaySession(endpoint.url, guid=GuidHolder(registry), **options)


def _sign_in(session: GatewaySession, catalogue: Catalogue, agent_id: str) -> Exchange:
    login = catalogue.interface("login")
    body = {"password": Roster.load().password_of(agent_id), "phonenum": PHONE}
    catalogue.check_request(login, {"path": {"agentid": agent_id}, "query": {}, "body": body})
    return session.send(login.method, login.url_path({"agentid": agent_id}), body=body,
                        send_guid=login.guid_required)


def _call(session: GatewaySession, catalogue: Catalogue, name: str, agent_id: str, **kwargs: Any) -> Exchange:
    interface = catalogue.interface(name)
    return session.send(interface.method, interface.url_path({"agentid": agent_id}), **kwargs)


def test_sign_in_with_ca_file_takes_guid(endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry) -> None:
    session = _session(endpoint, registry)
    try:
        exchange = _sign_in(session, catalogue, "201")
        assert exchange.status == 200
        assert exchange.json["retcode"] == "0", exchange.text
        catalogue.check_response(catalogue.interface("login"), exchange.json)
        assert exchange.guid_changed
        guid = session.guid.guid
        assert guid is not None
        assert exchange.response_headers["Set-GUID"] == f"JSESSIONID={guid.value}"
        assert guid.value in registry
        assert "Guid" not in exchange.request_headers  # login sends no Guid
        assert exchange.redacted_request()["body"]["password"] == REDACTED
        # the Guid works: a Guid-protected interface answers retcode 0
        status = _call(session, catalogue, "getAgentStatus", "201")
        assert status.json["retcode"] == "0", status.text
        assert status.request_headers["Guid"] == guid.value
        logout = _call(session, catalogue, "logout", "201")
        assert logout.json["retcode"] == "0", logout.text
    finally:
        session.close()


def test_wrong_guid_is_refused(endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry) -> None:
    session = _session(endpoint, registry)
    try:
        assert _sign_in(session, catalogue, "202").json["retcode"] == "0"
        refused = _call(session, catalogue, "getAgentStatus", "202", send_guid=Secret(OTHER_GUID))
        assert refused.json["retcode"] == "000-003"
        assert _call(session, catalogue, "logout", "202").json["retcode"] == "0"
    finally:
        session.close()


def test_system_trust_store_fails_with_tls_error(
    runner: SimulatorRunner, endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry
) -> None:
    session = _session(endpoint, registry, verify=True, connect_retries=0)
    served = runner.simulator.requests_served
    try:
        with pytest.raises(TransportError, match="TLS") as caught:
            _sign_in(session, catalogue, "203")
    finally:
        session.close()
    assert "ca_bundle" in str(caught.value)
    assert Roster.load().password_of("203") not in str(caught.value)
    assert runner.simulator.requests_served == served
    assert session.guid.guid is None


def test_closed_port_fails_with_transport_error(registry: SecretRegistry) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = GatewaySession(f"https://127.0.0.1:{port}", guid=GuidHolder(registry), connect_timeout=1.0,
                             connect_retries=0)
    try:
        refused = r"^GET /agentgateway/x at 127.0.0.1:\d+: cannot reach the gateway or the connection broke: " \
            r"\[Errno 111\] Connection refused\.$"
        with pytest.raises(TransportError, match=refused) as caught:
            session.send("GET", "/agentgateway/x", send_guid=Secret(GUID))
        assert GUID not in str(caught.value)
    finally:
        session.close()


def test_poll_timeout_is_not_resent(
    runner: SimulatorRunner, endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry
) -> None:
    session = _session(endpoint, registry)
    try:
        assert _sign_in(session, catalogue, "204").json["retcode"] == "0"
        # take the two sign-in events, so the next poll is held for poll_wait
        names = [_call(session, catalogue, "getAgentEvent", "204").json["event"]["eventType"] for _ in range(2)]
        assert names == ["AgentOther_InService", "AgentState_Ready"]
        before = runner.simulator.requests_served
        with pytest.raises(TransportError, match=r"no reply within 0\.125 s"):
            _call(session, catalogue, "getAgentEvent", "204", read_timeout=POLL_WAIT / 4)
        assert runner.simulator.requests_served == before + 1
        # a fresh request still works and is counted once
        assert _call(session, catalogue, "logout", "204").json["retcode"] == "0"
        assert runner.simulator.requests_served == before + 2
    finally:
        session.close()


def test_read_timeout_is_reported_as_no_reply_in_time(
    endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry
) -> None:
    session = _session(endpoint, registry)
    try:
        assert _sign_in(session, catalogue, "206").json["retcode"] == "0"
        for _ in range(2):
            _call(session, catalogue, "getAgentEvent", "206")
        with pytest.raises(TransportError, match=r"no reply within 0\.125 s"):
            _call(session, catalogue, "getAgentEvent", "206", read_timeout=POLL_WAIT / 4)
    finally:
        _call(session, catalogue, "logout", "206")
        session.close()


def test_poller_fills_journal_and_stops_after_sign_out(
    endpoint: Endpoint, catalogue: Catalogue, registry: SecretRegistry
) -> None:
    session = _session(endpoint, registry)
    journal = EventJournal("205")
    poller: EventPoller | None = None
    try:
        assert _sign_in(session, catalogue, "205").json["retcode"] == "0"
        poller = EventPoller(session.sibling(), catalogue, "205", journal, poll_interval=0.05, poll_wait=POLL_WAIT)
        poller.start()
        cursor = Cursor()
        found, passed = journal.wait_for(cursor, lambda r: r.name == "AgentState_Ready", timeout=10)
        assert found is not None, journal.problems()
        assert [r.name for r in journal.events()] == ["AgentOther_InService", "AgentState_Ready"]
        assert [r.seq for r in journal.events()] == [1, 2]
        assert [r.name for r in passed] == ["AgentOther_InService"]
        assert all(r.schema_problem is None for r in journal.events())
        assert all(r.event["workNo"] == "205" for r in journal.events())
        assert _call(session, catalogue, "logout", "205").json["retcode"] == "0"
        found, _ = journal.wait_for(cursor, lambda r: True, timeout=10)  # ends when the journal closes
        assert found is None
        assert journal.closed_reason is not None
        assert "100-006" in journal.closed_reason
        assert journal.closed_reason.startswith("polling stopped")
        poller._thread.join(5)
        assert not poller.running
        assert not poller._thread.is_alive()
    finally:
        if poller is not None:
            poller.stop()
        session.close()


def test_sessions_share_guid_with_sibling(endpoint: Endpoint, registry: SecretRegistry) -> None:
    session = _session(endpoint, registry)
    twin = session.sibling()
    try:
        assert twin.guid is session.guid
        assert twin.verify == session.verify
        assert twin.base_url == session.base_url == endpoint.url
    finally:
        twin.close()
        session.close()


def test_simulator_runs_in_its_own_thread(runner: SimulatorRunner) -> None:
    assert any(thread.name == "ccgw-sim" for thread in threading.enumerate())
    assert runner.ca_file.is_file()


# ---------------------------------------------------------------- what a session sends and keeps


class _Answering(requests.adapters.BaseAdapter):
    """Stands at the transport's edge: records each prepared request and answers after ``delay``."""

    def __init__(self, body: bytes = b'{"retcode": "0", "message": ""}', delay: float = 0.0) -> None:
        super().__init__()
        self.body, self.delay = body, delay
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        import time

        self.sent.append(request)
        time.sleep(self.delay)
        response = requests.Response()
        response.status_code, response.reason, response.url, response._content = 200, "OK", request.url, self.body
        return response

    def close(self) -> None:
        pass


def test_session_defaults_are_safe(registry: SecretRegistry) -> None:
    session = GatewaySession("https://gw.example:8043/", guid=GuidHolder(registry))
    assert session.base_url == "https://gw.example:8043" and session.host == "gw.example:8043"
    assert session.verify is True and (session.connect_timeout, session.read_timeout) == (5.0, 10.0)
    retry = session._http.get_adapter("https://gw.example:8043").max_retries
    # only a connection that could not be opened is tried again: nothing that may have reached the gateway
    assert (retry.total, retry.connect, retry.read, retry.status, retry.other, retry.redirect) == (2, 2, 0, 0, 0, 0)
    assert retry.allowed_methods is None and retry.raise_on_status is False and retry.backoff_factor == 0.1
    assert type(session._http.get_adapter("https://gw.example:8043")).__name__ == "_WatchedAdapter"
    twin = session.sibling()
    assert (twin.base_url, twin.verify, twin.connect_timeout, twin.read_timeout, twin.policy) == \
        (session.base_url, session.verify, session.connect_timeout, session.read_timeout, session.policy)
    assert twin._http.get_adapter("https://gw.example:8043").max_retries.total == 2


def test_request_carries_json_query_and_guid_and_the_exchange_says_what_happened(registry: SecretRegistry) -> None:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(registry), read_timeout=3.0)
    edge = _Answering(delay=0.05)
    session._http.mount("https://", edge)
    exchange = session.send("POST", "/agentgateway/x", query={"reason": "201"}, body={"a": 1},
                            send_guid=Secret(GUID))
    sent = edge.sent[0]
    assert sent.url == "https://gw.example:8043/agentgateway/x?reason=201"
    assert sent.headers["Content-Type"] == "application/json; charset=UTF-8" and sent.headers["Guid"] == GUID
    assert sent.body == b'{"a": 1}'
    assert (exchange.method, exchange.url, exchange.status, exchange.reason) == \
        ("POST", "https://gw.example:8043/agentgateway/x", 200, "OK")
    assert exchange.json == {"retcode": "0", "message": ""} and exchange.text == '{"retcode": "0", "message": ""}'
    assert 40 <= exchange.elapsed_ms < 2000
    assert session.send("GET", "/y").request_headers == {"Content-Type": "application/json; charset=UTF-8"}
    assert edge.sent[1].url == "https://gw.example:8043/y"


@pytest.mark.parametrize(("body", "json_value", "why"), [
    (b"", None, None),
    (b"<html>", None, "not JSON"),
    (b"[" * 70 + b"]" * 70, None, "JSON nested more than 64 levels deep"),
    (b'"text"', "text", None),
])
def test_reply_body_is_parsed_only_when_it_is_reasonable_json(registry: SecretRegistry, body: bytes,
                                                                json_value: Any, why: str | None) -> None:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(registry))
    session._http.mount("https://", _Answering(body))
    exchange = session.send("GET", "/x")
    assert (exchange.json, exchange.not_json, exchange.text) == (json_value, why, body.decode())


def test_non_json_reply_is_redacted_as_text() -> None:
    exchange = Exchange("GET", "https://gw/x", 502, "Bad Gateway", {}, None, {"Set-GUID": f"JSESSIONID={GUID}"},
                        f"<html>password=hunter22 JSESSIONID={GUID}</html>", 1.0)
    response = exchange.redacted_response()
    assert response == {"headers": {"Set-GUID": REDACTED},
                        "body": f"<html>password={REDACTED} JSESSIONID={REDACTED}</html>"}
