"""Seeded random requests against the simulator over HTTPS: it must never answer 5xx.

The fuzz run sends ``CCGW_FUZZ_REQUESTS`` requests (3000 by default) built from ``random.Random(CCGW_FUZZ_SEED)``:
every catalogue interface and the control interface, plausible and malformed agent IDs, methods, query strings,
bodies (random JSON, deep nesting, huge and odd strings, non-JSON bytes, odd charsets and encodings) and Guid
headers, including the live Guids of signed-in agents so the model's state machine is driven too. Replies are
sequential, so a failure replays with the same seed. The targeted tests above it pin the crashes fuzzing found.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import requests
from simulated_world import reply_breaches

from CCGatewayLibrary.catalogue import Catalogue, Interface, load_catalogue
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.control import CONTROL_PREFIX, CONTROL_TOKEN_HEADER
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner
from CCGatewayLibrary.simulator.server import MAX_BODY_DEPTH, UnreadableBody, nested_deeper_than, parse_body

SEED = int(os.environ.get("CCGW_FUZZ_SEED", "20250611"))
REQUESTS = int(os.environ.get("CCGW_FUZZ_REQUESTS", "3000"))
TOKEN = "fuzz-control-token-7d1f0c2a"
SIGNED_IN = [str(agent) for agent in range(101, 109)]
PHONE = "70001"
METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO")
CONTENT_TYPES = (
    "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-16",
    "application/json; charset=latin-1", "application/json; charset=gbk", "application/json; charset=foo-bar",
    "application/json; charset=base64", "application/json; charset=punycode", "application/json; charset=",
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/xml",
    "application/json; charset=\"utf-8\"; q=\"", ";;;", "*/*", "x" * 300, b"application/json; charset=utf\xff",
    b"application/json; charset=\xc3\xa9", b"\xff\xfe/\xff",
)
ODD_TEXT = ("", " ", "0", "-1", "101", "null", "true", "[]", "{}", "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600",
            "\x00", "\x01\x1f\x7f", "\u202e101", "\ud800", "\\", "\"", "%00", "../../etc", "a" * 64,
            "\u0661\u0660\u0661", "9" * 40, "1e309", "NaN")


# Well-formed values of the fields that the agent chapter's interfaces add, so clean requests get past the
# schema check and move the simulated agents through rest, work, skills and custom states.
PLAUSIBLE: dict[str, tuple[Any, ...]] = {
    "time": ("1", "60", "86399"), "restcause": ("0", "3", "255"), "prolong": ("true", "false"),
    "autoflag": ("true", "false"), "isautoanswer": ("true", "false"), "flag": ("true", "false"),
    "workno": ("101", "102"), "customstate": ("0", "12", "65534"), "skillid": ("1", "1;2", ""),
    "agentIds": (), "content": ("hello",), "oldPassword": ("x",), "newPassword": ("Abcdefg1!",),
}


def _raw(text: str) -> bytes:
    """UTF-8 bytes even for lone surrogates, which random text has and URLs can still carry percent-encoded."""
    return text.encode("utf-8", "surrogatepass")


def _segment(text: str) -> str:
    return quote(_raw(text), safe="")


def _known_valid(name: str, schema: dict[str, Any]) -> bool:
    """Whether the fuzzer's field_value can give this field a value that passes its schema."""
    flag = schema.get("$ref", "").endswith("/flag")
    return flag or "enum" in schema or name in ("password", "phonenum", "caller", "called", "callid", "reason")


