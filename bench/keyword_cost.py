#!/usr/bin/env python
"""Keyword cost: what one `Make Three Party Call` (confJoin POST), one `Get Agent Status` (GET) and three query
getters used as checks (`Get Queue Length    skill=2    ==    3`, `Get Idle Agents    validate    len(value) == 5`,
`Get Call Data    ==    ...`: GETs) cost from Robot, next to what a suite would use instead, all against one
minimal HTTPS keep-alive gateway stub. The anchors of the query getters check the same value after the schema
and the retcode.

Rows, each measured in every round, in a rotating order, against the same stub:

* ours: CCGatewayLibrary keywords in a Robot FOR loop (the FOR's own elapsed time from output.xml, so Robot's
  start-up is not counted);
* Robot's floor, in the same suite: a no-op library keyword (``floor_keywords.py``) with Get Queue Length's
  arguments, what Robot alone costs per keyword call and no keyword can go below;
* RequestsLibrary: the same in Robot with ``POST On Session`` / ``GET On Session``, a schema-checking keyword
  (``anchor_keywords.py``) and a retcode check;
* requests: a ``requests.Session`` loop with a precompiled jsonschema validator, in Python;
* http.client: ``http.client`` and ``json`` only, in Python.

The stub runs in a process of its own (this script with ``--serve``), so no row shares its interpreter with
the server. Run ``python bench/keyword_cost.py --help`` for the options.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
import trustme
from anchor_keywords import SET_GUID, check_reply
from benchlib import Figure, command_line, load_note, median, print_table, today

BENCH = Path(__file__).resolve().parent
AGENT, PHONE, PASSWORD = "101", "70001", "bench-stub-password"
HELD_CALL = "1455885056-1095"
BASE = "/agentgateway/resource"
LOGIN_PATH = f"{BASE}/onlineagent/{AGENT}"
STATUS_PATH = f"{BASE}/onlineagent/{AGENT}/agentstatus"
JOIN_PATH = f"{BASE}/voicecall/{AGENT}/confjoin"
SKILL = "2"
JOIN_BODY = {"callid": HELD_CALL}
LOGIN_BODY = {"password": PASSWORD, "status": 4, "autoanswer": False, "phonenum": PHONE}
POLL_WAIT = 10.0  # the gateway's documented poll wait; the library allows it 5 s more

OPERATIONS = {"confJoin": "Make Three Party Call", "getAgentStatus": "Get Agent Status",
              "queryQueueLengthBySkillId": "Get Queue Length", "getIdleStatusAgents": "Get Idle Agents",
              "queryCallAppData": "Get Call Data"}
ROWS = ("ours", "RequestsLibrary", "requests", "http.client")
ROW_TITLES = {
    "ours": "CCGatewayLibrary keyword in Robot",
    "RequestsLibrary": "RequestsLibrary in Robot (X On Session + schema keyword + retcode check)",
    "requests": "requests.Session + precompiled jsonschema validator (Python)",
    "http.client": "http.client + json only (Python)",
}


# -- the gateway stub ------------------------------------------------------------------------------

LOGIN_REPLY = {"message": "", "retcode": "0",
               "result": {"vdnid": 1, "workno": AGENT, "mediatype": "TFF", "loginTime": "1700000000000",
                          "isForceChange": "false", "serverName": "AgentGateway0", "timeRemaining": ""}}
EMPTY_POLL = {"message": "", "retcode": "0", "event": None}
STATUS_REPLY = {"message": "", "retcode": "0", "result": {"agentState": 4, "isWorking": False}}
JOIN_REPLY = {"message": "success", "retcode": "0", "result": {}}
WAITING, CALL_DATA = 3, "customer=4711;tier=gold"
IDLE_AGENTS = [{"workno": str(agent), "name": f"Agent {agent}", "status": "4", "ctiStatus": "1", "groupid": "1",
                "groupname": None, "skilllist": [{"name": "billing", "id": 2, "mediatype": 5}],
                "phonenumber": str(70000 + agent - 100), "currentstatetime": "12", "logindate": "1700000000000",
                "mediatype": "TFF", "vdnid": 1} for agent in range(102, 107)]
# The query getters: each a GET whose reply's result the check compares (log name: path, reply, result).
QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "queryQueueLengthBySkillId": (f"{BASE}/queuedevice/{AGENT}/skillwaitnum/{SKILL}",
                                  {"message": "success", "retcode": "0", "result": WAITING}),
    "getIdleStatusAgents": (f"{BASE}/agentgroup/{AGENT}/idleagent",
                            {"message": "success", "retcode": "0", "result": IDLE_AGENTS}),
    "queryCallAppData": (f"{BASE}/calldata/{AGENT}/appdata", {"message": "success", "retcode": "0",
                                                              "result": CALL_DATA}),
}
ROUTES = (
    ("PUT", re.compile(rf"{BASE}/onlineagent/[^/]+"), "login"),
    ("GET", re.compile(rf"{BASE}/agentevent/[^/]+"), "poll"),
    ("GET", re.compile(rf"{BASE}/onlineagent/[^/]+/agentstatus"), "status"),
    ("POST", re.compile(rf"{BASE}/voicecall/[^/]+/confjoin"), "confJoin"),
    *(("GET", re.compile(re.escape(path)), name) for name, (path, _) in QUERIES.items()),
)


class StubGateway(ThreadingHTTPServer):
    """HTTPS, HTTP/1.1 keep-alive, a thread per connection; knows the Guids it issued."""

    daemon_threads = True

    def __init__(self, context: ssl.SSLContext, poll_wait: float) -> None:
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self.poll_wait = poll_wait
        self.guids: set[str] = set()
        self.stopping = threading.Event()


class StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: StubGateway

    def setup(self) -> None:
        self.request.do_handshake()  # in the connection's own thread, not the accepting one
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # silence: one line per request is noise
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # consumed, or the next request on this connection would start inside it
        path = self.path.split("?", 1)[0]
        name = next((n for method, pattern, n in ROUTES if method == self.command and pattern.fullmatch(path)), None)
        if name is None:
            self._send({"message": "not served by the stub", "retcode": "000-002"}, status=404)
        elif name == "login":
            guid = f"{uuid.uuid4()}.AgentGateway0"
            self.server.guids.add(guid)
            self._send(LOGIN_REPLY, headers={"Set-GUID": f"JSESSIONID={guid}"})
        elif self.headers.get("Guid") not in self.server.guids:
            self._send({"message": "", "retcode": "000-003"})
        elif name == "poll":
            self.server.stopping.wait(self.server.poll_wait)
            self._send(EMPTY_POLL)
        elif name in QUERIES:
            self._send(QUERIES[name][1])
        else:
            self._send(STATUS_REPLY if name == "status" else JOIN_REPLY)

    def _send(self, reply: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> None:
        """The whole reply in one write, so Nagle and delayed ACKs cannot hold its second half back."""
        body = json.dumps(reply).encode()
        lines = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}",
                 "Content-Type: application/json;charset=UTF-8", f"Content-Length: {len(body)}"]
        lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
        try:
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:  # the client went away (a Robot run ended while its poll was held)
            self.close_connection = True


def serve(folder: Path, poll_wait: float) -> None:
    """The stub's process: prints ``port <n>`` once listening, then serves until terminated."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.pem")
    server = StubGateway(context, poll_wait)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


