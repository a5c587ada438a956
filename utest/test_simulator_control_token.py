"""The control token: the server's guard, the library's client and keyword, and ccgw-sim's start-up rules."""

from __future__ import annotations

import hmac
import http.client
import json
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from robot.api.types import Secret

from CCGatewayLibrary.context import LibraryContext, Settings
from CCGatewayLibrary.errors import SimulatorError
from CCGatewayLibrary.keywords.simulator import SimulatorKeywords
from CCGatewayLibrary.simulator import cli
from CCGatewayLibrary.simulator import shell as shell_module
from CCGatewayLibrary.simulator.control import CONTROL_PREFIX, CONTROL_TOKEN_HEADER, SimulatorControl
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.replay import ReplaySimulator
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import Endpoint, SimulatorRunner

TOKEN = "ctl-token-5b0e9f3a1c7d"
AGENT = "301"
PHONE = "70001"


@pytest.fixture(scope="module")
def guarded() -> Iterator[SimulatorRunner]:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2), control_token=TOKEN)
    runner.endpoint = runner.start_in_thread()  # type: ignore[attr-defined]
    yield runner
    runner.stop()


@pytest.fixture(scope="module")
def open_runner() -> Iterator[SimulatorRunner]:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2))
    runner.endpoint = runner.start_in_thread()  # type: ignore[attr-defined]
    yield runner
    runner.stop()


def _endpoint(runner: SimulatorRunner) -> Endpoint:
    return runner.endpoint  # type: ignore[attr-defined,no-any-return]


def _session(runner: SimulatorRunner) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override verify
    session.verify = str(runner.ca_file)
    return session


def _sign_in(runner: SimulatorRunner, agent_id: str) -> None:
    body = {"password": Roster.load().password_of(agent_id), "phonenum": PHONE, "autoanswer": False}
    with _session(runner) as session:
        reply = session.put(f"{_endpoint(runner).url}/agentgateway/resource/onlineagent/{agent_id}/forcelogin",
                            json=body, timeout=5)
    assert reply.json()["retcode"] == "0", reply.text


CONTROL_CALLS = [
    ("GET", "/health", None),
    ("POST", "/calls", {"caller": "88880001", "agent": "302"}),
    ("DELETE", "/calls/1-1", None),
    ("GET", "/agents/302", None),
    ("GET", "/no-such-thing", None),
]


# ---------------------------------------------------------------- the server's guard


@pytest.mark.parametrize("method, path, body", CONTROL_CALLS)
@pytest.mark.parametrize("offered", [None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper(),
                                     b"\xff\xfe" + TOKEN.encode()])
def test_control_request_without_the_token_is_401(guarded: SimulatorRunner, method: str, path: str,
                                                  body: dict[str, str] | None, offered: str | bytes | None) -> None:
    headers = {} if offered is None else {CONTROL_TOKEN_HEADER: offered}
    with _session(guarded) as session:
        reply = session.request(method, _endpoint(guarded).url + CONTROL_PREFIX + path, json=body, headers=headers,
                                timeout=5)
    assert reply.status_code == 401
    assert CONTROL_TOKEN_HEADER in reply.json()["error"]
    assert TOKEN not in reply.text


@pytest.mark.parametrize("method, path, body, status", [
    ("GET", "/health", None, 200),
    ("POST", "/calls", {"caller": "88880001", "agent": "9999999"}, 409),
    ("DELETE", "/calls/1-1", None, 404),
    ("GET", "/agents/302", None, 200),
])
def test_control_request_with_the_token_is_served(guarded: SimulatorRunner, method: str, path: str,
                                                  body: dict[str, str] | None, status: int) -> None:
    with _session(guarded) as session:
        reply = session.request(method, _endpoint(guarded).url + CONTROL_PREFIX + path, json=body,
                                headers={CONTROL_TOKEN_HEADER: TOKEN}, timeout=5)
    assert reply.status_code == status, reply.text


@pytest.fixture(scope="module")
def guarded_replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorRunner]:
    """A replay whose recording expects one inbound call through the control interface."""
    recording = tmp_path_factory.mktemp("replay") / "session.jsonl"
    recording.write_text("\n".join(json.dumps(line) for line in [
        {"kind": "header", "format": "ccgw-recording", "version": 1},
        {"t": 0.1, "kind": "control", "method": "POST", "path": "/calls", "body": {"caller": "88880001"},
         "status": 201, "reply": {"callid": "1-1"}},
    ]) + "\n")
    runner = SimulatorRunner(simulator=ReplaySimulator(recording, poll_wait=0.2, control_token=TOKEN))
    runner.endpoint = runner.start_in_thread()  # type: ignore[attr-defined]
    yield runner
    runner.stop()


