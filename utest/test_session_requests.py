"""What a session sends, how often, through which proxy, and what it records of the exchange.

A request that may have reached the gateway is never sent twice; only a connection that could not be opened
is tried again, quickly. The session's own settings (base URL, policy, retries) carry over to its sibling.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import requests
import urllib3.util.connection
import urllib3.util.retry
from hostile_gateway import Certificates, HostileGateway, respond
from requests.adapters import BaseAdapter
from robot.api.types import Secret

from CCGatewayLibrary.errors import TransportError
from CCGatewayLibrary.secrets import SecretRegistry
from CCGatewayLibrary.transport import Exchange, GatewaySession, GuidHolder, RedactionPolicy
from CCGatewayLibrary.transport import session as transport_session
from CCGatewayLibrary.transport.redaction import MAX_JSON_DEPTH, REDACTED

SAY_FREE = "/agentgateway/resource/onlineagent/101/sayfree"


class Capture(BaseAdapter):
    """The gateway at the transport's edge: records each request and its settings, answers ``reply``."""

    def __init__(self, body: bytes = b'{"retcode": "0", "message": ""}', reason: str | None = "OK") -> None:
        super().__init__()
        self.body, self.reason = body, reason
        self.sent: list[requests.PreparedRequest] = []
        self.settings: list[dict[str, Any]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        self.settings.append(kwargs)
        response = requests.Response()
        response.status_code, response._content, response.url, response.reason = (
            200,
            self.body,
            request.url,
            self.reason,
        )
        return response

    def close(self) -> None:
        pass


def _captured(
    url: str = "https://gw.example:8043", adapter: Capture | None = None, **settings: Any
) -> tuple[GatewaySession, Capture]:
    session = GatewaySession(url, guid=GuidHolder(SecretRegistry()), **settings)
    capture = adapter or Capture()
    session._http.mount("https://", capture)
    return session, capture


# ---------------------------------------------------------------- where it goes


@pytest.mark.parametrize(
    ("base", "sent"),
    [
        ("https://gw.example:8043/", "https://gw.example:8043/x"),
        ("https://gw.example:8043/ccX//", "https://gw.example:8043/ccX/x"),
    ],
)
def test_a_base_url_ending_in_slashes_makes_no_empty_segment(base: str, sent: str) -> None:
    session, capture = _captured(base)
    session.send("GET", "/x")
    assert capture.sent[0].url == sent


def test_the_proxy_of_the_environment_carries_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session, capture = _captured()
    session.send("GET", "/x")
    assert capture.settings[0]["proxies"].get("https") == "http://proxy.example:3128"


def test_no_proxy_exempts_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "gw.example")
    session, capture = _captured()
    session.send("GET", "/x")
    assert "https" not in capture.settings[0]["proxies"]


def test_a_ca_bundle_in_the_environment_never_replaces_the_given_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/other-ca.pem")
    session, capture = _captured(verify="/srv/gateway-ca.pem")
    session.send("GET", "/x")
    assert capture.settings[0]["verify"] == "/srv/gateway-ca.pem"


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_without_a_ca_bundle_the_one_the_environment_names_is_used(monkeypatch: pytest.MonkeyPatch,
                                                                   variable: str) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv(variable, "/etc/site-ca.pem")
    session, capture = _captured()
    session.send("GET", "/x")
    assert capture.settings[0]["verify"] == "/etc/site-ca.pem"


def test_the_environment_is_read_when_the_session_is_made_not_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    session, capture = _captured()
    monkeypatch.setattr(os, "environ", {})  # reading the environment now would find nothing
    session.send("GET", "/x")
    assert capture.settings[0]["proxies"].get("https") == "http://proxy.example:3128"


# ---------------------------------------------------------------- how often


@pytest.fixture
def refused(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimpleNamespace]:
    """Every connection attempt is refused and counted; back-off pauses are recorded, not slept."""
    seen = SimpleNamespace(attempts=0, pauses=[])

    def connect(*args: Any, **kwargs: Any) -> socket.socket:
        seen.attempts += 1
        if seen.attempts > 10:  # endless retries would otherwise hang the test
            raise RuntimeError("more than 10 connection attempts")
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    monkeypatch.setattr(urllib3.util.retry, "time", SimpleNamespace(sleep=seen.pauses.append, time=lambda: 0.0))
    yield seen


def test_a_refused_connection_is_tried_three_times_with_short_pauses(refused: SimpleNamespace) -> None:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(SecretRegistry()))
    with pytest.raises(TransportError, match=r"cannot reach the gateway or the connection broke: .*refused"):
        session.send("POST", SAY_FREE)
    assert refused.attempts == 3
    assert 0 < sum(refused.pauses) < 1  # the retries must not eat the keyword's deadline


def test_the_sibling_keeps_the_retry_setting(refused: SimpleNamespace) -> None:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(SecretRegistry()), connect_retries=0)
    with pytest.raises(TransportError, match="cannot reach the gateway"):
        session.sibling().send("GET", "/x")
    assert refused.attempts == 1


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("session-requests-tls"))