@contextlib.contextmanager
def stub_process(folder: Path) -> Any:
    """Makes a trustme CA and the stub's certificate in ``folder``, starts the stub; yields its URL."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            raise RuntimeError("the stub did not start")
        yield f"https://127.0.0.1:{line[1]}"
    finally:
        process.terminate()
        process.wait(10)


# -- Robot rows --------------------------------------------------------------------------------------

OURS_SUITE = """\
*** Settings ***
Library           CCGatewayLibrary
Library           floor_keywords
Variables         bench_vars.py
Suite Setup       Sign In To Stub

*** Test Cases ***
confJoin
    FOR    ${i}    IN RANGE    ${WARMUP}
        Make Three Party Call    ${HELD_CALL}
    END
    FOR    ${i}    IN RANGE    ${N}
        Make Three Party Call    ${HELD_CALL}
    END

getAgentStatus
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${status}=    Get Agent Status
    END
    FOR    ${i}    IN RANGE    ${N}
        ${status}=    Get Agent Status
    END

queryQueueLengthBySkillId
    FOR    ${i}    IN RANGE    ${WARMUP}
        Get Queue Length    skill=${SKILL}    ==    ${WAITING}
    END
    FOR    ${i}    IN RANGE    ${N}
        Get Queue Length    skill=${SKILL}    ==    ${WAITING}
    END

