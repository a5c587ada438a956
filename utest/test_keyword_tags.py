"""Every interface in the catalogue has a keyword, and keyword tags name the interfaces the keyword calls, so
report.html can count tests per interface."""

from __future__ import annotations

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import load_catalogue

CATALOGUE = load_catalogue()
LIBRARY = CCGatewayLibrary()
TAGS = {name: set(LIBRARY.get_keyword_tags(name)) for name in LIBRARY.get_keyword_names()}


def test_every_fully_specified_interface_is_some_keywords_tag() -> None:
    tagged = set().union(*TAGS.values())
    specified = {name for name, interface in CATALOGUE.interfaces.items() if not interface.listed}
    assert sorted(specified - tagged) == []


def test_tags_that_look_like_interfaces_are_interfaces() -> None:
    topics = {"agent", "state", "skills", "notes", "session", "call", "conference", "events", "raw", "simulator",
              "gateway", "help", "internal", "preview", "calldata", "transfer", "pool", "deprecated", "supervisor",
              "queues", "monitoring", "recording", "playback", "text", "media"}
    for keyword, tags in TAGS.items():
        unknown = tags - topics - set(CATALOGUE.interfaces)
        assert not unknown, f"{keyword}: {unknown}"


def test_sign_in_and_sign_out_name_every_variant() -> None:
    assert {"login", "forceLogin", "loginEx"} <= TAGS["sign_in_agent"]
    assert {"logout", "forceLogout", "forceLogoutWithReason"} <= TAGS["sign_out_agent"]
    assert "getAgentEvent" in TAGS["wait_for_event"]


def test_urllib3_lines_stay_out_of_the_log() -> None:
    import logging

    assert logging.getLogger("urllib3").getEffectiveLevel() >= logging.ERROR
