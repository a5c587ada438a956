"""Recording a session with a gateway as JSON Lines, redacted, for ``ccgw-sim --replay``.

One line per thing that happened, each with ``t``, seconds since the recording began:

* ``request``: an interface call of an agent (``interface``, ``agent``, ``method``, ``path`` with the query,
  request ``body``, reply ``status``, ``retcode`` and ``reply`` body, ``setGuid`` when the reply handed out a
  Guid); ``t`` is when it was sent;
* ``event``: an event a poll brought (``agent``, ``session``, ``event``); ``t`` is when it arrived;
* ``poll``: a poll answered with another retcode or HTTP status (``agent``, ``session``, ``status``, ``retcode``,
  ``reply``), e.g. the 000-003 that ends a session; ``session`` counts the agent's sign-ins (1, 2, ...);
* ``control``: a call to a simulator's control interface (``method``, ``path``, ``body``, ``status``, ``reply``).

The first line is a header naming the format. Nothing secret is written: bodies pass the library's redaction
policy (passwords, service tokens, Guids in bodies become ``<redacted>``), headers are not written at all (only
whether a reply set a Guid), and every secret the library has seen is masked in each line before it is written.
Empty polls are not written.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .catalogue.gateway import SUCCESS
from .protocol import RECORDING_FORMAT, RECORDING_VERSION, SET_GUID_HEADER
from .secrets import SecretRegistry
from .transport import Exchange

FORMAT, FORMAT_VERSION = RECORDING_FORMAT, RECORDING_VERSION  # re-exported for older imports


class SessionRecorder:
    """Writes what the library sends and receives to ``path``, redacted, as it happens (from any thread)."""

    def __init__(self, path: Path, secrets: SecretRegistry) -> None:
        self.path = Path(path)
        self._secrets = secrets
        self._began = time.monotonic()
        self._lock = threading.Lock()
        self._sessions: dict[str, int] = {}  # agent ID -> sign-ins so far
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream = self.path.open("w", encoding="utf-8", buffering=1)
        self._write({"kind": "header", "format": FORMAT, "version": FORMAT_VERSION,
                     "recorded": datetime.now(UTC).isoformat(timespec="seconds")})

    def _since(self, moment: float) -> float:
        return round(moment - self._began, 4)

    def _write(self, entry: dict[str, Any]) -> None:
        line = self._secrets.scrub(json.dumps(entry, ensure_ascii=False, default=str))
        with self._lock:
            if not self._stream.closed:
                self._stream.write(line + "\n")

    def request(self, interface: str, agent: str, exchange: Exchange) -> None:
        """An interface call, as `LibraryContext.send` made it."""
        reply = exchange.redacted_response()["body"]
        self._write({"t": self._since(time.monotonic() - exchange.elapsed_ms / 1000), "kind": "request",
                     "interface": interface, "agent": agent, "method": exchange.method,
                     "path": "/" + exchange.url.split("://", 1)[-1].partition("/")[2],
                     "body": exchange.redacted_request()["body"],
                     "status": exchange.status,
                     "retcode": str(reply["retcode"]) if isinstance(reply, dict) and "retcode" in reply else None,
                     "reply": reply, "setGuid": SET_GUID_HEADER in exchange.response_headers})

    def new_session(self, agent: str) -> int:
        """An agent signed in and its polling starts: the number of this session of the agent (1, 2, ...)."""
        with self._lock:
            self._sessions[agent] = self._sessions.get(agent, 0) + 1
            return self._sessions[agent]

    def poll(self, agent: str, session: int, exchange: Exchange) -> None:
        """A poll's reply, as the poller of the agent's ``session`` received it: its events, or the retcode that
        was not success. The session tells a replay whose they were: a poll of a session signed out may answer
        after the next sign-in."""
        now = self._since(time.monotonic())
        reply = exchange.redacted_response()["body"]
        if exchange.status == 200 and isinstance(reply, dict) and str(reply.get("retcode")) == SUCCESS:
            events = reply.get("event")
            for event in events if isinstance(events, list) else [] if events is None else [events]:
                self._write({"t": now, "kind": "event", "agent": agent, "session": session, "event": event})
            return
        self._write({"t": now, "kind": "poll", "agent": agent, "session": session, "status": exchange.status,
                     "retcode": str(reply.get("retcode")) if isinstance(reply, dict) else None, "reply": reply})

    def control(self, call: dict[str, Any]) -> None:
        """A control-interface call (``started`` on the monotonic clock, ``method``, ``path``, ``body``, ...)."""
        self._write({"t": self._since(call["started"]), "kind": "control", "method": call["method"],
                     "path": call["path"], "body": call.get("body"), "status": call["status"],
                     "reply": call.get("reply")})

    def close(self) -> None:
        with self._lock:
            self._stream.close()
