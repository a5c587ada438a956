"""Client of the simulator's control interface, for the library's ``Simulate ...`` keywords."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from ..errors import SimulatorError
from ..protocol import CONTROL_PREFIX, CONTROL_TOKEN_HEADER  # re-exported for older imports


class SimulatorControl:
    def __init__(self, base_url: str, verify: bool | str = True, timeout: float = 10.0, *,
                 token: str | None = None, observe: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/") + CONTROL_PREFIX
        self.verify = verify
        self.timeout = timeout
        self._token = token  # private: only ever sent as a header, never formatted into a message
        self.observe = observe  # told of each control call (method, path, body, status, reply), e.g. to record it

    def __repr__(self) -> str:
        return f"SimulatorControl({self.base_url!r}, token={'set' if self._token else 'none'})"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
              timeout: float | None = None) -> dict[str, Any]:
        headers = {CONTROL_TOKEN_HEADER: self._token} if self._token else None
        started = time.monotonic()
        try:
            response = requests.request(method, self.base_url + path, json=body, headers=headers, allow_redirects=False,
                                        verify=self.verify, timeout=timeout or self.timeout)
        except requests.exceptions.RequestException as error:
            raise SimulatorError(f"Gateway simulator control interface not reachable at {self.base_url}: "
                                 f"{type(error).__name__}. Is the gateway under test a simulator?") from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if self.observe is not None and path != "/health":  # readiness checks are not part of a session
            self.observe({"started": started, "method": method, "path": path, "body": body,
                          "status": response.status_code, "reply": data})
        if response.status_code == 404 and not data:
            raise SimulatorError(f"{self.base_url} has no simulator control interface: the gateway under test is "
                                 "not a simulator.")
        if response.status_code == 401:
            given = "was refused" if self._token else "was not given"
            raise SimulatorError(f"The simulator's control interface at {self.base_url} needs its control token, "
                                 f"which {given}: pass the right one to 'Use Gateway' as control_token.")
        if response.status_code >= 400:
            raise SimulatorError(f"Simulator refused: {data.get('error', response.text[:200])}")
        return data

    def health(self, timeout: float | None = None) -> dict[str, Any]:
        return self._call("GET", "/health", timeout=timeout)

    def wait_ready(self, deadline: float, restarts: int = 0) -> dict[str, Any]:
        """Waits until the readiness endpoint (``/health``) answers, after at least ``restarts`` restarts; returns
        its reply, or raises SimulatorError naming the URL and the deadline."""
        url, give_up = self.base_url + "/health", time.monotonic() + deadline
        why = "no answer yet"
        while True:
            try:
                health = self.health(timeout=max(0.2, min(2.0, give_up - time.monotonic())))
                if health.get("status") == "ok" and int(health.get("restarts", 0)) >= restarts:
                    return health
                why = f"it answered {health}"
            except SimulatorError as error:
                why = str(error)
            if time.monotonic() >= give_up:
                raise SimulatorError(f"Gateway simulator not ready at {url} within {deadline:g} s (the deadline): "
                                     f"{why}")
            time.sleep(0.05)

    def restart(self, downtime: float) -> dict[str, Any]:
        return self._call("POST", "/restart", {"downtime": downtime})

    def counters(self) -> dict[str, Any]:
        return self._call("GET", "/counters")

    def add_fault(self, fault: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/faults", fault)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def queue_event(self, agent_id: str, event: str, content: Any) -> None:
        self._call("POST", f"/agents/{quote(agent_id, safe='')}/events", {"eventType": event, "content": content})

    def expire_guid(self, agent_id: str) -> None:
        self._call("POST", f"/agents/{quote(agent_id, safe='')}/expire-guid")

    def rotate_guid(self, agent_id: str, grace: float) -> None:
        self._call("POST", f"/agents/{quote(agent_id, safe='')}/rotate-guid", {"grace": grace})

    def offer_call(self, caller: str, agent: str) -> str:
        return self._call("POST", "/calls", {"caller": caller, "agent": agent})["callid"]

    def hang_up(self, callid: str, number: str | None = None) -> None:
        party = f"?number={quote(number, safe='')}" if number else ""
        self._call("DELETE", f"/calls/{quote(callid, safe='')}{party}")

    def far_end(self, number: str, behaviour: str) -> None:
        self._call("PUT", f"/far-ends/{quote(number, safe='')}", {"behaviour": behaviour})

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self._call("GET", f"/agents/{quote(agent_id, safe='')}")