# Spellings of the control paths that a router or a proxy may take for /ccgw-sim/v1/<tail>, or not.
SPELLINGS = [
    "/%63cgw-sim/v1/{tail}", "/%2563cgw-sim/v1/{tail}", "/ccgw%2Dsim/v1/{tail}", "/ccgw-sim%2Fv1/{tail}",
    "/ccgw-sim/v1%2F{tail}", "//ccgw-sim/v1/{tail}", "/ccgw-sim//v1/{tail}", "/ccgw-sim/v1//{tail}",
    "/CCGW-SIM/v1/{tail}", "/ccgw-sim/V1/{tail}", "/ccgw-sim./v1/{tail}", "/ccgw-sim/v1/{tail}.",
    "/./ccgw-sim/v1/{tail}", "/ccgw-sim/./v1/{tail}", "/x/../ccgw-sim/v1/{tail}", "/ccgw-sim/v1/{tail}/",
    "/ccgw-sim/v1/{tail};x", "/ccgw-sim/v1/{tail}?x=1", "/ccgw-sim/v1/%{hex}{rest}",
]


def _raw_request(runner: SimulatorRunner, method: str, path: str, body: bytes | None,
                 token: str | None = None) -> tuple[int, bytes]:
    """Sends ``path`` byte for byte (requests and urllib3 would normalise it)."""
    url = _endpoint(runner).url.removeprefix("https://")
    host, port = url.rsplit(":", 1)
    connection = http.client.HTTPSConnection(host, int(port), timeout=5,
                                             context=ssl.create_default_context(cafile=str(runner.ca_file)))
    headers = {"Content-Type": "application/json", **({CONTROL_TOKEN_HEADER: token} if token else {})}
    try:
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


@pytest.mark.parametrize("server", ["live", "replay"])
@pytest.mark.parametrize("method, tail, body", [("GET", "health", None),
                                                ("POST", "calls", b'{"caller": "88880001", "agent": "302"}')])
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_no_spelling_of_a_control_path_passes_without_the_token(request: pytest.FixtureRequest, server: str,
                                                                method: str, tail: str, body: bytes | None,
                                                                spelling: str) -> None:
    runner: SimulatorRunner = request.getfixturevalue("guarded" if server == "live" else "guarded_replay")
    path = spelling.format(tail=tail, hex=f"{ord(tail[0]):02X}", rest=tail[1:])
    before = runner.simulator.counters()
    status, reply = _raw_request(runner, method, path, body)
    assert status == 401, f"{method} {path} answered {status}: {reply[:200]!r}"
    assert CONTROL_TOKEN_HEADER.encode() in reply
    assert b"session.jsonl" not in reply  # the replay's health names its recording
    if server == "replay":  # the recorded control call is still waiting for its request
        after = runner.simulator.counters()
        assert (after["replayed"], after["unexpected"], after["left"]) == (before["replayed"], 0, 1)


def test_the_replay_serves_its_control_calls_with_the_token(guarded_replay: SimulatorRunner) -> None:
    status, reply = _raw_request(guarded_replay, "GET", CONTROL_PREFIX + "/health", None, TOKEN)
    assert status == 200 and json.loads(reply)["replay"].endswith("session.jsonl")
    status, reply = _raw_request(guarded_replay, "POST", CONTROL_PREFIX + "/calls", b'{"caller": "88880001"}', TOKEN)
    assert (status, json.loads(reply)) == (201, {"callid": "1-1"})


def test_token_is_compared_in_constant_time(guarded: SimulatorRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[object, object]] = []
    original = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(shell_module.hmac, "compare_digest", spy)
    with _session(guarded) as session:
        assert session.get(_endpoint(guarded).url + CONTROL_PREFIX + "/health", timeout=5,
                           headers={CONTROL_TOKEN_HEADER: "guess"}).status_code == 401
    assert compared == [(b"guess", TOKEN.encode())]


