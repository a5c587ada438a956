"""The compact catalogue: schemas made from its entries, unique ids per route, and gateway versions (the routes
that differ between gateway versions in service, chosen by the library's import argument and the simulator's
option)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from robot.api.types import Secret

import CCGatewayLibrary.catalogue as catalogue_module
from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import Catalogue, load_catalogue, read_interfaces
from CCGatewayLibrary.catalogue.build import main as build_main
from CCGatewayLibrary.errors import CatalogueError
from CCGatewayLibrary.simulator.cli import EXIT_REFUSED
from CCGatewayLibrary.simulator.cli import main as simulator_main
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.server import GatewaySimulator

REPO = Path(__file__).resolve().parents[1]
DATA = read_interfaces()
BASE = DATA["base_path"]


def _catalogue_of(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], version: str | None = None) -> Catalogue:
    monkeypatch.setattr(catalogue_module, "read_interfaces", lambda: data)
    return Catalogue(gateway_version=version)


# ---------------------------------------------------------------- generated schemas


def test_generated_schema_files_are_fresh() -> None:
    """schemas/interfaces/ holds what 'python -m CCGatewayLibrary.catalogue.build' makes of the chapter files."""
    assert build_main(["--check"]) == 0


def test_a_hand_edit_of_a_generated_schema_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    copied = tmp_path / "schemas"
    for path in (REPO / "schemas").rglob("*.json"):
        (copied / path.relative_to(REPO / "schemas")).parent.mkdir(parents=True, exist_ok=True)
        (copied / path.relative_to(REPO / "schemas")).write_bytes(path.read_bytes())
    edited = copied / "interfaces" / "beginMute.response.schema.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"retcode": "0"', '"retcode": "1"'),
                      encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "schema_dir", lambda: copied)
    monkeypatch.setattr(catalogue_module, "_catalogue", lambda version: Catalogue(copied, version))
    assert build_main(["--check"]) == 1
    assert "beginMute.response.schema.json" in capsys.readouterr().err
    assert build_main([]) == 0
    assert build_main(["--check"]) == 0
    assert edited.read_bytes() == (REPO / "schemas" / "interfaces" / "beginMute.response.schema.json").read_bytes()


def test_a_compact_entry_gets_the_common_request_and_reply() -> None:
    """beginMute names no fields: agentid from the common definitions, no query, no body, the reserved result."""
    assert "request" not in DATA["interfaces"]["beginMute"]
    catalogue = load_catalogue()
    interface = catalogue.interface("beginMute")
    assert interface.path == BASE + "voicecall/{agentid}/beginmute"
    assert catalogue.problems(interface.request_schema["$id"],
                              {"path": {"agentid": "101"}, "query": {}, "body": None}) is None
    for wrong in ({"path": {"agentid": "1"}, "query": {}, "body": None},
                  {"path": {"agentid": "101"}, "query": {"x": "1"}, "body": None},
                  {"path": {"agentid": "101"}, "query": {}, "body": {"a": 1}}):
        assert catalogue.problems(interface.request_schema["$id"], wrong) is not None
    assert interface.response_schema["x-examples"] == [
        {"form": "reply", "value": {"result": {}, "message": "success", "retcode": "0"}}]


def test_a_placeholder_without_a_rule_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(DATA)
    data["interfaces"]["beginMute"]["path"] = "voicecall/{agentid}/beginmute/{level}"
    with pytest.raises(CatalogueError, match=r"beginMute\.request\.path\.level: the path placeholder \{level\} "
                                             "has no rule"):
        _catalogue_of(monkeypatch, data)


def test_a_path_outside_the_chapters_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(DATA)
    data["interfaces"]["beginMute"]["path"] = BASE + "voicecall/{agentid}/beginmute"
    with pytest.raises(CatalogueError, match=r"beginMute\.path: '/agentgateway/resource/voicecall/\{agentid\}/"
                                             "beginmute' must be relative to the base path"):
        _catalogue_of(monkeypatch, data)


def test_an_unknown_key_in_an_entry_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(DATA)
    data["interfaces"]["beginMute"]["retcode"] = ["200-003"]
    with pytest.raises(CatalogueError, match=r"beginMute: unknown key\(s\) retcode; allowed: "):
        _catalogue_of(monkeypatch, data)


# ---------------------------------------------------------------- ids and routes


def test_an_id_given_twice_is_refused(tmp_path: Path) -> None:
    """json would keep the second of two equal keys and lose the first interface without a word."""
    catalogue = REPO / "CCGatewayLibrary" / "catalogue"
    shutil.copytree(catalogue / "chapters", tmp_path / "chapters")
    shutil.copy(catalogue / "interfaces.json", tmp_path)
    text = (tmp_path / "chapters" / "voicecall.json").read_text(encoding="utf-8")
    (tmp_path / "chapters" / "voicecall.json").write_text(text.replace('"endMute": {', '"beginMute": {', 1),
                                                          encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"voicecall\.json: the key 'beginMute' appears twice"):
        read_interfaces(tmp_path)


def test_an_id_in_two_chapter_files_is_refused(tmp_path: Path) -> None:
    """Each chapter file is read alone, so an id repeated in another file is caught when they are merged."""
    catalogue = REPO / "CCGatewayLibrary" / "catalogue"
    shutil.copytree(catalogue / "chapters", tmp_path / "chapters")
    shutil.copy(catalogue / "interfaces.json", tmp_path)
    agent = json.loads((tmp_path / "chapters" / "agent.json").read_text(encoding="utf-8"))
    extra = {"chapters": {}, "interfaces": {"login": agent["interfaces"]["login"]}}
    (tmp_path / "chapters" / "zz_extra.json").write_text(json.dumps(extra), encoding="utf-8")
    with pytest.raises(CatalogueError,
                       match=r"chapters/zz_extra\.json: interfaces\.login is also in chapters/agent\.json"):
        read_interfaces(tmp_path)


def test_two_ids_on_one_route_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(DATA)
    data["interfaces"]["beginMuteAgain"] = {**data["interfaces"]["beginMute"], "log_name": "beginMute"}
    with pytest.raises(CatalogueError, match="beginMute and beginMuteAgain are both POST "
                                             f"{BASE}voicecall/{{agentid}}/beginmute on gateway version current"):
        _catalogue_of(monkeypatch, data)


def test_a_reused_log_name_keeps_its_own_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vendor logs two routes as 'transfer'; each gets an id, both keep the log name."""
    data = copy.deepcopy(DATA)
    data["chapters"]["mediacall"] = "mediacall"
    data["interfaces"]["mediaTransfer"] = {**data["interfaces"]["transfer"], "log_name": "transfer",
                                           "path": "mediacall/{agentid}/transfer"}
    catalogue = _catalogue_of(monkeypatch, data)
    assert catalogue.interface("mediaTransfer").log_name == catalogue.interface("transfer").log_name == "transfer"
    assert catalogue.interface("mediaTransfer").path == BASE + "mediacall/{agentid}/transfer"
    assert catalogue.interface("mediaTransfer").request_schema["$id"] == \
        "urn:ccgw:schema:interface:mediaTransfer:request"