def test_a_reply_asking_to_retry_after_a_while_is_not_sent_again(certs: Certificates) -> None:
    with HostileGateway(certs.server_context()) as gateway:
        gateway.script("sayFree", respond(503, b'{"retcode": "1"}', headers={"Retry-After": "0"}))
        session = GatewaySession(gateway.url, verify=str(certs.ca_file), guid=GuidHolder(SecretRegistry()))
        exchange = session.send("POST", SAY_FREE)
        assert (exchange.status, exchange.json) == (503, {"retcode": "1"})
        assert len(gateway.requests_to("sayFree")) == 1


def test_a_certificate_failure_is_not_tried_again(certs: Certificates) -> None:
    with HostileGateway(certs.server_context("untrusted")) as gateway:
        session = GatewaySession(gateway.url, verify=str(certs.ca_file), guid=GuidHolder(SecretRegistry()))
        with pytest.raises(TransportError, match="TLS verification failed"):
            session.send("POST", SAY_FREE)
        gateway.stop()  # joins the connection threads, so every handshake is counted
        assert len(gateway.tls_failures) == 1


# ---------------------------------------------------------------- the sibling


def test_a_cookie_the_gateway_set_goes_with_later_requests_with_the_default_headers() -> None:
    session, capture = _captured()
    session._http.cookies.set("SERVERID", "node-2", domain="gw.example", path="/")
    session.send("POST", "/x", body={"a": 1})
    sent = capture.sent[0]
    assert sent.headers["Cookie"] == "SERVERID=node-2"
    assert sent.headers["Accept"] == "*/*" and sent.headers["User-Agent"].startswith("python-requests/")
    assert sent.headers["Content-Type"] == "application/json; charset=UTF-8" and sent.body == b'{"a": 1}'


def test_the_sibling_has_the_same_settings_guid_and_cookies() -> None:
    policy = RedactionPolicy().extended(["field:pin"])
    session = GatewaySession(
        "https://gw.example:8043",
        verify="/ca.pem",
        connect_timeout=1.5,
        read_timeout=7.0,
        guid=GuidHolder(SecretRegistry()),
        policy=policy,
    )
    twin = session.sibling()
    settings = ("base_url", "host", "verify", "connect_timeout", "read_timeout", "guid", "policy")
    assert [getattr(twin, name) for name in settings] == [getattr(session, name) for name in settings]
    assert twin._http.cookies is session._http.cookies


# ---------------------------------------------------------------- what the exchange records


def test_the_exchange_records_the_time_taken_in_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    session, _ = _captured()
    clock = itertools.chain([100.0, 100.25], itertools.repeat(100.25))
    monkeypatch.setattr(transport_session.time, "perf_counter", lambda: next(clock))
    assert session.send("GET", "/x").elapsed_ms == 250.0


def test_a_reply_without_a_reason_phrase_records_an_empty_one() -> None:
    session, _ = _captured(adapter=Capture(reason=None))
    assert session.send("GET", "/x").reason == ""


def test_the_exchange_redacts_with_the_session_policy() -> None:
    session, _ = _captured(policy=RedactionPolicy().extended(["field:pin"]))
    exchange = session.send("PUT", "/x", body={"pin": "4711", "n": 1}, send_guid=Secret("Guid-Planted-1"))
    assert exchange.redacted_request()["body"] == {"pin": REDACTED, "n": 1}


def _nested(levels: int) -> bytes:
    return ("[" * levels + "]" * levels).encode()


def test_a_reply_nested_to_the_limit_is_json_and_one_level_more_is_not() -> None:
    at_limit, _ = _captured(adapter=Capture(_nested(MAX_JSON_DEPTH)))
    too_deep, _ = _captured(adapter=Capture(_nested(MAX_JSON_DEPTH + 1)))
    assert at_limit.send("GET", "/x").is_json
    exchange = too_deep.send("GET", "/x")
    assert (exchange.json, exchange.not_json) == (None, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        ('{"password": "Str-Pw-1"} rest', '{"password": <redacted>} rest'),
        (b"password=Bytes-Pw-2&x=1", "password=<redacted>&x=1"),
        (b"\xff password=Bytes-Pw-3", "\ufffd password=<redacted>"),
    ],
)
def test_a_text_or_bytes_request_body_is_logged_as_redacted_text(body: str | bytes, logged: str) -> None:
    exchange = Exchange("PUT", "https://gw/x", 200, "OK", {}, body, {}, "", 1.0)
    assert exchange.redacted_request()["body"] == logged


def test_a_json_request_body_is_logged_as_redacted_json() -> None:
    exchange = Exchange("PUT", "https://gw/x", 200, "OK", {}, {"password": "Json-Pw-4"}, {}, "", 1.0)
    assert json.dumps(exchange.redacted_request()["body"]) == '{"password": "<redacted>"}'
