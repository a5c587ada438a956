"""The simulator's server keeps the catalogue's contract over HTTPS: a route per interface, a breach when the model
queues an event or answers a retcode the catalogue does not list for the interface, a poll parked when another
sign-in takes the session over, and a body judged by its content, not its declared charset."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from typing import Any

import requests
from simulated_world import AGENT, CATALOGUE, PHONE

from CCGatewayLibrary.catalogue import Catalogue, load_catalogue
from CCGatewayLibrary.catalogue.gateway import SUCCESS
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner
from CCGatewayLibrary.simulator.server import GatewaySimulator


def test_every_catalogue_interface_has_a_route() -> None:
    app = GatewaySimulator().app()
    routes = {route.name for route in app.router.routes() if route.name}
    assert set(CATALOGUE.interfaces) <= routes


def _simulator_with(catalogue: Catalogue) -> GatewaySimulator:
    return GatewaySimulator(catalogue=catalogue)


def test_an_unlisted_event_is_a_breach() -> None:
    narrowed = Catalogue()
    narrowed.interfaces["sayFree"] = dataclasses.replace(narrowed.interfaces["sayFree"], events=())
    simulator = _simulator_with(narrowed)
    model = simulator.model
    model.login(AGENT, {"password": model.roster.password_of(AGENT), "phonenum": PHONE})
    with model.caused_by("sayFree"):
        model.change_state(model.agents[AGENT], "sayFree", {})
    assert simulator.breaches == ["sayFree caused AgentState_Ready, which the catalogue does not list for it"]


def test_an_unlisted_retcode_is_a_breach() -> None:
    simulator = _simulator_with(load_catalogue())
    interface = CATALOGUE.interface("sayFree")
    simulator._reply(interface, "200-002")
    assert simulator.breaches == ["sayFree answered retcode 200-002, which the catalogue does not list for it"]
    simulator._reply(interface, SUCCESS)
    simulator._reply(interface, "100-009")
    assert len(simulator.breaches) == 1


def test_a_poll_waiting_when_the_session_is_taken_over_leaves_the_events_to_the_new_session() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=3.0))
    endpoint = runner.start_in_thread()
    try:
        http = requests.Session()
        http.verify = str(endpoint.ca_file)
        body = {"password": Roster.load().password_of(AGENT), "phonenum": PHONE}
        login = CATALOGUE.interface("login").url_path({"agentid": AGENT})
        poll = endpoint.url + CATALOGUE.interface("getAgentEvent").url_path({"agentid": AGENT})
        first = http.put(endpoint.url + login, json=body, verify=str(endpoint.ca_file), timeout=5)
        old_guid = first.headers["Set-GUID"].partition("=")[2]
        while http.get(poll, headers={"Guid": old_guid}, verify=str(endpoint.ca_file), timeout=5).json()["event"]:
            pass  # drain the first session's sign-in events
        parked: list[dict[str, Any]] = []
        waiting = threading.Thread(target=lambda: parked.append(
            http.get(poll, headers={"Guid": old_guid}, verify=str(endpoint.ca_file), timeout=10).json()))
        waiting.start()
        time.sleep(0.3)  # the poll is parked at the gateway
        force = CATALOGUE.interface("forceLogin").url_path({"agentid": AGENT})
        second = requests.put(endpoint.url + force, json=body, verify=str(endpoint.ca_file), timeout=5)
        new_guid = second.headers["Set-GUID"].partition("=")[2]
        waiting.join(10)
        assert parked[0]["retcode"] == "000-003" and "event" not in parked[0]
        fresh = requests.get(poll, headers={"Guid": new_guid}, verify=str(endpoint.ca_file), timeout=5).json()
        assert fresh["event"]["eventType"] == "AgentOther_InService"
    finally:
        runner.stop()


def test_a_body_in_another_encoding_than_declared_is_judged_by_its_content() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2))
    endpoint = runner.start_in_thread()
    try:
        body = json.dumps({"password": "Pässwort", "phonenum": PHONE}, ensure_ascii=False).encode("latin-1")
        reply = requests.put(endpoint.url + CATALOGUE.interface("login").url_path({"agentid": AGENT}), data=body,
                             headers={"Content-Type": "application/json; charset=UTF-8"},
                             verify=str(endpoint.ca_file), timeout=5).json()
        assert reply["retcode"] == "100-004"  # a wrong password, as the gateway would say; not 000-006
    finally:
        runner.stop()