def test_every_route_has_one_id_on_every_gateway_version() -> None:
    for version in load_catalogue().gateway_versions:
        routes = [(i.method, i.path) for i in load_catalogue(version).interfaces.values()]
        assert len(routes) == len(set(routes)), version


# ---------------------------------------------------------------- gateway versions


def test_the_current_reference_is_the_default() -> None:
    assert load_catalogue() is load_catalogue("current")
    assert load_catalogue().gateway_version == "current"


def test_legacy_gateways_route_the_listed_differences() -> None:
    current, legacy = load_catalogue(), load_catalogue("legacy")
    for name in ("phonepickup", "phonehangup"):
        assert (current.interface(name).method, legacy.interface(name).method) == ("POST", "PUT")
        assert current.interface(name).path == legacy.interface(name).path
    assert current.interface("secondDialEx").path == BASE + "voicecall/{agentid}/seconddialex"
    assert legacy.interface("secondDialEx").path == BASE + "voicecall/{agentid}/seconddial"
    assert (current.interface("secondDialEx").log_name, legacy.interface("secondDialEx").log_name) == \
        ("secondDialEx", "secondDial")
    different = {name for name in current.interfaces
                 if (current.interfaces[name].method, current.interfaces[name].path, current.interfaces[name].log_name)
                 != (legacy.interfaces[name].method, legacy.interfaces[name].path, legacy.interfaces[name].log_name)}
    assert different == {"phonepickup", "phonehangup", "secondDialEx"}


