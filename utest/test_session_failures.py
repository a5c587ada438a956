"""What a request that got no usable reply says, word for word, for each way a gateway can fail.

Most causes are real: the scripted gateway of hostile_gateway.py answers with the fault, and the session
reports it. A few shapes that only other urllib3 versions or rare socket errors produce are raised by an
adapter, built the way urllib3 and requests build them.
"""

from __future__ import annotations

import errno
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hostile_gateway import Behaviour, Certificates, HostileGateway, close_connection, http_reply, raw_bytes
from requests.adapters import BaseAdapter
from robot.api.types import Secret
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ProtocolError, ReadTimeoutError

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError, TransportError
from CCGatewayLibrary.secrets import SecretRegistry
from CCGatewayLibrary.transport import GatewaySession, GuidHolder
from CCGatewayLibrary.transport.session import _innermost

SAY_FREE = "/agentgateway/resource/onlineagent/101/sayfree"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("session-failures-tls"))


@pytest.fixture(scope="module")
def gateway(certs: Certificates) -> Iterator[HostileGateway]:
    with HostileGateway(certs.server_context()) as started:
        yield started


def _failure(session: GatewaySession, path: str = SAY_FREE, **request: Any) -> str:
    with pytest.raises(TransportError) as failed:
        session.send("POST", path, **request)
    return str(failed.value)


def _session(url: str, **settings: Any) -> GatewaySession:
    return GatewaySession(url, guid=GuidHolder(SecretRegistry()), connect_timeout=1, read_timeout=2, **settings)


# ---------------------------------------------------------------- faults of a real gateway