getIdleStatusAgents
    FOR    ${i}    IN RANGE    ${WARMUP}
        Get Idle Agents    validate    len(value) == ${IDLE}
    END
    FOR    ${i}    IN RANGE    ${N}
        Get Idle Agents    validate    len(value) == ${IDLE}
    END

queryCallAppData
    FOR    ${i}    IN RANGE    ${WARMUP}
        Get Call Data    ==    ${CALL_DATA}
    END
    FOR    ${i}    IN RANGE    ${N}
        Get Call Data    ==    ${CALL_DATA}
    END

floor
    FOR    ${i}    IN RANGE    ${WARMUP}
        Do Nothing    skill=${SKILL}    ==    ${WAITING}
    END
    FOR    ${i}    IN RANGE    ${N}
        Do Nothing    skill=${SKILL}    ==    ${WAITING}
    END

*** Keywords ***
Sign In To Stub
    Use Gateway    ${URL}    ca_bundle=${CA}
    Sign In Agent    ${AGENT}    ${PASSWORD}    ${PHONE}
"""

ANCHOR_SUITE = """\
*** Settings ***
Library           RequestsLibrary
Library           anchor_keywords
Variables         bench_vars.py
Suite Setup       Sign In To Stub

*** Test Cases ***
confJoin
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${response}=    POST On Session    gateway    ${JOIN_PATH}    json=${JOIN_BODY}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    confJoin
        Should Be Equal    ${reply}[retcode]    0
    END
    FOR    ${i}    IN RANGE    ${N}
        ${response}=    POST On Session    gateway    ${JOIN_PATH}    json=${JOIN_BODY}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    confJoin
        Should Be Equal    ${reply}[retcode]    0
    END