def test_gateway_paths_need_no_control_token(guarded: SimulatorRunner) -> None:
    _sign_in(guarded, AGENT)  # asserts retcode 0


def test_guarded_simulator_says_so(guarded: SimulatorRunner) -> None:
    assert guarded.simulator.control_protected


def test_without_a_token_the_control_interface_is_open(open_runner: SimulatorRunner) -> None:
    with _session(open_runner) as session:
        reply = session.get(_endpoint(open_runner).url + CONTROL_PREFIX + "/health", timeout=5)
    assert reply.status_code == 200
    assert not open_runner.simulator.control_protected


# ---------------------------------------------------------------- the library's client and keywords


def test_client_sends_the_token(guarded: SimulatorRunner) -> None:
    control = SimulatorControl(_endpoint(guarded).url, str(guarded.ca_file), token=TOKEN)
    assert control.health()["status"] == "ok"
    assert TOKEN not in repr(control)


@pytest.mark.parametrize("token, wording", [(None, "was not given"), ("not-the-token", "was refused")])
def test_client_without_the_right_token_says_so_without_leaking(guarded: SimulatorRunner, token: str | None,
                                                               wording: str) -> None:
    control = SimulatorControl(_endpoint(guarded).url, str(guarded.ca_file), token=token)
    with pytest.raises(SimulatorError, match="control_token") as caught:
        control.offer_call("88880001", AGENT)
    assert wording in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert "not-the-token" not in str(caught.value)


def test_use_gateway_keeps_the_token_in_the_context(guarded: SimulatorRunner, capsys: pytest.CaptureFixture[str]) \
        -> None:
    ctx = LibraryContext(Settings())
    keywords = SimulatorKeywords(ctx)
    keywords.use_gateway(_endpoint(guarded).url, str(guarded.ca_file), control_token=Secret(TOKEN))
    assert ctx.simulator_control_token.value == TOKEN  # type: ignore[attr-defined]
    assert TOKEN in ctx.secrets  # so the scrubber masks it should it ever reach a log line
    _sign_in(guarded, "303")
    callid = keywords.simulate_inbound_call("88880003", agent_id="303")
    keywords.simulate_customer_hang_up(callid)
    # choosing a gateway again without a token forgets it: a token belongs to one gateway
    keywords.use_gateway(_endpoint(guarded).url, str(guarded.ca_file))
    assert ctx.simulator_control_token is None  # type: ignore[attr-defined]
    with pytest.raises(SimulatorError, match="was not given"):
        keywords.simulate_inbound_call("88880003", agent_id="303")
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err


def test_control_keywords_work_on_a_context_that_never_had_a_token(open_runner: SimulatorRunner) -> None:
    ctx = LibraryContext(Settings(url=_endpoint(open_runner).url, ca_bundle=str(open_runner.ca_file)))
    assert ctx.simulator_control_token is None  # declared, never set: Use Gateway was not called
    _sign_in(open_runner, "304")
    callid = SimulatorKeywords(ctx).simulate_inbound_call("88880004", agent_id="304")
    SimulatorKeywords(ctx).simulate_customer_hang_up(callid)


def test_embedded_simulator_binds_loopback_without_a_token() -> None:
    ctx = LibraryContext(Settings())
    keywords = SimulatorKeywords(ctx)
    url = keywords.start_gateway_simulator()
    try:
        assert ctx.simulator is not None
        assert ctx.simulator.host == "127.0.0.1"
        assert not ctx.simulator.simulator.control_protected
        assert url.startswith("https://127.0.0.1:")
    finally:
        keywords.stop_gateway_simulator()


# ---------------------------------------------------------------- ccgw-sim's start-up rules


class FakeRunner:
    """Stands in for SimulatorRunner: records how ccgw-sim would start it, and listens nowhere."""

    started: list[dict[str, Any]] = []

    def __init__(self, config: SimulatorConfig, roster: Roster, **options: Any) -> None:
        self.options = options
        self.simulator = SimpleNamespace(counters=lambda: {"requests": 0})

    def serve_forever(self, announce: Any, console_port: int | None = None) -> None:
        FakeRunner.started.append({**self.options, "console_port": console_port})
        console = None if console_port is None else f"https://{self.options['host']}:8044/ccgw-sim/v1/console/"
        announce(Endpoint(f"https://{self.options['host']}:8043", Path("ca.pem"), console))