def _send(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("timeout", 5)
    return session.request(method, url, **kwargs)


@pytest.fixture(scope="module")
def runner() -> Iterator[SimulatorRunner]:
    # short waits so held polls, Guid rotation and the far end answering all happen within the run
    config = SimulatorConfig(poll_wait=0.02, guid_rotation=0.5, guid_grace=0.5, answer_delay=0.01)
    started = SimulatorRunner(config, control_token=TOKEN)
    started.endpoint = started.start_in_thread()  # type: ignore[attr-defined]
    yield started
    started.stop()


@pytest.fixture(scope="module")
def base_url(runner: SimulatorRunner) -> str:
    return runner.endpoint.url  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def session(runner: SimulatorRunner) -> Iterator[requests.Session]:
    client = requests.Session()
    client.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override verify
    client.verify = str(runner.ca_file)
    yield client
    client.close()


def _gateway_path(name: str, agent_id: str) -> str:
    return load_catalogue().interface(name).url_path({"agentid": agent_id})


# ---------------------------------------------------------------- crashes found, pinned


def test_depth_scan_counts_brackets_outside_strings_only() -> None:
    assert not nested_deeper_than('{"a": "' + "[" * 500 + '"}', MAX_BODY_DEPTH)
    assert not nested_deeper_than("[" * MAX_BODY_DEPTH + "]" * MAX_BODY_DEPTH, MAX_BODY_DEPTH)
    assert nested_deeper_than("[" * (MAX_BODY_DEPTH + 1) + "]" * (MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)
    assert nested_deeper_than('["\\"", ' + "[" * 40, MAX_BODY_DEPTH)  # an escaped quote does not end the string
    assert not nested_deeper_than('"never closed \\' + "[" * 40, MAX_BODY_DEPTH)


@pytest.mark.parametrize("charset", ["a\x00b", "utf\udcff", "foo-bar", "base64", "punycode", "\u00e9"])
def test_odd_charset_names_are_unreadable_not_errors(charset: str) -> None:
    with pytest.raises(UnreadableBody, match="charset"):
        parse_body(b"{}", charset)


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"password": "x", "phonenum": "1", "ip": ' + "[" * 990 + "]" * 990 + "}",
])
def test_deeply_nested_body_is_a_malformed_body(session: requests.Session, base_url: str, body: str) -> None:
    reply = _send(session, "PUT", base_url + _gateway_path("login", "101"), data=body,
                  headers={"Content-Type": "application/json"})
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["retcode"] == "000-006"
    assert "not valid JSON" in reply.json()["message"]
    assert "nested" in reply.json()["message"]


def test_deeply_nested_control_body_is_refused_with_400(session: requests.Session, base_url: str) -> None:
    reply = _send(session, "POST", base_url + CONTROL_PREFIX + "/calls", data="[" * 100_000 + "]" * 100_000,
                  headers={CONTROL_TOKEN_HEADER: TOKEN})
    assert reply.status_code == 400, reply.text[:300]
    assert "nested" in reply.json()["error"]


@pytest.mark.parametrize("content_type", ["application/json; charset=foo-bar", "text/plain; charset=base64"])
def test_unknown_charset_is_a_malformed_body(session: requests.Session, base_url: str, content_type: str) -> None:
    reply = _send(session, "PUT", base_url + _gateway_path("login", "101"), data=b"{}",
                  headers={"Content-Type": content_type})
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["retcode"] == "000-006"
    control = _send(session, "POST", base_url + CONTROL_PREFIX + "/calls", data=b"{}",
                    headers={"Content-Type": content_type, CONTROL_TOKEN_HEADER: TOKEN})
    assert control.status_code == 400, control.text[:300]


@pytest.mark.parametrize(("encoding", "data"), [
    pytest.param("gzip", b"not gzip at all", id="not-gzip"),  # used to answer 500
    pytest.param("deflate", b"5", id="truncated-deflate"),  # used to hang until the client gave up
    # mtime=0: a stable test ID (gzip writes the time into its header)
    pytest.param("gzip", gzip.compress(b'{"password": "wrong", "phonenum": "1"}', mtime=0), id="valid-gzip"),
])
def test_compressed_body_is_a_malformed_body(session: requests.Session, base_url: str, encoding: str,
                                             data: bytes) -> None:
    reply = _send(session, "PUT", base_url + _gateway_path("login", "101"), data=data, timeout=3,
                  headers={"Content-Type": "application/json", "Content-Encoding": encoding})
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["retcode"] == "000-006"
    assert "Content-Encoding" in reply.json()["message"]
    control = _send(session, "POST", base_url + CONTROL_PREFIX + "/calls", data=data, timeout=3,
                    headers={"Content-Encoding": encoding, CONTROL_TOKEN_HEADER: TOKEN})
    assert control.status_code == 400, control.text[:300]


