"""The simulator's control interface, declared once: each action's name, method, path and fields with their
rules. The server's routes and argument checks (server.py), the client's calls (`SimulatorControl`, for the
library's ``Simulate ...`` keywords) and its argument checks all come from `CONTROL_ACTIONS`.

Needs nothing beyond requests and the standard library, so the keywords import it without aiohttp.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

import requests

from ..errors import SimulatorError
from ..jsonfile import value_deeper_than
from ..protocol import BODY_DEPTH_LIMIT, CONTROL_PREFIX, CONTROL_TOKEN_HEADER, HEALTH_PATH
from .faults import KINDS, MAX_COUNT, MAX_DOWNTIME

__all__ = ["CONTROL_ACTIONS", "CONTROL_PREFIX", "CONTROL_TOKEN_HEADER", "ControlAction", "ControlArgumentError",
           "Field", "Rule", "SimulatorControl"]

MAX_CONTROL_FIELD = 24  # caller is a phone number, as long as the gateway's phonenum; agent IDs are shorter
MAX_MESSAGE = 1200  # a customer's text message: about what sendMessage takes (under 3.8 KB)


class ControlArgumentError(ValueError):
    """An argument of a control action that breaks its rule; the text names the argument and the rule."""


@dataclass(frozen=True)
class Rule:
    """What a value must be, in words (``text``), and how an acceptable one is taken (``take``: the value to use,
    or None when it is not acceptable)."""

    text: str
    take: Callable[[Any], Any]


def _text(limit: int) -> Rule:
    def take(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return None
        text = str(value)
        return text if 0 < len(text) <= limit else None

    return Rule(f"text (or a whole number) of 1 to {limit} characters", take)


def _number(low: float, high: float | None, text: str) -> Rule:
    def take(value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if low <= value and (high is None or value <= high) else None

    return Rule(text, take)


def _whole(low: int, high: int) -> Rule:
    return Rule(f"a whole number from {low} to {high}",
                lambda value: value if isinstance(value, int) and not isinstance(value, bool)
                and low <= value <= high else None)


def _one_of(choices: tuple[str, ...]) -> Rule:
    return Rule(f"one of {', '.join(choices)}", lambda value: value if value in choices else None)


_EVENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")
TEXT = _text(MAX_CONTROL_FIELD)
# inside a body object, so one level less than a body may have
ANY = Rule(f"a JSON value nested at most {BODY_DEPTH_LIMIT - 1} levels deep",
           lambda value: None if value_deeper_than(value, BODY_DEPTH_LIMIT - 1) else value)
EVENT_NAME = Rule("the name of an event of the catalogue", lambda value: value if isinstance(value, str)
                  and _EVENT_NAME.fullmatch(value) else None)


def _preview(value: Any) -> str:
    """A short view of ``value`` for an error message; containers by type only (one nested too deep for repr)."""
    if isinstance(value, dict | list | tuple):
        return f"a {type(value).__name__} of {len(value)} items"
    return repr(str(value)[:40]) if isinstance(value, str) else repr(value)[:40]


@dataclass(frozen=True)
class Field:
    name: str
    rule: Rule
    where: Literal["path", "query", "body"] = "body"
    default: Any = None
    required: bool = True  # else: left out, it takes ``default``

    def take(self, value: Any) -> Any:
        """The value to use for ``value`` given for this field, or ControlArgumentError naming field and rule."""
        taken = self.rule.take(value)
        if taken is None:
            raise ControlArgumentError(f"{self.name} must be {self.rule.text}, got {_preview(value)}")
        return taken


@dataclass(frozen=True)
class ControlAction:
    name: str  # the client's method and the server's handler (control_<name>)
    method: str
    path: str  # under CONTROL_PREFIX, with {field} for path fields
    fields: tuple[Field, ...] = ()
    success: int = 200  # the status of a reply that did it
    refused: int = 409  # the status when the simulator cannot do it (an unknown call, an agent not signed in)

    def field(self, where: str) -> tuple[Field, ...]:
        return tuple(field for field in self.fields if field.where == where)

    @property
    def has_body(self) -> bool:
        return bool(self.field("body"))

    def arguments(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The action's arguments from ``given`` (path, query and body fields by name), each taken by its rule;
        ControlArgumentError names the first that is missing or breaks its rule."""
        arguments: dict[str, Any] = {}
        for field in self.fields:
            if given.get(field.name) is None:
                if field.required:
                    raise ControlArgumentError(f"{field.name} is missing: it must be {field.rule.text}")
                arguments[field.name] = field.default
            else:
                arguments[field.name] = field.take(given[field.name])
        return arguments

    def route(self) -> str:
        return CONTROL_PREFIX + self.path

    def url_path(self, arguments: Mapping[str, Any]) -> str:
        """The path (with the query) that carries ``arguments``, each part quoted, relative to CONTROL_PREFIX."""
        path = self.path.format(**{field.name: quote(str(arguments[field.name]), safe="")
                                   for field in self.field("path")})
        query = "&".join(f"{field.name}={quote(str(arguments[field.name]), safe='')}" for field in self.field("query")
                         if arguments.get(field.name) is not None)
        return path + (f"?{query}" if query else "")

    def body(self, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
        if not self.has_body:
            return None
        return {field.name: arguments[field.name] for field in self.field("body")
                if field.required or arguments.get(field.name) is not None}


AGENT_ID = Field("agentid", TEXT, "path")
CONTROL_ACTIONS: dict[str, ControlAction] = {action.name: action for action in (
    ControlAction("health", "GET", HEALTH_PATH),
    ControlAction("counters", "GET", "/counters"),
    ControlAction("restart", "POST", "/restart", (
        Field("downtime", _number(0, MAX_DOWNTIME, f"the seconds the port stays closed, 0 to {MAX_DOWNTIME:g}"),
              default=0.0, required=False),), success=202),
    ControlAction("add_fault", "POST", "/faults", (
        Field("fault", _one_of(KINDS)),
        Field("interface", _text(100), default="*", required=False),
        Field("agent", TEXT, default="*", required=False),
        Field("value", ANY, required=False),  # its rule depends on the fault: faults.FAULT_KINDS
        Field("count", _whole(1, MAX_COUNT), default=1, required=False)), success=201, refused=400),
    ControlAction("faults", "GET", "/faults"),
    ControlAction("clear_faults", "DELETE", "/faults"),
    ControlAction("expire_guid", "POST", "/agents/{agentid}/expire-guid", (AGENT_ID,), refused=404),
    ControlAction("rotate_guid", "POST", "/agents/{agentid}/rotate-guid", (
        AGENT_ID, Field("grace", _number(0, None, "a number of seconds, 0 or more"), default=0.0, required=False)),
        refused=404),
    ControlAction("queue_event", "POST", "/agents/{agentid}/events", (
        AGENT_ID, Field("eventType", EVENT_NAME), Field("content", ANY, required=False)), success=201, refused=404),
    ControlAction("offer_call", "POST", "/calls", (Field("caller", TEXT), Field("agent", TEXT)), success=201),
    # A customer calls a skill queue, by skill ID or access code; with patience, gives up after that many seconds
    # (times the simulator's time_scale) of waiting.
    ControlAction("queue_call", "POST", "/queues/calls", (
        Field("caller", TEXT), Field("skill", _whole(1, 2_147_483_647), required=False),
        Field("access_code", TEXT, required=False),
        Field("patience", _number(0, 86_400, "a number of seconds from 0 to 86400"), required=False)), success=201),
    ControlAction("give_up", "DELETE", "/queues/calls/{callid}", (Field("callid", TEXT, "path"),), refused=404),
    ControlAction("hang_up", "DELETE", "/calls/{callid}", (
        Field("callid", TEXT, "path"), Field("number", TEXT, "query", required=False)), refused=404),
    ControlAction("agent", "GET", "/agents/{agentid}", (AGENT_ID,), refused=404),
    ControlAction("customer_message", "POST", "/text-sessions", (
        Field("customer", TEXT), Field("agent", TEXT), Field("text", _text(MAX_MESSAGE)),
        Field("callid", _text(100), required=False)), success=201),
    ControlAction("text_session", "GET", "/text-sessions/{callid}", (Field("callid", _text(100), "path"),),
                  refused=404),
    ControlAction("far_end", "PUT", "/far-ends/{number}", (
        Field("number", TEXT, "path"), Field("behaviour", _text(20))), refused=400),
)}


class SimulatorControl:
    """Client of the control interface. Each action of `CONTROL_ACTIONS` is a method of the same name taking its
    fields in declared order (``offer_call(caller, agent)``), checked by their rules before anything is sent, and
    returning the simulator's JSON reply."""

    def __init__(self, base_url: str, verify: bool | str = True, timeout: float = 10.0, *,
                 token: str | None = None, observe: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/") + CONTROL_PREFIX
        self.verify = verify
        self.timeout = timeout
        self._token = token  # private: only ever sent as a header, never formatted into a message
        # told of each control call (action, arguments, method, path, body, status, reply), e.g. to record it
        self.observe = observe

    def __repr__(self) -> str:
        return f"SimulatorControl({self.base_url!r}, token={'set' if self._token else 'none'})"

    def __getattr__(self, name: str) -> Callable[..., Any]:
        action = CONTROL_ACTIONS.get(name)
        if action is None:
            raise AttributeError(f"{type(self).__name__} has no action {name!r}; the simulator's control actions "
                                 f"are {', '.join(CONTROL_ACTIONS)}")

        def call(*args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
            return self.call(action, *args, timeout=timeout, **kwargs)

        call.__name__ = name
        return call

    def call(self, action: ControlAction, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Carries ``action`` out with its fields given in declared order or by name."""
        if len(args) > len(action.fields):
            raise TypeError(f"{action.name} takes {len(action.fields)} arguments "
                            f"({', '.join(field.name for field in action.fields)}), got {len(args)}")
        given = {**dict(zip((field.name for field in action.fields), args, strict=False)), **kwargs}
        unknown = set(given) - {field.name for field in action.fields}
        if unknown:
            raise TypeError(f"{action.name} has no argument {', '.join(sorted(unknown))}")
        try:
            arguments = action.arguments(given)
        except ControlArgumentError as error:
            raise SimulatorError(f"Simulator control {action.name}: {error}.") from None
        return self._send(action.method, action.url_path(arguments), action.body(arguments), timeout=timeout,
                          about={"action": action.name, "arguments": arguments})

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None, *,
              timeout: float | None = None, about: dict[str, Any] | None = None) -> Any:
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
        if not isinstance(data, dict | list):
            data = {}
        if self.observe is not None and path != HEALTH_PATH:  # readiness checks are not part of a session
            self.observe({"started": started, "method": method, "path": path, "body": body,
                          "status": response.status_code, "reply": data, **(about or {})})
        if response.status_code == 404 and not data:
            raise SimulatorError(f"{self.base_url} has no simulator control interface: the gateway under test is "
                                 "not a simulator.")
        if response.status_code == 401:
            given = "was refused" if self._token else "was not given"
            raise SimulatorError(f"The simulator's control interface at {self.base_url} needs its control token, "
                                 f"which {given}: pass the right one to 'Use Gateway' as control_token.")
        if response.status_code >= 400:
            refusal = data.get("error") if isinstance(data, dict) else None
            raise SimulatorError(f"Simulator refused: {refusal or response.text[:200]}")
        return data

    def wait_ready(self, deadline: float, restarts: int = 0) -> dict[str, Any]:
        """Waits until the readiness endpoint (``/health``) answers, after at least ``restarts`` restarts; returns
        its reply, or raises SimulatorError naming the URL and the deadline."""
        url, give_up = self.base_url + HEALTH_PATH, time.monotonic() + deadline
        why = "no answer yet"
        while True:
            try:
                health = self.health(timeout=max(0.2, min(2.0, give_up - time.monotonic())))
                if health.get("status") == "ok" and int(health.get("restarts", 0)) >= restarts:
                    ready: dict[str, Any] = health
                    return ready
                why = f"it answered {health}"
            except SimulatorError as error:
                why = str(error)
            if time.monotonic() >= give_up:
                raise SimulatorError(f"Gateway simulator not ready at {url} within {deadline:g} s (the deadline): "
                                     f"{why}")
            time.sleep(0.05)