getAgentStatus
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${response}=    GET On Session    gateway    ${STATUS_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    getAgentStatus
        Should Be Equal    ${reply}[retcode]    0
    END
    FOR    ${i}    IN RANGE    ${N}
        ${response}=    GET On Session    gateway    ${STATUS_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    getAgentStatus
        Should Be Equal    ${reply}[retcode]    0
    END

queryQueueLengthBySkillId
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${response}=    GET On Session    gateway    ${QUEUE_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    queryQueueLengthBySkillId
        Should Be Equal    ${reply}[retcode]    0
        Should Be Equal As Integers    ${reply}[result]    ${WAITING}
    END
    FOR    ${i}    IN RANGE    ${N}
        ${response}=    GET On Session    gateway    ${QUEUE_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    queryQueueLengthBySkillId
        Should Be Equal    ${reply}[retcode]    0
        Should Be Equal As Integers    ${reply}[result]    ${WAITING}
    END

getIdleStatusAgents
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${response}=    GET On Session    gateway    ${IDLE_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    getIdleStatusAgents
        Should Be Equal    ${reply}[retcode]    0
        Length Should Be    ${reply}[result]    ${IDLE}
    END
    FOR    ${i}    IN RANGE    ${N}
        ${response}=    GET On Session    gateway    ${IDLE_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    getIdleStatusAgents
        Should Be Equal    ${reply}[retcode]    0
        Length Should Be    ${reply}[result]    ${IDLE}
    END

queryCallAppData
    FOR    ${i}    IN RANGE    ${WARMUP}
        ${response}=    GET On Session    gateway    ${CALLDATA_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    queryCallAppData
        Should Be Equal    ${reply}[retcode]    0
        Should Be Equal    ${reply}[result]    ${CALL_DATA}
    END
    FOR    ${i}    IN RANGE    ${N}
        ${response}=    GET On Session    gateway    ${CALLDATA_PATH}    headers=${HEADERS}
        ${reply}=    Reply Should Match Schema    ${response}    queryCallAppData
        Should Be Equal    ${reply}[retcode]    0
        Should Be Equal    ${reply}[result]    ${CALL_DATA}
    END

*** Keywords ***
Sign In To Stub
    Create Session    gateway    ${URL}    verify=${CA}
    ${response}=    PUT On Session    gateway    ${LOGIN_PATH}    json=${LOGIN_BODY}
    ${reply}=    Reply Should Match Schema    ${response}    login
    Should Be Equal    ${reply}[retcode]    0
    ${guid}=    Guid From Reply    ${response}
    ${headers}=    Create Dictionary    Guid=${guid}
    Set Suite Variable    ${HEADERS}    ${headers}
"""


def write_suites(folder: Path, url: str, ca: Path, n: int, warmup: int) -> None:
    values = {"URL": url, "CA": str(ca), "AGENT": AGENT, "PHONE": PHONE, "HELD_CALL": HELD_CALL,
              "LOGIN_PATH": LOGIN_PATH, "STATUS_PATH": STATUS_PATH, "JOIN_PATH": JOIN_PATH,
              "JOIN_BODY": JOIN_BODY, "LOGIN_BODY": LOGIN_BODY, "N": n, "WARMUP": warmup, "SKILL": SKILL,
              "WAITING": WAITING, "IDLE": len(IDLE_AGENTS), "CALL_DATA": CALL_DATA,
              "QUEUE_PATH": QUERIES["queryQueueLengthBySkillId"][0], "IDLE_PATH": QUERIES["getIdleStatusAgents"][0],
              "CALLDATA_PATH": QUERIES["queryCallAppData"][0]}
    lines = ["from robot.api.types import Secret", f"PASSWORD = Secret({PASSWORD!r})"]
    lines += [f"{name} = {value!r}" for name, value in values.items()]
    (folder / "bench_vars.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "ours.robot").write_text(OURS_SUITE, encoding="utf-8")
    (folder / "anchor.robot").write_text(ANCHOR_SUITE, encoding="utf-8")


def run_robot(folder: Path, suite: str, n: int) -> dict[str, tuple[float, float]]:
    """Runs one generated suite; per test (operation): ms per call and output.xml bytes per call of its
    measured FOR loop."""
    out = folder / f"out-{suite}"
    command = [sys.executable, "-m", "robot", "--outputdir", str(out), "--output", "output.xml", "--log", "NONE",
               "--report", "NONE", "--pythonpath", str(BENCH), "--console", "quiet", str(folder / f"{suite}.robot")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"robot {suite} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return loop_figures(out / "output.xml", n)


def loop_figures(output: Path, n: int) -> dict[str, tuple[float, float]]:
    """For each test, the last FOR loop's elapsed time per iteration (its own status in output.xml) and its
    bytes in output.xml (from ``<for`` to ``</for>``) per iteration."""
    raw = output.read_bytes()
    figures: dict[str, tuple[float, float]] = {}
    sections = re.finditer(rb'<test [^>]*name="([^"]+)".*?</test>', raw, re.DOTALL)
    tests = {test.get("name"): test for test in ET.fromstring(raw).iter("test")}
    for section in sections:
        name = section.group(1).decode()
        test = tests[name]
        status = test.find("status")
        if status is None or status.get("status") != "PASS":
            raise RuntimeError(f"test {name} did not pass in {output}")
        loop = test.findall("for")[-1]
        if len(loop.findall("iter")) != n:
            raise RuntimeError(f"test {name}: the measured loop did not run {n} times")
        elapsed = float(loop.find("status").get("elapsed"))  # type: ignore[union-attr]
        span = list(re.finditer(rb"<for\b.*?</for>", section.group(0), re.DOTALL))[-1]
        figures[name] = (elapsed * 1000 / n, (span.end() - span.start()) / n)
    return figures


# -- Python rows ------------------------------------------------------------------------------------

def timed(call: Callable[[], None], n: int, warmup: int) -> float:
    """Milliseconds per call of ``call`` over ``n`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        call()
    started = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - started) * 1000 / n


def requests_row(url: str, ca: Path, n: int, warmup: int) -> dict[str, tuple[float, float]]:
    session = requests.Session()
    session.verify = str(ca)
    signed_in = session.put(url + LOGIN_PATH, json=LOGIN_BODY)
    check_reply(signed_in.json(), "login")
    match = SET_GUID.search(signed_in.headers.get("Set-GUID", ""))
    assert match, "no Set-GUID"
    headers = {"Guid": match.group(1)}

    def checked(response: requests.Response, interface: str) -> dict[str, Any]:
        if response.status_code != 200:
            raise AssertionError(f"{interface}: HTTP {response.status_code}")
        reply: dict[str, Any] = check_reply(response.json(), interface)
        if reply["retcode"] != "0":
            raise AssertionError(f"{interface}: retcode is not 0")
        return reply

    def join() -> None:
        checked(session.post(url + JOIN_PATH, json=JOIN_BODY, headers=headers), "confJoin")

    def status() -> None:
        checked(session.get(url + STATUS_PATH, headers=headers), "getAgentStatus")

    def query(interface: str) -> Callable[[], None]:
        path = QUERIES[interface][0]

        def check() -> None:
            check_result(interface, checked(session.get(url + path, headers=headers), interface)["result"])
        return check

    try:
        return {"confJoin": (timed(join, n, warmup), float("nan")),
                "getAgentStatus": (timed(status, n, warmup), float("nan")),
                **{name: (timed(query(name), n, warmup), float("nan")) for name in QUERIES}}
    finally:
        session.close()


def check_result(interface: str, result: Any) -> None:
    """The check the query getters make in the Robot rows, on the reply's result."""
    found = len(result) if interface == "getIdleStatusAgents" else result
    wanted = len(IDLE_AGENTS) if interface == "getIdleStatusAgents" else QUERIES[interface][1]["result"]
    if found != wanted:
        raise AssertionError(f"{interface}: {found!r}, expected {wanted!r}")


def http_client_row(url: str, ca: Path, n: int, warmup: int) -> dict[str, tuple[float, float]]:
    port = int(url.rsplit(":", 1)[1])
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=ssl.create_default_context(cafile=str(ca)))

    def exchange(method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[dict[str, Any], Any]:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        reply = json.loads(response.read())
        if response.status != 200 or reply.get("retcode") != "0":
            raise AssertionError(f"{method} {path}: HTTP {response.status}, {reply}")
        return reply, response

    _, signed_in = exchange("PUT", LOGIN_PATH, LOGIN_BODY, {})
    match = SET_GUID.search(signed_in.getheader("Set-GUID") or "")
    assert match, "no Set-GUID"
    guid = {"Guid": match.group(1)}
    def query(interface: str) -> Callable[[], None]:
        return lambda: check_result(interface, exchange("GET", QUERIES[interface][0], None, guid)[0]["result"])

    try:
        return {"confJoin": (timed(lambda: exchange("POST", JOIN_PATH, JOIN_BODY, guid), n, warmup), float("nan")),
                "getAgentStatus": (timed(lambda: exchange("GET", STATUS_PATH, None, guid), n, warmup),
                                   float("nan")),
                **{name: (timed(query(name), n, warmup), float("nan")) for name in QUERIES}}
    finally:
        connection.close()


# -- the run ------------------------------------------------------------------------------------------

def ca_environment(choice: str, ca: Path) -> str:
    """Puts this process (and so every Robot run it starts) under one CA environment; says which."""
    before = os.environ.get("REQUESTS_CA_BUNDLE")
    if choice == "unset":
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
        os.environ.pop("CURL_CA_BUNDLE", None)
        now = "REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE unset"
    else:
        os.environ["REQUESTS_CA_BUNDLE"] = str(ca)
        now = "REQUESTS_CA_BUNDLE = the trustme CA"
    return f"{now} for every row (it was {before or 'unset'})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 calls, 1 round (< 30 s)")
    parser.add_argument("-n", "--calls", type=int, help="calls per measured loop (default 300, quick 50)")
    parser.add_argument("--rounds", type=int, help="rounds of all rows (default 8, quick 1); medians are reported")
    parser.add_argument("--warmup", type=int, help="calls before each measured loop (default 20, quick 5)")
    parser.add_argument("--requests-ca-bundle", choices=("unset", "trustme"), default="unset",
                        help="REQUESTS_CA_BUNDLE for every row: unset (default) or the stub's trustme CA")
    parser.add_argument("--keep", type=Path, help="write the suites and outputs here and keep them (default: a "
                        "temporary folder, removed)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, POLL_WAIT)
        return 0
    n = args.calls or (50 if args.quick else 300)
    rounds = args.rounds or (1 if args.quick else 8)
    warmup = args.warmup if args.warmup is not None else (5 if args.quick else 20)

    started = time.perf_counter()
    load_before = load_note()
    results: dict[str, list[dict[str, tuple[float, float]]]] = {row: [] for row in ROWS}
    with contextlib.ExitStack() as stack:
        if args.keep:
            folder = args.keep.resolve()
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ccgw-bench-")))
        with stub_process(folder) as url:
            ca = folder / "ca.pem"
            environment = ca_environment(args.requests_ca_bundle, ca)
            write_suites(folder, url, ca, n, warmup)
            runners: dict[str, Callable[[], dict[str, tuple[float, float]]]] = {
                "ours": lambda: run_robot(folder, "ours", n),
                "RequestsLibrary": lambda: run_robot(folder, "anchor", n),
                "requests": lambda: requests_row(url, ca, n, warmup),
                "http.client": lambda: http_client_row(url, ca, n, warmup),
            }
            for number in range(rounds):
                order = ROWS[number % len(ROWS):] + ROWS[:number % len(ROWS)]
                for row in order:
                    results[row].append(runners[row]())
                print(f"round {number + 1}/{rounds} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    runtime = time.perf_counter() - started

    def med(row: str, operation: str, index: int) -> float:
        return median([figures[operation][index] for figures in results[row]])

    def paired(row: str, operation: str, index: int) -> float:
        """The median over rounds of ours / anchor, each ratio taken within one round."""
        return median([ours[operation][index] / anchor[operation][index]
                       for ours, anchor in zip(results["ours"], results[row], strict=True)])

    figures = [Figure("Robot's floor (a no-op library keyword with Get Queue Length's arguments): ms per call, "
                      "anchor requests (Get Queue Length's)", med("ours", "floor", 0),
                      med("requests", "queryQueueLengthBySkillId", 0), "ms",
                      median([ours["floor"][0] / anchor["queryQueueLengthBySkillId"][0]
                              for ours, anchor in zip(results["ours"], results["requests"], strict=True)]))]
    for operation, keyword in OPERATIONS.items():
        for row in ROWS[1:]:
            figures.append(Figure(f"{keyword} ({operation}): ms per call, anchor {row}", med("ours", operation, 0),
                                  med(row, operation, 0), "ms", paired(row, operation, 0)))
        figures.append(Figure(f"{keyword} ({operation}): output.xml bytes per call (INFO), anchor RequestsLibrary",
                              med("ours", operation, 1), med("RequestsLibrary", operation, 1), "bytes"))

    print(f"# Keyword cost, {today()}")
    print(f"command: {command_line()}")
    print(f"{n} calls per loop after {warmup} warm-up calls, {rounds} round(s), rows in rotating order; "
          "medians over rounds")
    print(f"CA environment: {environment}")
    print(f"machine: before {load_before}; after {load_note()} (other jobs were running)")
    print_table("Keyword cost (ours, anchor: medians over rounds; ratio: median over rounds of ours / anchor in "
                "the same round; below 1: ours is cheaper)", figures)
    print("\nrows:")
    for row in ROWS:
        print(f"  {row}: {ROW_TITLES[row]}")
    print("\nper round (ms per call, in round order):")
    for operation in OPERATIONS:
        for row in ROWS:
            values = ", ".join(f"{figures[operation][0]:.2f}" for figures in results[row])
            print(f"  {operation:15} {row:16} {values}")
    print(f"\nruntime: {runtime:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