def test_nan_is_not_json(session: requests.Session, base_url: str) -> None:
    reply = _send(session, "PUT", base_url + _gateway_path("login", "101"),
                  data='{"password": NaN, "phonenum": "1"}')
    assert reply.json()["retcode"] == "000-006"


# ---------------------------------------------------------------- the fuzz run


@dataclass
class Outcome:
    sent: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    retcodes: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def fail(self, what: str, reply: requests.Response) -> None:
        if len(self.failures) < 20:
            self.failures.append(f"{what} -> HTTP {reply.status_code}: {reply.text[:300]!r}")


@dataclass
class Probe:
    """One request the fuzzer sends, and what it expects of the reply."""

    method: str
    path: str
    headers: dict[str, Any] = field(default_factory=dict)
    params: list[tuple[bytes, bytes]] | None = None
    data: bytes | None = None
    interface: Interface | None = None
    agent_id: str | None = None
    control: bool = False
    token_ok: bool = True

    def breaks_http(self) -> bool:
        """A method HTTP parsers refuse, or a request line past aiohttp's 8190-byte limit: the server answers 400
        and closes at once, so over TLS the client may see the connection reset instead of the reply."""
        query = urlencode(self.params or [])
        return self.method == "FOO" or len(self.path) + len(query) > 8000

    def describe(self) -> str:
        body = repr(self.data[:120]) if self.data else "no body"
        return f"{self.method} {self.path[:150]} params={self.params!r:.120} headers={self.headers!r:.200} {body}"


