"""RequestsLibrary reaches the gateway with the library's facts, and the agent's Guid stays out of every output.

RequestsLibrary is not in the library's own request path (it logs headers at INFO); a team that uses it gets the
base URL, the CA and an authentication object from `Get Gateway Facts`."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from planted import PLANTED_PASSWORD
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import AgentError
from CCGatewayLibrary.secrets import find_leaks
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.transport.redaction import REDACTED

REPO = Path(__file__).resolve().parents[1]
PASSWORD = Secret(Roster.load().password_of("101"))


@pytest.fixture
def lib(simulated: CCGatewayLibrary) -> Iterator[CCGatewayLibrary]:
    yield simulated
    simulated.sign_out_all_agents()


def test_the_library_itself_never_imports_requests_library() -> None:
    for path in (REPO / "CCGatewayLibrary").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith("RequestsLibrary") for name in modules), path


def test_facts_give_url_ca_guid_and_the_catalogues_path(lib: CCGatewayLibrary) -> None:
    lib.sign_in_agent("101", PASSWORD, "70001")
    facts = lib.get_gateway_facts(interface="rest", time="60", restcause="3")
    guid = lib.ctx.agent().session.guid.guid
    assert facts["url"] == lib.ctx.gateway_url() and Path(facts["ca_bundle"]).is_file()
    assert isinstance(facts["guid"], Secret) and facts["guid"] is guid
    assert (facts["method"], facts["path"]) == ("POST", "/agentgateway/resource/onlineagent/101/rest/60/3")
    assert repr(facts["auth"]) == "GuidAuth(agent 101)"


def test_the_guid_is_sent_and_masked_in_what_requests_keeps(lib: CCGatewayLibrary) -> None:
    lib.sign_in_agent("101", PASSWORD, "70001")
    facts = lib.get_gateway_facts(interface="getAgentStatus")
    guid = facts["guid"].value
    with requests.Session() as session:
        reply = session.get(facts["url"] + facts["path"], auth=facts["auth"], verify=facts["ca_bundle"])
    assert reply.json()["retcode"] == "0"  # the gateway got the real Guid
    assert reply.request.headers["Guid"] == REDACTED
    assert guid not in repr(reply.request.headers) + repr(reply.headers)


class _Rotating(requests.adapters.BaseAdapter):
    """A gateway that records the Guid it got and hands out a new one."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:
        self.seen.append(request.headers["Guid"])
        response = requests.Response()
        response.status_code, response.request, response.url = 200, request, request.url
        response.headers["Set-GUID"] = "JSESSIONID=rotated-guid-0001"
        response._content = b'{"retcode": "0"}'
        return response

    def close(self) -> None:
        pass


def test_a_guid_rotated_on_a_borrowed_session_becomes_the_agents_and_stays_masked(lib: CCGatewayLibrary) -> None:
    lib.sign_in_agent("101", PASSWORD, "70001")
    facts = lib.get_gateway_facts()
    before = facts["guid"].value
    gateway = _Rotating()
    with requests.Session() as session:
        session.mount("https://", gateway)
        reply = session.get(facts["url"] + "/anything", auth=facts["auth"])
        session.get(facts["url"] + "/anything", auth=facts["auth"])
    holder = lib.ctx.agent().session.guid
    rotated = holder.guid.value
    holder.adopt(before)  # the simulator never issued the made-up one: the teardown signs out with the real one
    assert gateway.seen == [before, "rotated-guid-0001"] and rotated == "rotated-guid-0001"
    assert "rotated-guid-0001" in lib.ctx.secrets
    assert reply.headers["Set-GUID"] == REDACTED and reply.request.headers["Guid"] == REDACTED


def test_facts_of_an_agent_not_signed_in_are_refused(lib: CCGatewayLibrary) -> None:
    with pytest.raises(AgentError, match="No agent signed in"):
        CCGatewayLibrary().get_gateway_facts()
    lib.sign_in_agent("101", PASSWORD, "70001")
    lib.sign_out_agent()
    with pytest.raises(AgentError, match="Get Gateway Facts: agent 101 has no Guid; sign the agent in first"):
        lib.get_gateway_facts()


def test_the_requests_library_suite_leaks_no_guid_at_trace_level(tmp_path: Path) -> None:
    """The acceptance suite, run at TRACE with a planted password: RequestsLibrary's own request log shows the
    Guid header masked by the auth object, and no Guid-shaped value is anywhere in output.xml or log.html."""
    env = dict(os.environ, CCGW_AGENT_PASSWORD=PLANTED_PASSWORD, CCGW_SIM_ROSTER=str(_planted_roster(tmp_path)))
    run = subprocess.run([sys.executable, "-m", "robot", "--loglevel", "TRACE", "--outputdir", str(tmp_path),
                          "--pythonpath", str(REPO), str(REPO / "atest" / "suites" / "requests_library.robot")],
                         capture_output=True, text=True, env=env, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    output = (tmp_path / "output.xml").read_text(encoding="utf-8")
    assert output.count("GET Request : ") >= 2 and "'Guid': '&lt;redacted&gt;'" in output
    for name in ("output.xml", "log.html", "report.html"):
        assert find_leaks((tmp_path / name).read_text(encoding="utf-8"), [PLANTED_PASSWORD]) == [], name
    assert find_leaks(run.stdout + run.stderr, [PLANTED_PASSWORD]) == []


def _planted_roster(folder: Path) -> Path:
    import json

    built_in = json.loads((REPO / "CCGatewayLibrary" / "simulator" / "roster.json").read_text(encoding="utf-8"))
    roster = folder / "roster.json"
    roster.write_text(json.dumps({"agents": [dict(g, password=PLANTED_PASSWORD) for g in built_in["agents"]]}),
                      encoding="utf-8")
    return roster


def test_a_guid_in_a_reply_body_is_registered_and_becomes_the_agents() -> None:
    from CCGatewayLibrary.secrets import SecretRegistry
    from CCGatewayLibrary.transport import GuidHolder, RedactionPolicy
    from CCGatewayLibrary.transport.requests_auth import GuidAuth

    registry = SecretRegistry(RedactionPolicy().with_fields({"guid"}))
    holder = GuidHolder(registry)
    holder.adopt("11111111-2222-3333-4444-555555555555.AgentGateway0")
    reply = requests.Response()
    new = "99999999-8888-7777-6666-555555555555.AgentGateway1"
    reply.status_code, reply._content = 200, json.dumps({"retcode": "0", "result": {"guid": new}}).encode()
    reply.request = requests.Request("PUT", "https://gw.example/x").prepare()
    GuidAuth(holder, RedactionPolicy().with_fields({"guid"}), "101", registry)._after_reply(reply)
    assert holder.guid is not None and holder.guid.value == new
    assert new not in registry.scrub(f"body: {reply.text}")
