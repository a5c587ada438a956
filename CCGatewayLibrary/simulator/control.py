"""Client of the simulator's control interface, for the library's ``Simulate ...`` keywords."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from ..errors import SimulatorError

CONTROL_PREFIX = "/ccgw-sim/v1"
CONTROL_TOKEN_HEADER = "X-CCGW-Sim-Token"


class SimulatorControl:
    def __init__(self, base_url: str, verify: bool | str = True, timeout: float = 10.0, *,
                 token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/") + CONTROL_PREFIX
        self.verify = verify
        self.timeout = timeout
        self._token = token  # private: only ever sent as a header, never formatted into a message

    def __repr__(self) -> str:
        return f"SimulatorControl({self.base_url!r}, token={'set' if self._token else 'none'})"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {CONTROL_TOKEN_HEADER: self._token} if self._token else None
        try:
            response = requests.request(method, self.base_url + path, json=body, headers=headers, allow_redirects=False,
                                        verify=self.verify, timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise SimulatorError(f"Gateway simulator control interface not reachable at {self.base_url}: "
                                 f"{type(error).__name__}. Is the gateway under test a simulator?") from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
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

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

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

    def offer_call(self, caller: str, agent: str) -> str:
        return self._call("POST", "/calls", {"caller": caller, "agent": agent})["callid"]

    def hang_up(self, callid: str, number: str | None = None) -> None:
        party = f"?number={quote(number, safe='')}" if number else ""
        self._call("DELETE", f"/calls/{quote(callid, safe='')}{party}")

    def far_end(self, number: str, behaviour: str) -> None:
        self._call("PUT", f"/far-ends/{quote(number, safe='')}", {"behaviour": behaviour})

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self._call("GET", f"/agents/{quote(agent_id, safe='')}")