class Fuzzer:
    def __init__(self, rng: random.Random, catalogue: Catalogue, roster: Roster) -> None:
        self.rng = rng
        self.catalogue = catalogue
        self.roster = roster
        self.interfaces = sorted(catalogue.interfaces.values(), key=lambda i: i.name)
        self.guids: dict[str, list[str]] = {}
        self.callids: list[str] = ["0", "1700000000-1"]
        self.signed_out: set[str] = set()

    # -- values ---------------------------------------------------------------------------------------
    def text(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.3:
            return r.choice(ODD_TEXT)
        if kind < 0.55:
            return "".join(r.choices(string.digits, k=r.randint(1, 30)))
        if kind < 0.8:
            return "".join(r.choices(string.printable, k=r.randint(0, 40)))
        if kind < 0.97:
            return "".join(chr(r.randint(0, 0x2FFFF)) for _ in range(r.randint(1, 20)))
        return r.choice("x9\u4e2d") * r.randint(10_000, 200_000)  # huge strings, now and then

    def json_value(self, depth: int = 0) -> Any:
        r = self.rng
        kind = r.randrange(10 if depth < 5 else 7)
        if kind == 0:
            return None
        if kind == 1:
            return r.choice((True, False))
        if kind == 2:
            return r.choice((0, -1, 3, 4, 5, 2**31, 2**64, -(2**63), 10**30))
        if kind == 3:
            return r.choice((0.5, -1e300, 1e-300, 3.0))
        if kind in (4, 5, 6):
            return self.text()
        if kind in (7, 8):
            return {self.field_name(): self.json_value(depth + 1) for _ in range(r.randint(0, 5))}
        return [self.json_value(depth + 1) for _ in range(r.randint(0, 5))]

    def field_name(self) -> str:
        names = ("password", "phonenum", "status", "autoanswer", "called", "caller", "callid", "agent", "reason",
                 "ip", "skillid", "mediaability", "callappdata", "serviceToken")
        return self.rng.choice(names) if self.rng.random() < 0.7 else self.text()[:50]

    def agent_id(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.6:
            return r.choice(SIGNED_IN)
        if kind < 0.75:
            return str(r.randint(101, 1100))  # in the roster, mostly signed out
        if kind < 0.85:
            return r.choice(("1101", "99999", "999999", "1000000", "100", "0101"))
        return r.choice(ODD_TEXT) or "x"

    def digits(self, low: int = 1, high: int = 24) -> str:
        return "".join(self.rng.choices(string.digits, k=self.rng.randint(low, high)))

    def field_value(self, name: str, schema: dict[str, Any], agent_id: str, clean: bool) -> Any:
        r = self.rng
        if name == "password":
            known = agent_id in self.roster
            return self.roster.password_of(agent_id) if known and (clean or r.random() < 0.85) else self.text()[:32]
        if name in ("phonenum", "caller", "called"):
            return self.digits() if clean or r.random() < 0.8 else self.text()
        if name == "callid":
            return r.choice(self.callids) if clean or r.random() < 0.8 else self.text()
        if name == "reason":
            return r.choice(("", "0", "200", "225", "250")) if clean or r.random() < 0.8 else self.text()[:10]
        if name in PLAUSIBLE and (clean or r.random() < 0.8):
            return r.choice(PLAUSIBLE[name]) if name != "agentIds" else [int(r.choice(SIGNED_IN))]
        if "enum" in schema:
            return r.choice(schema["enum"])
        if schema.get("$ref", "").endswith("/flag"):
            return r.choice((True, False, "true", "false"))
        return self.json_value() if not clean and r.random() < 0.3 else self.text()[:24]

    def plausible(self, schema: dict[str, Any], agent_id: str, clean: bool) -> dict[str, Any]:
        """Every required field and a random few of the others; ``clean`` keeps them all schema-valid."""
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        chosen = [name for name, field_schema in properties.items()
                  if name in required or (self.rng.random() < 0.3 and (not clean or _known_valid(name, field_schema)))]
        return {name: self.field_value(name, properties[name], agent_id, clean) for name in chosen}

    # -- bodies ---------------------------------------------------------------------------------------
    def junk_body(self) -> tuple[bytes, dict[str, str]]:
        r = self.rng
        kind = r.randrange(12)
        if kind == 0:
            depth = r.choice((MAX_BODY_DEPTH - 1, MAX_BODY_DEPTH, MAX_BODY_DEPTH + 1, 100, 999, 5000, 100_000))
            if r.random() < 0.5:
                return ("[" * depth + "]" * depth).encode(), {}
            return ('{"a":' * depth + "1" + "}" * depth).encode(), {}
        if kind == 1:
            return bytes(r.randrange(256) for _ in range(r.randint(1, 300))), {}
        if kind == 2:
            text = json.dumps(self.json_value())
            return _raw(text[: r.randint(0, len(text))]), {}  # cut short
        if kind == 3:
            return r.choice((b"", b" ", b"\n", b"null", b"NaN", b"Infinity", b"-", b"1e999", b"9" * 5000,
                             b'{"a":1,}', b"\xef\xbb\xbf{}", b'{"password": "\xff"}', b"\x00")), {}
        if kind == 4:
            return json.dumps(self.json_value()).encode("utf-16"), {"Content-Type": "application/json; charset=utf-16"}
        if kind == 5:
            raw = json.dumps(self.json_value()).encode()
            return (gzip.compress(raw) if r.random() < 0.5 else raw), {"Content-Encoding": r.choice(("gzip",
                                                                                                      "deflate"))}
        if kind == 6:
            return _raw(json.dumps(self.json_value(), ensure_ascii=r.random() < 0.5)), {}
        return json.dumps(self.json_value()).encode(), {}

    def headers(self, junk: dict[str, str]) -> dict[str, Any]:
        r = self.rng
        headers: dict[str, Any] = {}
        if r.random() < 0.75:
            headers["Content-Type"] = "application/json"
        elif r.random() < 0.9:
            headers["Content-Type"] = r.choice(CONTENT_TYPES)
        headers.update(junk)
        return headers

    def guid(self, agent_id: str) -> bytes | str | None:
        r = self.rng
        own = self.guids.get(agent_id, [])
        kind = r.random()
        if own and kind < 0.65:
            return own[-1] if r.random() < 0.85 else r.choice(own)
        if kind < 0.75 and self.guids:
            return r.choice(self.guids[r.choice(sorted(self.guids))])  # another agent's Guid
        if kind < 0.85:
            return None
        if kind < 0.95:
            return r.choice(("", "JSESSIONID=", "00000000-0000-0000-0000-000000000000.AgentGateway0", "x" * 4000))
        # raw header bytes, not all of them UTF-8; leading blanks are left out as no HTTP client sends them
        return b"g" + bytes(r.choice(b"\t !~\x80\xff" + string.ascii_letters.encode()) for _ in range(r.randint(0, 60)))

    # -- requests -------------------------------------------------------------------------------------
    def gateway_probe(self) -> Probe:
        """A gateway request; a third are well formed for a signed-in agent, so the state machine moves."""
        r = self.rng
        clean = r.random() < 0.35
        agent_id = r.choice(SIGNED_IN) if clean else self.agent_id()
        interface = r.choice(self.interfaces)
        if clean and agent_id in self.signed_out and r.random() < 0.7:
            interface = self.catalogue.interface(r.choice(("login", "forceLogin")))  # back in, to go on playing
        method = interface.method if clean or r.random() < 0.85 else r.choice(METHODS)
        path_schema = interface.request_schema["properties"]["path"]
        others = {name: _segment(str(self.field_value(name, sub, agent_id, clean)))
                  for name, sub in path_schema["properties"].items() if name != "agentid"}
        probe = Probe(method, interface.path.format(agentid=_segment(agent_id), **others), interface=interface,
                      agent_id=agent_id)
        query_schema = interface.request_schema["properties"].get("query", {})
        kind = r.random()
        if (clean or kind < 0.5) and query_schema.get("properties"):
            values = self.plausible(query_schema, agent_id, clean)
            probe.params = [(_raw(name), _raw(str(value))) for name, value in values.items()]
        elif not clean and kind < 0.7:
            probe.params = [(_raw(self.field_name()), _raw(self.text()[:100])) for _ in range(r.randint(1, 4))]
        junk: dict[str, str] = {}
        if interface.has_body and (clean or r.random() < 0.6):
            body = self.plausible(interface.request_schema["properties"]["body"], agent_id, clean)
            probe.data = json.dumps(body).encode()
        elif not clean and r.random() < 0.5:
            probe.data, junk = self.junk_body()
        probe.headers = {"Content-Type": "application/json"} if clean else self.headers(junk)
        own = self.guids.get(agent_id)
        guid = own[-1] if clean and own else self.guid(agent_id)
        if guid is not None:
            probe.headers["Guid"] = guid
        return probe

    def control_probe(self) -> Probe:
        r = self.rng
        kind = r.randrange(6)
        body: Any = None
        if kind in (0, 1):
            method, path = "POST", "/calls"
            body = {"caller": self.digits(), "agent": r.choice(SIGNED_IN)} if r.random() < 0.7 else \
                self.json_value()
        elif kind == 2:
            method, path = "DELETE", "/calls/" + _segment(r.choice(self.callids) if r.random() < 0.7 else self.text())
        elif kind == 3:
            method, path = "GET", "/agents/" + _segment(self.agent_id())
        elif kind == 4:
            method, path = "GET", "/health"
        else:
            method, path = r.choice(METHODS), r.choice(("", "/", "/calls", "/agents", "/x", "/calls/a/b"))
        probe = Probe(method, CONTROL_PREFIX + path, control=True)
        junk: dict[str, str] = {}
        if body is not None:
            probe.data = json.dumps(body).encode()
        elif r.random() < 0.3:
            probe.data, junk = self.junk_body()
        probe.headers = self.headers(junk)
        token = r.random()
        if token < 0.85:
            probe.headers[CONTROL_TOKEN_HEADER] = TOKEN
        elif token < 0.9:
            probe.token_ok = False
        else:
            probe.token_ok = False
            probe.headers[CONTROL_TOKEN_HEADER] = r.choice((TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "", "x",
                                                            "\u00e9".encode("latin-1"), TOKEN.encode() + b"\xff"))
        return probe

    def wild_probe(self) -> Probe:
        r = self.rng
        path = r.choice(("/", "/agentgateway", "/agentgateway/resource/", "/agentgateway/resource/onlineagent/",
                         "/ccgw-sim", "/ccgw-sim/v2/health", "/" + quote(_raw(self.text()[:80]), safe="/")))
        probe = Probe(r.choice(METHODS), path)
        if r.random() < 0.5:
            probe.data, junk = self.junk_body()
            probe.headers = self.headers(junk)
        return probe

    def next_probe(self) -> Probe:
        kind = self.rng.random()
        if kind < 0.72:
            return self.gateway_probe()
        if kind < 0.93:
            return self.control_probe()
        return self.wild_probe()

    # -- learning from replies ----------------------------------------------------------------------------
    def learn(self, probe: Probe, reply: requests.Response, data: Any) -> None:
        set_guid = reply.headers.get("Set-GUID", "")
        if probe.agent_id and set_guid.startswith("JSESSIONID="):
            self.guids.setdefault(probe.agent_id, []).append(set_guid.split("=", 1)[1].split(";")[0])
        if not isinstance(data, dict):
            return
        if probe.agent_id and data.get("retcode") in ("100-006", "0") and probe.interface is not None:
            if data["retcode"] == "100-006" or probe.interface.name in ("logout", "forceLogout"):
                self.signed_out.add(probe.agent_id)
            elif probe.interface.name in ("login", "forceLogin"):
                self.signed_out.discard(probe.agent_id)
        found = [data.get("callid"), data.get("result")]
        event = data.get("event")
        if isinstance(event, dict):
            content = event.get("content")
            found += [content, content.get("callid") if isinstance(content, dict) else None]
        self.callids += [value for value in found if isinstance(value, str) and "-" in value]
        del self.callids[:-50]


def _check(probe: Probe, reply: requests.Response, catalogue: Catalogue, outcome: Outcome) -> Any:
    """The rules every reply must keep; returns the JSON reply when there is one."""
    outcome.by_status[reply.status_code] = outcome.by_status.get(reply.status_code, 0) + 1
    if reply.status_code >= 500:
        outcome.fail(probe.describe(), reply)
        return None
    if probe.method == "HEAD":
        return None
    try:
        data = reply.json()
    except ValueError:
        data = None
    gateway_reply = probe.interface is not None and reply.status_code == 200
    if gateway_reply:
        assert probe.interface is not None
        retcode = data.get("retcode") if isinstance(data, dict) else None
        outcome.retcodes[str(retcode)] = outcome.retcodes.get(str(retcode), 0) + 1
        for breach in reply_breaches(probe.interface, data, catalogue):
            outcome.fail(f"{probe.describe()}: {breach}", reply)
    # aiohttp's HTTP parser answers 400 in plain text before any route runs (unknown method, overlong URL)
    by_parser = reply.status_code == 400 and reply.headers.get("Content-Type", "").startswith("text/plain")
    if probe.control and not probe.token_ok and reply.status_code != 401 and not by_parser:
        outcome.fail(f"{probe.describe()}: control request without the right token was not refused", reply)
    if probe.control and reply.status_code in (200, 201, 400, 401, 409) and not by_parser \
            and not isinstance(data, dict):
        outcome.fail(f"{probe.describe()}: control reply is not a JSON object", reply)
    return data


def _sign_in(session: requests.Session, base_url: str, fuzzer: Fuzzer, agent_id: str) -> None:
    body = {"password": fuzzer.roster.password_of(agent_id), "phonenum": PHONE, "autoanswer": int(agent_id) > 104}
    reply = _send(session, "PUT", base_url + _gateway_path("forceLogin", agent_id), json=body)
    assert reply.json()["retcode"] == "0", reply.text
    fuzzer.learn(Probe("PUT", "", agent_id=agent_id), reply, reply.json())


def _check_model(runner: SimulatorRunner) -> None:
    """The model's books still balance after the run."""
    model = runner.simulator.model
    held = {call.callid for agent in model.agents.values() for call in agent.calls}
    assert held <= set(model.calls)
    for callid, call in model.calls.items():
        # Calls agents have left may go on between customers (a conference the agent left, connectHold), but
        # never with a lone customer.
        assert call.agent_parties() or len(call.parties()) >= 2, (callid, call.legs)
        for leg in call.legs:
            assert leg.call is call, (callid, leg)
            if leg.agent_id is not None:
                assert leg in model.agents[str(leg.agent_id)].calls, (callid, leg)
    for handle, party in model.handles.items():  # a handle names a party still in a call the model knows
        assert party in party.call.legs and model.calls.get(party.callid) is party.call, (handle, party)
    for agent in model.agents.values():
        if not agent.signed_in:
            assert not agent.calls and agent.guid is None, agent.agent_id
        elif agent.calls:
            assert agent.state == AgentState.TALKING, agent.agent_id


def test_random_requests_never_get_5xx(runner: SimulatorRunner, base_url: str, session: requests.Session,
                                       record_property: Callable[[str, object], None],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = load_catalogue()
    fuzzer = Fuzzer(random.Random(SEED), catalogue, Roster.load())
    for agent_id in SIGNED_IN:
        _sign_in(session, base_url, fuzzer, agent_id)
    outcome = Outcome()
    started = time.monotonic()
    for _ in range(REQUESTS):
        probe = fuzzer.next_probe()
        try:
            reply = _send(session, probe.method, base_url + probe.path, params=probe.params, data=probe.data,
                          headers=probe.headers)
        except requests.RequestException as error:  # dropped or hung: as bad as a 5xx, unless HTTP itself broke
            outcome.sent += 1
            if not probe.breaks_http():
                outcome.dropped.append(f"{probe.describe()} -> no reply: {type(error).__name__}")
            continue
        outcome.sent += 1
        fuzzer.learn(probe, reply, _check(probe, reply, catalogue, outcome))
    elapsed = time.monotonic() - started

    health = _send(session, "GET", base_url + CONTROL_PREFIX + "/health", headers={CONTROL_TOKEN_HEADER: TOKEN})
    assert health.status_code == 200 and health.json()["status"] == "ok"
    _check_model(runner)

    server_errors = sum(count for status, count in outcome.by_status.items() if status >= 500)
    summary = (f"fuzz: {outcome.sent} requests, seed {SEED}, {server_errors} 5xx, {len(outcome.dropped)} dropped, "
               f"{elapsed:.1f} s; "
               f"statuses {dict(sorted(outcome.by_status.items()))}; "
               f"retcodes {dict(sorted(outcome.retcodes.items(), key=lambda item: -item[1]))}")
    record_property("fuzz_requests", outcome.sent)
    record_property("fuzz_seed", SEED)
    record_property("fuzz_5xx", server_errors)
    with capsys.disabled():
        print(f"\n{summary}")
    assert outcome.sent == REQUESTS
    assert not outcome.failures, "\n".join([summary, *outcome.failures])
    assert not outcome.dropped, "\n".join([summary, *outcome.dropped[:20]])
    # the run reached the state machine, not just the schema checks
    assert outcome.retcodes.get("0", 0) > REQUESTS // 50, summary