@pytest.mark.parametrize(
    ("fault", "cause"),
    [
        pytest.param(close_connection(), "the gateway closed the connection without a reply", id="closed"),
        pytest.param(
            raw_bytes(b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5 and the rest of a long banner\r\n"),
            "the gateway's reply is not HTTP (it began 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5')",
            id="not-http-quoted-40-characters",
        ),
        pytest.param(
            raw_bytes(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n"),
            "the gateway's reply is malformed HTTP (LineTooLong: got more than 65536 bytes when reading header line)",
            id="header-too-long",
        ),
        pytest.param(
            raw_bytes(http_reply(200, b'{"a"', content_length=100)),
            "the gateway's reply is malformed HTTP (IncompleteRead: IncompleteRead(4 bytes read, 96 more expected))",
            id="body-shorter-than-announced",
        ),
    ],
)
def test_a_broken_reply_is_named_in_words(
    certs: Certificates, gateway: HostileGateway, fault: Behaviour, cause: str
) -> None:
    gateway.script("sayFree", fault)
    session = _session(gateway.url, verify=str(certs.ca_file))
    assert _failure(session) == f"POST {SAY_FREE} at {gateway.host}: {cause}."


def test_an_untrusted_certificate_says_how_to_trust_it(certs: Certificates) -> None:
    with HostileGateway(certs.server_context("untrusted")) as untrusted:
        message = _failure(_session(untrusted.url, verify=str(certs.ca_file)))
        assert message == (
            f"POST {SAY_FREE} at {untrusted.host}: TLS verification failed ([SSL: "
            "CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
            "certificate (_ssl.c:1006)). Trust the gateway's CA with ca_bundle=<file>."
        )
        assert untrusted.requests == []


def test_a_session_verifies_the_certificate_unless_told_whom_to_trust(gateway: HostileGateway) -> None:
    # The test CA is in no system bundle: without verify=<ca file>, the gateway is not trusted.
    message = _failure(GatewaySession(gateway.url, guid=GuidHolder(SecretRegistry())))
    assert "TLS verification failed" in message


@pytest.fixture
def silent_listener() -> Iterator[str]:
    """A TCP port that accepts connections and never says a word: a TLS handshake there never finishes."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_handshake_that_never_finishes_is_named_with_the_connect_timeout(silent_listener: str) -> None:
    session = GatewaySession(
        f"https://{silent_listener}",
        guid=GuidHolder(SecretRegistry()),
        connect_timeout=0.2,
        read_timeout=5,
        connect_retries=0,
    )
    assert _failure(session) == f"POST {SAY_FREE} at {silent_listener}: the TLS handshake did not finish within 0.2 s."


def test_a_refused_connection_names_the_cause() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    session = _session(f"https://127.0.0.1:{port}", connect_retries=0)
    assert _failure(session) == (
        f"POST {SAY_FREE} at 127.0.0.1:{port}: cannot reach the gateway or the connection "
        "broke: [Errno 111] Connection refused."
    )


# ---------------------------------------------------------------- refused before sending


def test_a_body_json_cannot_write_is_not_sent() -> None:
    session = _session("https://gw.example:8043")
    assert _failure(session, body={"amount": float("nan")}) == (
        f"POST {SAY_FREE} at gw.example:8043: not sent, the body cannot be written as JSON (Out of range float "
        "values are not JSON compliant)."
    )


def test_a_header_value_with_a_line_break_is_refused_word_for_word() -> None:
    session = _session("https://gw.example:8043")
    assert _failure(session, headers={"X-Trace": "a\r\nb"}) == (
        f"POST {SAY_FREE} at gw.example:8043: not sent, the X-Trace header's value holds a line break, control or "
        "non-ASCII character."
    )


def test_a_header_value_requests_refuses_is_quoted_from_its_refusal() -> None:
    message = _failure(_session("https://gw.example:8043"), headers={"X-Trace": " padded"})
    assert message == (
        f"POST {SAY_FREE} at gw.example:8043: Invalid leading whitespace, reserved character(s), or "
        "return character(s) in header value: ' padded'."
    )


def test_messages_name_the_host_without_user_info() -> None:
    session = _session("https://agent:Url-Planted-Pw@gw.example:8043")
    assert _failure(session, headers={"X-Trace": "\x00"}).startswith(f"POST {SAY_FREE} at gw.example:8043: not sent")


def test_a_gateway_url_with_an_empty_host_label_is_refused_in_words() -> None:
    # Found by mutation triage: it used to pass the URL check and fail later as "a body that cannot be JSON".
    library = CCGatewayLibrary(url="https://gw..example:8043")
    with pytest.raises(CCGatewayError) as refused:
        library.sign_in_agent("101", Secret("Label-Planted-Pw"), "70001")
    assert "JSON" not in str(refused.value) and "gw..example" in str(refused.value)


# ---------------------------------------------------------------- error shapes raised by an adapter


class Raising(BaseAdapter):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        raise self.error

    def close(self) -> None:
        pass


def _caused(error: BaseException, cause: BaseException) -> BaseException:
    error.__cause__ = cause
    return error


URL = f"https://gw.example:8043{SAY_FREE}"


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        pytest.param(
            requests.exceptions.ConnectTimeout(
                MaxRetryError(
                    None,
                    URL,
                    _caused(  # type: ignore[arg-type]
                        ConnectTimeoutError(None, "Connection to gw.example timed out. (connect timeout=1)"),
                        TimeoutError("timed out"),
                    ),
                )
            ),
            "could not connect within 1 s (timed out)",
            id="connect-timeout",
        ),
        pytest.param(
            requests.exceptions.ConnectionError(
                MaxRetryError(
                    None,
                    URL,
                    ProtocolError(  # type: ignore[arg-type]
                        "Connection aborted.", TimeoutError("The write operation timed out")
                    ),
                )
            ),
            "no reply within 2 s",
            id="request-could-not-be-written-in-time",
        ),
        pytest.param(
            requests.exceptions.ReadTimeout(
                _caused(
                    ReadTimeoutError(None, URL, "Read timed out."),  # type: ignore[arg-type]
                    BlockingIOError(errno.EAGAIN, "Resource unavailable"),
                )
            ),
            "no reply within 2 s",
            id="read-timeout-from-a-non-blocking-socket",
        ),
        pytest.param(
            requests.exceptions.ConnectionError(
                MaxRetryError(
                    None,
                    URL,
                    ProtocolError(  # type: ignore[arg-type]
                        "Connection aborted.", __import__("http.client").client.RemoteDisconnected("Remote end closed")
                    ),
                )
            ),
            "the gateway closed the connection without a reply",
            id="urllib3-1.26-cause-only-in-reason",
        ),
    ],
)
def test_a_failure_is_classified_by_its_cause(error: BaseException, cause: str) -> None:
    session = _session("https://gw.example:8043")
    session._http.mount("https://", Raising(error))
    assert _failure(session) == f"POST {SAY_FREE} at gw.example:8043: {cause}."


def test_a_tls_error_caused_by_a_timeout_is_a_handshake_timeout() -> None:
    session = _session("https://gw.example:8043")
    session._http.mount(
        "https://",
        Raising(
            requests.exceptions.SSLError(
                MaxRetryError(  # type: ignore[arg-type]
                    None,
                    URL,
                    _caused(ProtocolError("TLS"), TimeoutError("_ssl.c:989: The handshake operation timed out")),
                )
            )
        ),
    )
    assert _failure(session) == f"POST {SAY_FREE} at gw.example:8043: the TLS handshake did not finish within 1 s."


def test_the_innermost_cause_of_a_cycle_of_causes_is_found() -> None:
    first, second = ValueError("first"), ValueError("second")
    first.__cause__, second.__cause__ = second, first
    found: list[BaseException] = []
    worker = threading.Thread(target=lambda: found.append(_innermost(first)), daemon=True)
    worker.start()
    worker.join(5)  # a cycle followed for ever never returns
    assert found in ([first], [second])
