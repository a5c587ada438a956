"""One HTTPS session to the gateway for one signed-in agent.

The session owns what RequestsLibrary keeps on the library: base URL, TLS trust, connect and read
timeouts, the Guid (and its rotation in dynamic auth) and cookies. It retries only when a connection
could not be opened, because a request that may have reached the gateway must never be sent twice.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from robot.api.types import Secret
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from ..errors import TransportError
from ..secrets import SecretRegistry
from .redaction import redact_headers, redact_json

SET_GUID = re.compile(r"JSESSIONID=([^;\s]+)")
CONTENT_TYPE = "application/json; charset=UTF-8"


class GuidHolder:
    """The agent's current Guid, shared by the command and the polling session."""

    def __init__(self, secrets: SecretRegistry) -> None:
        self._secrets = secrets
        self._guid: Secret | None = None
        self._lock = threading.Lock()
        self.changes = 0

    @property
    def guid(self) -> Secret | None:
        with self._lock:
            return self._guid

    def take_from(self, headers: Any) -> bool:
        """Adopt the Guid of a ``Set-GUID: JSESSIONID=<guid>`` header; True when it changed."""
        header = headers.get("Set-GUID")
        match = SET_GUID.search(header) if header else None
        if not match:
            return False
        value = match.group(1)
        self._secrets.register(value)  # before anything can log it
        with self._lock:
            if self._guid is not None and self._guid.value == value:
                return False
            self._guid = Secret(value)
            self.changes += 1
            return True

    def clear(self) -> None:
        with self._lock:
            self._guid = None


@dataclass
class Exchange:
    """One request and its reply, with everything needed to log it safely."""

    method: str
    url: str
    status: int
    reason: str
    request_headers: dict[str, str]
    request_body: Any
    response_headers: dict[str, str]
    text: str
    elapsed_ms: float
    guid_changed: bool = False
    json: Any = field(default=None)

    @property
    def is_json(self) -> bool:
        return self.json is not None

    def redacted_request(self) -> dict[str, Any]:
        return {"headers": redact_headers(self.request_headers), "body": redact_json(self.request_body)}

    def redacted_response(self) -> dict[str, Any]:
        body = redact_json(self.json) if self.is_json else self.text
        return {"headers": redact_headers(self.response_headers), "body": body}


class GatewaySession:
    def __init__(
        self,
        base_url: str,
        *,
        verify: bool | str = True,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        guid: GuidHolder,
        connect_retries: int = 2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.verify = verify
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.guid = guid
        self._http = requests.Session()
        # Connection errors only: a read error or an error status may mean the gateway acted already.
        retry = Retry(total=connect_retries, connect=connect_retries, read=0, status=0, other=0, redirect=0,
                      allowed_methods=None, backoff_factor=0.1, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        self._http.mount("https://", adapter)
        self._http.mount("http://", adapter)

    def sibling(self) -> GatewaySession:
        """A second session with the same settings and Guid, e.g. for the long poll, sharing cookies."""
        twin = GatewaySession(self.base_url, verify=self.verify, connect_timeout=self.connect_timeout,
                              read_timeout=self.read_timeout, guid=self.guid)
        twin._http.cookies = self._http.cookies
        return twin

    def send(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        send_guid: bool | Secret = True,
        headers: dict[str, str] | None = None,
        read_timeout: float | None = None,
    ) -> Exchange:
        request_headers = {"Content-Type": CONTENT_TYPE}
        guid = self.guid.guid if send_guid is True else send_guid or None
        if guid is not None:
            request_headers["Guid"] = guid.value
        request_headers.update(headers or {})
        url = self.base_url + path
        started = time.perf_counter()
        try:
            response = self._http.request(
                method, url, params=query or None, json=body, headers=request_headers,
                # Per request: a session-level verify loses to REQUESTS_CA_BUNDLE in requests.
                verify=self.verify, timeout=(self.connect_timeout, read_timeout or self.read_timeout),
            )
        except requests.exceptions.SSLError as error:
            raise TransportError(f"{method} {path}: TLS verification failed ({_reason(error)}). Trust the gateway's CA "
                                 "with ca_bundle=<file>.") from None
        except requests.exceptions.Timeout as error:
            raise TransportError(f"{method} {path}: no reply in time ({_reason(error)}).") from None
        except requests.exceptions.ConnectionError as error:
            # With read retries off, urllib3 reports a read timeout as a connection error.
            if isinstance(getattr(error.args[0] if error.args else None, "reason", None), ReadTimeoutError):
                raise TransportError(f"{method} {path}: no reply in time ({_reason(error)}).") from None
            raise TransportError(f"{method} {path}: cannot reach the gateway at {self.base_url}: "
                                 f"{_reason(error)}.") from None
        except (requests.exceptions.RequestException, OSError) as error:
            raise TransportError(f"{method} {path}: {_reason(error)}.") from None
        elapsed = (time.perf_counter() - started) * 1000
        changed = self.guid.take_from(response.headers)
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        return Exchange(method, url, response.status_code, response.reason or "", request_headers, body,
                        dict(response.headers), response.text, elapsed, changed, parsed)

    def close(self) -> None:
        self._http.close()


def _reason(error: Exception) -> str:
    """The innermost cause's text; never the request, so no header value can leak."""
    cause: BaseException = error
    while cause.__cause__ is not None or (cause.args and isinstance(cause.args[0], BaseException)):
        cause = cause.__cause__ or cause.args[0]
    text = str(cause)
    return text.split(": ", 1)[-1] if "Max retries exceeded" in text else text
