"""Client of the simulator's control interface, for the library's ``Simulate ...`` keywords."""

from __future__ import annotations

from typing import Any

import requests

from ..errors import SimulatorError

CONTROL_PREFIX = "/ccgw-sim/v1"


class SimulatorControl:
    def __init__(self, base_url: str, verify: bool | str = True, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/") + CONTROL_PREFIX
        self.verify = verify
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = requests.request(method, self.base_url + path, json=body, verify=self.verify,
                                        timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise SimulatorError(f"Gateway simulator control interface not reachable at {self.base_url}: "
                                 f"{type(error).__name__}. Is the gateway under test a simulator?") from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 404 and not data:
            raise SimulatorError(f"{self.base_url} has no simulator control interface: the gateway under test is "
                                 "not a simulator.")
        if response.status_code >= 400:
            raise SimulatorError(f"Simulator refused: {data.get('error', response.text[:200])}")
        return data

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health")

    def offer_call(self, caller: str, agent: str) -> str:
        return self._call("POST", "/calls", {"caller": caller, "agent": agent})["callid"]

    def hang_up(self, callid: str) -> None:
        self._call("DELETE", f"/calls/{callid}")

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self._call("GET", f"/agents/{agent_id}")