@pytest.fixture
def fake_runner(monkeypatch: pytest.MonkeyPatch) -> type[FakeRunner]:
    FakeRunner.started = []
    # cli imports the runner when it starts serving (so that --help works without aiohttp): patch it there
    monkeypatch.setattr("CCGatewayLibrary.simulator.runner.SimulatorRunner", FakeRunner)
    return FakeRunner


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.0.2.10", "sim.example.com"])
def test_refuses_to_listen_beyond_loopback_without_a_token(fake_runner: type[FakeRunner], host: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--host", host]) == cli.EXIT_REFUSED
    assert fake_runner.started == []
    error = capsys.readouterr().err
    assert "--control-token-env" in error
    assert "--insecure-open-control" in error


def test_insecure_open_control_starts_with_a_warning(fake_runner: type[FakeRunner],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--host", "0.0.0.0", "--insecure-open-control"]) == 0
    assert fake_runner.started[0]["control_token"] is None
    error = capsys.readouterr().err
    assert "WARNING" in error
    assert CONTROL_PREFIX in error


def test_token_comes_from_the_named_environment_variable(fake_runner: type[FakeRunner],
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CCGW_TEST_SIM_TOKEN", TOKEN)
    assert cli.main(["--host", "0.0.0.0", "--control-token-env", "CCGW_TEST_SIM_TOKEN"]) == 0
    assert fake_runner.started[0]["control_token"] == TOKEN
    captured = capsys.readouterr()
    assert "WARNING" not in captured.err
    assert CONTROL_TOKEN_HEADER in captured.out
    assert TOKEN not in captured.out + captured.err
    # the console's address, and how to give it the token, without the token
    assert "ccgw-sim console on https://0.0.0.0:8044/ccgw-sim/v1/console/ (give it the control token" in captured.out


@pytest.mark.parametrize("value", [None, "", "   ", "t\u00f6ken-with-umlaut", "tab\tinside"])
def test_missing_or_unusable_token_variable_refuses(fake_runner: type[FakeRunner], monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("CCGW_TEST_SIM_TOKEN", raising=False)
    else:
        monkeypatch.setenv("CCGW_TEST_SIM_TOKEN", value)
    assert cli.main(["--control-token-env", "CCGW_TEST_SIM_TOKEN"]) == cli.EXIT_REFUSED
    assert fake_runner.started == []
    error = capsys.readouterr().err
    assert "CCGW_TEST_SIM_TOKEN" in error
    if value and value.strip():
        assert value.strip() not in error


def test_loopback_needs_neither_token_nor_flag(fake_runner: type[FakeRunner],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    for host in ("127.0.0.1", "::1", "localhost"):
        assert cli.main(["--host", host]) == 0
    assert [options["control_token"] for options in fake_runner.started] == [None, None, None]
    assert "WARNING" not in capsys.readouterr().err


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("[::1]", True), ("LOCALHOST", True), ("0.0.0.0", False), ("::", False),
                                            ("", False), ("10.1.2.3", False), ("gateway-sim", False)])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert cli.is_loopback(host) is loopback


def test_ccgw_sim_process_refuses_and_then_serves_with_a_token(tmp_path: Path) -> None:
    """The real command: refused on 0.0.0.0 without a token; with one on loopback, it guards the control interface."""
    command = [sys.executable, "-m", "CCGatewayLibrary.simulator", "--port", "0", "--ca-file", str(tmp_path / "ca.pem")]
    refused = subprocess.run([*command, "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == cli.EXIT_REFUSED
    assert "--control-token-env" in refused.stderr

    ready = tmp_path / "ready.json"
    env = {**os.environ, "CCGW_TEST_SIM_TOKEN": TOKEN}
    process = subprocess.Popen([*command, "--control-token-env", "CCGW_TEST_SIM_TOKEN", "--ready-file", str(ready)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "ccgw-sim did not start"
        endpoint = json.loads(ready.read_text())
        assert TOKEN not in ready.read_text()
        session = requests.Session()
        session.trust_env = False
        session.verify = endpoint["ca_file"]
        with session:
            health = endpoint["url"] + CONTROL_PREFIX + "/health"
            assert session.get(health, timeout=5).status_code == 401
            assert session.get(health, headers={CONTROL_TOKEN_HEADER: TOKEN}, timeout=5).status_code == 200
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert TOKEN not in out + err
