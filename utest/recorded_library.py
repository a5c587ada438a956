"""A library whose transport is a recorder: what a keyword sends, through the whole request pipeline (catalogue
check, URL rules), without a gateway. Used by the tests that pin each keyword's request."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import Interface
from CCGatewayLibrary.transport import Exchange

CALLID = "1455885056-1095"
BASE = "/agentgateway/resource"


class Recorder:
    """Stands for the transport: records each request and answers success with ``result``."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, dict[str, str], Any]] = []
        self.result: Any = None
        self.retcode = "0"

    def send(self, session: object, interface: Interface, agent_id: str, path: str, **request: Any) -> Exchange:
        query = {k: str(v) for k, v in (request.get("query") or {}).items()}
        self.sent.append((interface.name, interface.method, path, query, request.get("body")))
        reply = {"retcode": self.retcode, "message": ""} | ({} if self.result is None else {"result": self.result})
        return Exchange(interface.method, "https://gw.example:8043" + path, 200, "OK", {}, request.get("body"), {},
                        json.dumps(reply), 1.0, json=reply)


def recorded_library(monkeypatch: pytest.MonkeyPatch, agent_id: str) -> tuple[CCGatewayLibrary, Recorder]:
    """A library acting for agent ``agent_id`` whose requests go to a `Recorder`."""
    library = CCGatewayLibrary(url="https://gw.example:8043", diagram=False)
    recorder = Recorder()
    monkeypatch.setattr(library.ctx.requests, "send", recorder.send)
    handle = SimpleNamespace(session=object(), agent_id=agent_id, describe=lambda: f"agent {agent_id}")
    monkeypatch.setattr(library.ctx, "agent", lambda alias=None: handle)
    return library, recorder


def sent_once(recorder: Recorder) -> tuple[str, str, str, dict[str, str], Any]:
    assert len(recorder.sent) == 1, recorder.sent
    name, method, path, query, body = recorder.sent[0]
    return name, method, urlsplit(path).path, dict(parse_qsl(urlsplit(path).query)) | query, body


def assert_sends(library: CCGatewayLibrary, recorder: Recorder, keyword: str, args: tuple[Any, ...],
                 kwargs: dict[str, Any], expected: tuple[str, str, str, dict[str, str], Any], *,
                 any_case: bool = False) -> None:
    """Runs ``keyword`` and checks the one request it sent: (log name, method, path under the base path, query,
    body); ``any_case`` compares paths ignoring case (the gateway's paths are not case-sensitive)."""
    getattr(library, keyword)(*args, **kwargs)
    name, method, path, query, body = sent_once(recorder)
    path = path.removeprefix(BASE)
    wanted = expected[2]
    if any_case:
        path, wanted = path.lower(), wanted.lower()
    assert (name, method, path, query, body) == (*expected[:2], wanted, *expected[3:])


def documented_interfaces(library: CCGatewayLibrary, *chapters: str) -> set[str]:
    """The interfaces of ``chapters`` that have a vendor page (not only listed): each needs a keyword's test."""
    return {interface.name for interface in library.ctx.catalogue.interfaces.values()
            if interface.chapter in chapters and not interface.listed}


def pinned(*cases: list[Any]) -> set[str]:
    """The interfaces that request-test ``cases`` (keyword, args, kwargs, expected request) pin down."""
    return {case[3][0] for group in cases for case in group}
