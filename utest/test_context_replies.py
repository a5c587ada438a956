"""How the request pipeline judges a reply and what it logs of each exchange, word for word."""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.context import LibraryContext
from CCGatewayLibrary.errors import HttpStatusError, ResponseSchemaError, RetcodeError, TransportError
from CCGatewayLibrary.pipeline import LOG_BODY_LIMIT
from CCGatewayLibrary.transport import Exchange

PATH = "/agentgateway/resource/onlineagent/101/sayfree"
URL = "https://gw.example:8043" + PATH
WHERE = "sayFree (POST /agentgateway/resource/onlineagent/{agentid}/sayfree) for agent 101 at gw.example:8043"


@pytest.fixture
def ctx() -> LibraryContext:
    return CCGatewayLibrary(url="https://gw.example:8043").ctx


def _reply(text: str, *, status: int = 200, document: Any = None, not_json: str | None = None) -> Exchange:
    return Exchange(
        "POST",
        URL,
        status,
        "Bad Gateway" if status != 200 else "OK",
        {},
        None,
        {},
        text,
        12.4,
        json=document,
        not_json=not_json,
    )


def _judged(ctx: LibraryContext, exchange: Exchange, expected: str | list[str] = "0") -> str:
    with pytest.raises((HttpStatusError, ResponseSchemaError, RetcodeError)) as failed:
        ctx.requests.check_reply(ctx.catalogue.interface("sayFree"), exchange, expected, "101")
    return str(failed.value)


# ---------------------------------------------------------------- judging the reply


@pytest.mark.parametrize(
    ("exchange", "what"),
    [
        (_reply(""), "empty): (empty)"),
        (_reply("OK <b>done</b>", not_json="not JSON"), "not JSON): OK <b>done</b>"),
        (_reply("[1]", document=[1]), "JSON but not an object (list)): [1]"),
    ],
)
def test_a_body_that_is_no_json_object_is_described(ctx: LibraryContext, exchange: Exchange, what: str) -> None:
    assert _judged(ctx, exchange) == f"{WHERE} answered with a body that is not a JSON object ({what}"


def test_a_body_that_fits_is_quoted_whole(ctx: LibraryContext) -> None:
    for text in ("short page", "y" * 300):
        assert _judged(ctx, _reply(text, status=502)).endswith(f"expected 200. Body: {text}")


def test_a_retcode_outside_several_expected_ones_names_them_all(ctx: LibraryContext) -> None:
    exchange = _reply("", document={"retcode": "100-009", "message": "x"})
    with pytest.raises(RetcodeError) as failed:
        ctx.requests.check_reply(ctx.catalogue.interface("sayFree"), exchange, ["0", "100-006"], "101")
    assert str(failed.value) == (
        "sayFree failed for agent 101: retcode 100-009 (setting the agent state failed (possibly no permission)), "
        "expected 0 (success) or 100-006 (agent not signed in). The gateway says: x"
    )
    with pytest.raises(RetcodeError) as many:
        ctx.requests.check_reply(ctx.catalogue.interface("sayFree"), exchange, ["0", "100-006", "000-003", "100-008"],
                                 "101")
    assert "expected 0 (success) or 100-006 (agent not signed in) or one of 000-003, 100-008. " in str(many.value)
    assert failed.value.retcode == "100-009"


def test_a_retcode_among_several_expected_ones_is_accepted(ctx: LibraryContext) -> None:
    reply = {"retcode": "100-006", "message": "x"}
    interface = ctx.catalogue.interface("sayFree")
    assert ctx.requests.check_reply(interface, _reply("", document=reply), ["0", "100-006"], "101") == reply


def test_an_unexpected_success_says_so_word_for_word(ctx: LibraryContext) -> None:
    assert _judged(ctx, _reply("", document={"retcode": "0", "message": "x"}), "100-006") == (
        "sayFree succeeded unexpectedly for agent 101: retcode 0 (success), expected 100-006 (agent not signed in). "
        "The gateway says: x"
    )
    # The gateway's message is left out when it says no more than the code's meaning.
    assert _judged(ctx, _reply("", document={"retcode": "0", "message": "success"}), "100-006").endswith(
        "(agent not signed in).")


