from __future__ import annotations

import json
import re
from typing import Any

from robot.api import logger
from robot.api.deco import keyword
from robot.api.types import Secret

from ..catalogue import Interface
from ..errors import CCGatewayError, HttpStatusError
from ..transport.redaction import MAX_JSON_DEPTH, json_depth
from .base import LibraryComponent

RAW_METHOD = re.compile(r"[A-Za-z]+")
RAW_PATH = re.compile(r"[^\x00-\x20\x7f?#]+")


class RawKeywords(LibraryComponent):
    """Sending requests the library would otherwise refuse, for negative tests."""

    @keyword(tags=["raw"])
    def send_raw_request(
        self,
        interface: str,
        body: dict | list | Secret | str | None = None,
        query: dict[str, str] | None = None,
        agent_id: str | None = None,
        path_params: dict[str, str] | None = None,
        agent: str | None = None,
        send_guid: bool = True,
        guid: Secret | None = None,
        expected_status: int = 200,
    ) -> Any:
        """Sends ``interface`` as given, without checking the request or the retcode, and returns the parsed
        reply (or its text when it is not JSON).

        ``interface`` is a log name from the catalogue (``sayFree``), whose method and path are used, or any
        method and path on the gateway, such as ``POST onlineagent/{agentid}/newinterface``: a path without a
        leading ``/`` is taken under ``/agentgateway/resource/``. ``agent_id`` fills ``{agentid}`` exactly as
        given (quoted, so even ``..`` stays one path segment); by default it is the current (or ``agent``)
        agent's ID. ``path_params`` fills the other placeholders, such as ``{time}`` of ``rest``.
        The agent's Guid is sent unless ``send_guid=False``; ``guid`` sends another `Secret` value instead.
        Only the HTTP status is checked (``expected_status``, 200 by default).

        ``body`` is a dictionary or list sent as JSON. Text that is JSON is sent as the JSON it describes, so
        ``body={"callid": ""}`` sends an object; other text is sent as it is, for testing malformed bodies.
        Secrets stay redacted in the log as everywhere else, also in a body given as text.

        A body that holds a password must reach the keyword as a `Secret` (or a dictionary with `Secret`
        values): Robot logs a keyword's arguments at TRACE level before the library sees them, so a password
        written into text cannot be hidden afterwards. A `Secret` body is sent like text (JSON text as the
        JSON it describes), and the library warns when a text body carries a password field.

        | ${reply} = | `Send Raw Request` | sayFree | send_guid=False |
        | Should Be Equal | ${reply}[retcode] | 000-003 |
        | ${reply} = | `Send Raw Request` | getAgentStatus | agent_id=99 |
        | ${reply} = | `Send Raw Request` | confJoin | body={"callid": ""} |
        | ${reply} = | `Send Raw Request` | confJoin | body={"callid": |
        | ${reply} = | `Send Raw Request` | rest | path_params={"time": "0", "restcause": "3"} |
        | ${reply} = | `Send Raw Request` | GET onlineagent/{agentid}/agentstatus |
        | ${body} = | Evaluate | {'password': $PASSWORD, 'phonenum': '70001'} |
        | ${reply} = | `Send Raw Request` | login | body=${body} | send_guid=False |
        """
        spec = self._interface(interface)
        body = self._as_sent(body)
        for value in self.ctx.policy.secret_values(body) + self.ctx.policy.secret_values(query or {}):
            self.ctx.secrets.register(value)  # before anything can log it
        if guid is not None:
            self.ctx.secrets.register(guid)
        # Without agent_id the request is the agent's own; with it, any signed-in agent's session may carry it.
        handle = self.ctx.agent(agent) if agent or not agent_id or self.ctx.current_alias else None
        session = handle.session if handle is not None else self.ctx.new_session()
        target = agent_id or (handle.agent_id if handle is not None else "")
        try:
            path = spec.url_path({**(path_params or {}), "agentid": target})
            exchange = self.ctx.requests.send(session, spec, target, path, query=query,
                                              body=body, send_guid=guid if guid is not None else send_guid)
        finally:
            if handle is None:
                session.close()
        if exchange.status != expected_status:
            raise HttpStatusError(f"{spec.name} for agent {target} at {session.host} answered HTTP {exchange.status} "
                                  f"{exchange.reason}, expected {expected_status}.")
        return exchange.json if exchange.json is not None else exchange.text

    def _interface(self, text: str) -> Interface:
        """The catalogue's interface of that log name, or one made of a method and a path."""
        method, _, path = text.strip().partition(" ")
        path = path.strip()
        if not path:
            return self.ctx.catalogue.interface(text)
        if not RAW_METHOD.fullmatch(method):
            raise CCGatewayError(f"Send Raw Request: '{method}' is not an HTTP method; give for example "
                                 "'GET onlineagent/{agentid}/agentstatus'.")
        if not RAW_PATH.fullmatch(path):
            raise CCGatewayError("Send Raw Request: the path must be one piece of text without spaces, control "
                                 "characters, '?' or '#' (give query parameters with query=).")
        return self.ctx.catalogue.ad_hoc(method.upper(), path)

    def _as_sent(self, body: Any) -> Any:
        """Text that is JSON becomes the document it describes, other text the bytes to send as they are."""
        if isinstance(body, Secret):
            self.ctx.secrets.register(body)
            if not isinstance(body.value, str):
                raise CCGatewayError(f"Send Raw Request: a Secret body must hold text (JSON or not), not "
                                     f"{type(body.value).__name__}; give a dictionary with Secret values instead.")
            body = body.value
        elif isinstance(body, str) and any(self.ctx.policy.secret_values(body)):
            logger.warn("Send Raw Request: the body text carries a secret field (such as a password), which Robot "
                        "logged with the keyword's arguments at TRACE level before the library could hide it. "
                        "Give the body as a Secret, or as a dictionary whose secret values are Secrets.")
        if not isinstance(body, str):
            # Nothing as deep as MAX_JSON_DEPTH holds a Secret on purpose; leave such bodies to the encoder.
            return self._unwrapped(body) if json_depth(body) <= MAX_JSON_DEPTH else body
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            return body.encode("utf-8")
        # JSON null as text is sent as the four bytes: None would mean "no body at all".
        return body.encode("utf-8") if parsed is None else parsed

    def _unwrapped(self, value: Any) -> Any:
        """`Secret` values inside a dictionary or list are sent as their value, and registered to stay masked."""
        if isinstance(value, Secret):
            self.ctx.secrets.register(value)
            return value.value
        if isinstance(value, dict):
            unwrapped = {key: self._unwrapped(item) for key, item in value.items()}
            return value if all(unwrapped[key] is item for key, item in value.items()) else unwrapped
        if isinstance(value, list):
            items = [self._unwrapped(item) for item in value]
            return value if all(new is old for new, old in zip(items, value, strict=True)) else items
        return value  # sent as given, the very object (a test may hold on to it)
