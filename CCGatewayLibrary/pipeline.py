"""The request pipeline: how a keyword's call of an interface is checked, sent, logged, recorded and judged.

One per library instance, held by the context. It knows the catalogue (what to send and what a reply must look
like), the secrets (what never to show) and the records a call feeds: the running test's sequence diagram,
the interfaces the test called (its api: tags) and, with ``record_to``, the session file.
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from robot.api import logger
from robot.libraries.BuiltIn import BuiltIn
from robot.output.loglevel import LEVELS as LOG_LEVELS
from robot.running.context import EXECUTION_CONTEXTS

from .catalogue import Catalogue, Interface
from .catalogue.gateway import SUCCESS
from .errors import CCGatewayError, HttpStatusError, ResponseSchemaError, RetcodeError, TransportError
from .reporting import RequestRecorder
from .secrets import SecretRegistry
from .transport import GUID_RACE_WAIT, Exchange, GatewaySession, RedactionPolicy, guid_replaced_in_flight

if TYPE_CHECKING:
    from .recording import SessionRecorder

ANY_RETCODE = "any"
LOG_BODY_LIMIT = 4000


class RequestPipeline:
    def __init__(self, catalogue: Catalogue, secrets: SecretRegistry, policy: RedactionPolicy) -> None:
        self.catalogue = catalogue
        self.secrets = secrets
        self.policy = policy
        self.record = RequestRecorder()  # the running test's requests, for its sequence diagram
        self.called: set[str] = set()  # log names of the catalogue's interfaces the running test's keywords called
        self.recorder: SessionRecorder | None = None  # import argument record_to: the session, redacted, to a file

    def call(
        self,
        session: GatewaySession,
        interface_name: str,
        agent_id: str,
        *,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expected_retcode: str | list[str] = SUCCESS,
        handled: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """Check the request, send it, check HTTP status, reply schema and retcode; return the reply.

        ``path`` fills the path's placeholders other than ``{agentid}``. ``handled`` retcodes are returned like
        expected ones but are left out of the failure message: the caller deals with them itself."""
        interface, exchange = self._exchange(session, interface_name, agent_id, path, query, body, headers,
                                             expected_retcode)
        return self._judged(interface, exchange, expected_retcode, agent_id, handled)

    def fetch_file(
        self,
        session: GatewaySession,
        interface_name: str,
        agent_id: str,
        *,
        path: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        expected_retcode: str | list[str] = SUCCESS,
    ) -> bytes | dict[str, Any]:
        """A download (an interface whose success is a file): the file's bytes, or the reply of an expected
        refusal; anything else fails as ``call`` fails."""
        interface, exchange = self._exchange(session, interface_name, agent_id, path, query, None, None,
                                             expected_retcode)
        expected = [expected_retcode] if isinstance(expected_retcode, str) else list(expected_retcode)
        if interface.file_type is not None and exchange.status == 200 and exchange.is_file:
            if SUCCESS not in expected and ANY_RETCODE not in expected:
                raise RetcodeError(f"{interface.name} succeeded unexpectedly for agent {agent_id}: the file came "
                                   f"({len(exchange.content)} bytes), expected retcode "
                                   f"{' or '.join(self.catalogue.describe_retcode(code) for code in expected[:2])}.",
                                   SUCCESS)
            return exchange.content
        if interface.file_type is not None and exchange.status == 200 and SUCCESS in expected and \
                isinstance(exchange.json, dict) and str(exchange.json.get("retcode")) == SUCCESS:
            self._log_details(interface.name, exchange, "INFO")
            raise ResponseSchemaError(f"{interface.name} for agent {agent_id} answered success without the file "
                                      f"(Content-Type {exchange.content_type or 'none'}, expected "
                                      f"{interface.file_type}).")
        return self._judged(interface, exchange, expected_retcode, agent_id, frozenset())

    def _exchange(self, session: GatewaySession, interface_name: str, agent_id: str, path: dict[str, Any] | None,
                  query: dict[str, Any] | None, body: Any, headers: dict[str, str] | None,
                  expected_retcode: str | list[str]) -> tuple[Interface, Exchange]:
        """Checks the request and sends it (once more when the Guid it carried was replaced on its way)."""
        interface = self.catalogue.interface(interface_name)
        query = {k: _query_text(v) for k, v in (query or {}).items() if v is not None}
        params = {"agentid": agent_id} | {k: _query_text(v) for k, v in (path or {}).items()}
        self.catalogue.check_request(interface, {"path": params, "query": query, "body": body})
        url_path = interface.url_path(params)
        exchange = self.send(session, interface, agent_id, url_path, query=query, body=body,
                             send_guid=interface.guid_required, headers=headers)
        # A test expecting the refusal has nothing to wait for.
        expected = {expected_retcode} if isinstance(expected_retcode, str) else set(expected_retcode)
        race_wait = 0.0 if expected & self.catalogue.guid_refusals else GUID_RACE_WAIT
        if guid_replaced_in_flight(exchange, session, self.catalogue.guid_refusals, race_wait):
            # A poll reply rotated the Guid while this request was on its way; the gateway refused the old one
            # and so did nothing. Sending it once more with the new Guid is what a client with one thread would
            # have done.
            logger.info(f"{interface.name} carried a Guid that a reply to another request replaced meanwhile; "
                        "sent again with the new one.")
            exchange = self.send(session, interface, agent_id, url_path, query=query, body=body,
                                 send_guid=interface.guid_required, headers=headers)
        return interface, exchange

    def _judged(self, interface: Interface, exchange: Exchange, expected_retcode: str | list[str], agent_id: str,
                handled: frozenset[str]) -> dict[str, Any]:
        try:
            return self.check_reply(interface, exchange, expected_retcode, agent_id, handled)
        except CCGatewayError:
            # At the default log level the DEBUG details are not kept: a failing call shows them at INFO.
            self._log_details(interface.name, exchange, "INFO")
            raise

    def send(self, session: GatewaySession, interface: Interface, agent_id: str, path: str, **request: Any) -> Exchange:
        """Sends and logs one request; a transport failure names the interface and the agent."""
        started = datetime.now()  # the event journal's clock
        if interface.name in self.catalogue.interfaces:
            self.called.add(interface.name)
        try:
            exchange = session.send(interface.method, path, **request)
        except TransportError as error:
            self.record.request(started, agent_id, interface.name, None)
            raise TransportError(f"{interface.name} for agent {agent_id} failed: {self.safe(str(error))}") from None
        self.record.request(started, agent_id, interface.name, exchange)
        self.log_exchange(interface.name, exchange)
        if self.recorder is not None:
            self.recorder.request(interface.name, agent_id, exchange)
        return exchange

    def safe(self, text: str) -> str:
        """``text`` with registered secrets and redaction patterns masked, ready to quote in a message."""
        return self.policy.redact_text(self.secrets.mask(text))

    def check_reply(
        self, interface: Interface, exchange: Exchange, expected_retcode: str | list[str], agent_id: str,
        handled: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        host = exchange.url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
        where = f"{interface.name} ({interface.method} {interface.path}) for agent {agent_id} at {host}"
        if exchange.status != 200:
            raise HttpStatusError(f"{where} answered HTTP {exchange.status} {exchange.reason}, expected 200. "
                                  f"Body: {self._quote_body(exchange)}")
        if not isinstance(exchange.json, dict):
            what = f"{exchange.not_json}" if exchange.not_json else "empty" if not exchange.text else \
                f"JSON but not an object ({type(exchange.json).__name__})"
            raise ResponseSchemaError(f"{where} answered with a body that is not a JSON object ({what}): "
                                      f"{self._quote_body(exchange)}")
        reply = exchange.json
        try:
            self.catalogue.check_response(interface, reply, exchange.text or None)
        except ResponseSchemaError as error:
            raise ResponseSchemaError(f"{self.safe(str(error))} (agent {agent_id} at {host})") from None
        retcode = str(reply["retcode"])
        expected = [expected_retcode] if isinstance(expected_retcode, str) else list(expected_retcode)
        if ANY_RETCODE not in expected and retcode not in expected and retcode not in handled:
            wanted = " or ".join(self.catalogue.describe_retcode(code) for code in expected[:2])
            if len(expected) > 2:
                wanted += f" or one of {', '.join(expected[2:])}"
            verb = "failed" if retcode != SUCCESS else "succeeded unexpectedly"
            got = self.catalogue.describe_retcode(retcode)
            said = str(reply.get("message") or reply.get("msg") or "").strip()
            # The gateway's own words often say more than the code's generic meaning ("no call is ringing").
            extra = f" The gateway says: {_clip(self.safe(said), 200)}" if said and said not in (
                "success", self.catalogue.meaning(retcode)) else ""
            raise RetcodeError(f"{interface.name} {verb} for agent {agent_id}: retcode {got}, expected {wanted}."
                               f"{extra}", retcode)
        return reply

    def _quote_body(self, exchange: Exchange) -> str:
        return _clip(self.safe(exchange.text), 300) if exchange.text else "(empty)"

    def log_exchange(self, name: str, exchange: Exchange) -> None:
        reply = exchange.json if isinstance(exchange.json, dict) else {}
        retcode = reply.get("retcode")
        outcome = f", retcode {self.catalogue.describe_retcode(str(retcode))}" if retcode is not None else ""
        if exchange.is_file:
            outcome = f", a file of {len(exchange.content)} bytes ({exchange.content_type})"
        path = exchange.url.split("://", 1)[-1].split("/", 1)[-1]
        logger.info(f"{name} {exchange.method} /{path} \u2192 HTTP {exchange.status}{outcome}, "
                    f"{exchange.elapsed_ms:.0f} ms")
        if _debug_logged():
            self._log_details(name, exchange, "DEBUG")

    def _log_details(self, name: str, exchange: Exchange, level: Literal["DEBUG", "INFO"]) -> None:
        details = {"request": exchange.redacted_request(), "response": exchange.redacted_response()}
        # Scrub before clipping: a clip through the middle of a secret would leave its first half readable.
        text = _clip(self.secrets.scrub(json.dumps(details, indent=2, ensure_ascii=False, default=str)),
                     LOG_BODY_LIMIT)
        logger.write(f"<details><summary>{html.escape(name)} request and reply (secrets redacted)</summary>"
                     f"<pre>{html.escape(text)}</pre></details>", level, html=True)


def _debug_logged() -> bool:
    """Whether Robot keeps DEBUG messages now: redacting and writing out a reply that Robot then drops cost a
    tenth of each call (bench/keyword_cost.py)."""
    context = EXECUTION_CONTEXTS.current
    if context is None:  # not inside a Robot run
        return True
    try:
        # Robot's own level object: reading ${LOG LEVEL} through BuiltIn costs 40 µs, this well under one.
        return context.output.log_level.priority <= LOG_LEVELS["DEBUG"]
    except AttributeError:  # a Robot version that keeps it elsewhere
        return BuiltIn().get_variable_value("${LOG LEVEL}", "TRACE") in ("DEBUG", "TRACE")


def _query_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more characters)"