def test_an_unknown_gateway_version_is_refused_naming_the_argument() -> None:
    with pytest.raises(CatalogueError, match="gateway_version 'v1' is not a known gateway version; use one of "
                                             "current, legacy"):
        load_catalogue("v1")


def test_an_entry_naming_an_unknown_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy.deepcopy(DATA)
    data["interfaces"]["beginMute"]["versions"] = {"old": {"method": "PUT"}}
    with pytest.raises(CatalogueError, match=r"beginMute\.versions: 'old' is not a known gateway version"):
        _catalogue_of(monkeypatch, data)
    data["interfaces"]["beginMute"]["versions"] = {"legacy": {"verb": "PUT"}}
    with pytest.raises(CatalogueError, match=r"beginMute\.versions\.legacy: unknown key\(s\) verb"):
        _catalogue_of(monkeypatch, data)


def _routes(simulator: GatewaySimulator) -> set[tuple[str, str]]:
    return {(route.method, route.resource.canonical) for route in simulator.app().router.routes()
            if route.resource is not None}


def test_the_simulator_serves_the_version_it_is_started_with() -> None:
    pickup = BASE + "voicecall/{agentid}/phonepickup"
    current = _routes(GatewaySimulator(SimulatorConfig()))
    legacy = _routes(GatewaySimulator(SimulatorConfig(gateway_version="legacy")))
    assert ("POST", pickup) in current and ("PUT", pickup) not in current
    assert ("PUT", pickup) in legacy and ("POST", pickup) not in legacy
    assert ("POST", BASE + "voicecall/{agentid}/seconddial") in legacy
    assert ("POST", BASE + "voicecall/{agentid}/seconddialex") not in legacy


def test_ccgw_sim_refuses_an_unknown_gateway_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert simulator_main(["--port", "0", "--gateway-version", "v1"]) == EXIT_REFUSED
    assert "--gateway-version: gateway_version 'v1' is not a known gateway version" in capsys.readouterr().err


@pytest.fixture(scope="module")
def legacy_library() -> Iterator[CCGatewayLibrary]:
    library = CCGatewayLibrary(event_timeout=timedelta(seconds=5), gateway_version="legacy")
    library.start_gateway_simulator(poll_wait=timedelta(seconds=1))
    yield library
    library.stop_gateway_simulator()


def test_the_library_sends_the_legacy_routes(legacy_library: CCGatewayLibrary) -> None:
    """The legacy simulator has only PUT phonepickup and seconddial: that it answered them (a refusal, as it
    has no desk phones and the agent no call) shows what the library sent."""
    legacy_library.sign_in_agent("101", Secret(Roster.load().password_of("101")), "70001")
    legacy_library.pick_up_desk_phone(expected_retcode="100-007")
    legacy_library.send_digits("12#", expected_retcode="100-007")
    answers = legacy_library.ctx.simulator.simulator.answers  # type: ignore[union-attr]
    assert answers[("phonepickup", "100-007")] == 1 and answers[("secondDialEx", "100-007")] == 1
    assert legacy_library.ctx.catalogue.gateway_version == "legacy"
    legacy_library.sign_out_all_agents()


def test_the_library_refuses_an_unknown_gateway_version() -> None:
    with pytest.raises(CatalogueError, match="gateway_version 'newest' is not a known gateway version"):
        CCGatewayLibrary(gateway_version="newest")