def test_a_transport_failure_names_the_interface_and_the_agent(ctx: LibraryContext) -> None:
    class Unreachable:
        def send(self, method: str, path: str, **request: Any) -> Exchange:
            raise TransportError(f"{method} {path} at gw.example:8043: cannot reach the gateway")

    with pytest.raises(TransportError) as failed:
        ctx.requests.call(Unreachable(), "sayFree", "101")  # type: ignore[arg-type]
    assert (
        str(failed.value) == f"sayFree for agent 101 failed: POST {PATH} at gw.example:8043: cannot reach the gateway"
    )


# ---------------------------------------------------------------- what is logged


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    records: dict[str, list[Any]] = {"info": [], "debug": []}
    monkeypatch.setattr("CCGatewayLibrary.pipeline.logger.info", lambda message: records["info"].append(message))
    monkeypatch.setattr(
        "CCGatewayLibrary.pipeline.logger.write",
        lambda message, level="INFO", html=False, console=None: records[level.lower()].append((message, html)),
    )
    return records


def _details(debug: tuple[str, bool]) -> tuple[str, bool]:
    message, as_html = debug
    found = re.fullmatch(
        r"<details><summary>sayFree request and reply \(secrets redacted\)</summary><pre>(.*)</pre></details>",
        message,
        re.S,
    )
    assert found, message
    return html.unescape(found.group(1)), as_html


def test_an_exchange_is_logged_with_its_path_status_retcode_and_time(
    ctx: LibraryContext, logged: dict[str, list[Any]]
) -> None:
    reply = {"retcode": "100-006", "message": "nicht angemeldet"}
    ctx.requests.log_exchange("sayFree", _reply(json.dumps(reply), document=reply))
    assert logged["info"] == [f"sayFree POST {PATH} \u2192 HTTP 200, retcode 100-006 (agent not signed in), 12 ms"]


def test_an_exchange_without_a_json_reply_is_logged_without_a_retcode(
    ctx: LibraryContext, logged: dict[str, list[Any]]
) -> None:
    ctx.requests.log_exchange("sayFree", _reply("<html>", status=502, not_json="not JSON"))
    assert logged["info"] == [f"sayFree POST {PATH} \u2192 HTTP 502, 12 ms"]


def test_the_details_are_readable_indented_json_as_html(ctx: LibraryContext, logged: dict[str, list[Any]]) -> None:
    reply = {"retcode": "0", "message": "成功"}
    ctx.requests.log_exchange("sayFree", _reply(json.dumps(reply), document=reply))
    text, as_html = _details(logged["debug"][0])
    assert as_html is True
    assert json.loads(text) == {"request": {"headers": {}, "body": None}, "response": {"headers": {}, "body": reply}}
    assert '\n  "request": {' in text and "成功" in text


def test_long_details_are_cut_after_scrubbing(ctx: LibraryContext, logged: dict[str, list[Any]]) -> None:
    reply = {"retcode": "0", "message": "m" * (2 * LOG_BODY_LIMIT)}
    ctx.requests.log_exchange("sayFree", _reply(json.dumps(reply), document=reply))
    text, _ = _details(logged["debug"][0])
    assert re.fullmatch(rf"(?s).{{{LOG_BODY_LIMIT}}}\.\.\. \(\d+ more characters\)", text)


@pytest.mark.parametrize(("level", "built"), [("INFO", False), ("WARN", False), ("DEBUG", True), ("TRACE", True)])
def test_the_details_are_built_only_when_robot_keeps_debug_messages(
    ctx: LibraryContext, logged: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch, level: str, built: bool
) -> None:
    from robot.output.loglevel import LogLevel

    running = SimpleNamespace(current=SimpleNamespace(output=SimpleNamespace(log_level=LogLevel(level))))
    monkeypatch.setattr("CCGatewayLibrary.pipeline.EXECUTION_CONTEXTS", running)
    reply = {"retcode": "0", "message": ""}
    ctx.requests.log_exchange("sayFree", _reply(json.dumps(reply), document=reply))
    assert len(logged["info"]) == 1
    assert len(logged["debug"]) == (1 if built else 0)
