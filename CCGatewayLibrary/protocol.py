"""Protocol facts shared by the library, the simulator and the replay, each defined here once.

This module imports nothing of the package, so either side can use it without pulling in the other: the
simulator needs none of the library's transport, recording or keywords, and the library none of the simulator.
"""

from __future__ import annotations

import ipaddress
from typing import Final

# The gateway's session: a request carries its Guid in the Guid header; a reply that hands out a (new) Guid
# says so in Set-GUID as JSESSIONID=<guid>.
GUID_HEADER: Final = "Guid"
SET_GUID_HEADER: Final = "Set-GUID"
SESSION_COOKIE_NAME: Final = "JSESSIONID"


def set_guid_value(guid: str) -> str:
    """The Set-GUID header's value that hands out ``guid``."""
    return f"{SESSION_COOKIE_NAME}={guid}"


# The simulator: its name (in its readiness reply, its logger and its process), its control interface (a path
# prefix the gateway's /agentgateway paths never overlap) and the header that carries its control token.
SIMULATOR_NAME: Final = "ccgw-sim"
LOGGER: Final = SIMULATOR_NAME  # the simulator's own messages (server, runner, replay, push)
CONTROL_PREFIX: Final = "/ccgw-sim/v1"
CONTROL_TOKEN_HEADER: Final = "X-CCGW-Sim-Token"
HEALTH_PATH: Final = "/health"  # under CONTROL_PREFIX: the readiness endpoint
HEALTH_OK: Final = {"status": "ok", "simulator": SIMULATOR_NAME}  # what every readiness reply contains

BODY_LIMIT: Final = 1024 * 1024  # bytes a request body (a simulator request, a push) may have
# Levels arrays and objects of a simulator request body may nest: gateway bodies are flat (two levels at most),
# and anything deeper is refused before it is parsed or encoded, so nothing recurses on hostile nesting.
BODY_DEPTH_LIMIT: Final = 32

# Names and addresses only this machine reaches: what a local simulator's certificate covers.
LOOPBACK_NAMES: Final = ("127.0.0.1", "localhost", "::1")

# Recordings (record_to=, ccgw-sim --replay): JSON Lines whose first line names this format and version.
RECORDING_FORMAT: Final = "ccgw-recording"
RECORDING_VERSION: Final = 1

REDACTED: Final = "<redacted>"  # what stands where a secret was, in logs and recordings


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach; names other than localhost count as reachable."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
