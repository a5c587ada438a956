"""A document found valid is not checked again (issue 19's keyword cost: a getter waiting for its assertion reads
the same reply over and over); an invalid one is checked, and refused, every time; only digests are kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from CCGatewayLibrary.catalogue import KNOWN_VALID_LIMIT, Catalogue
from CCGatewayLibrary.errors import ResponseSchemaError

IDLE = {"retcode": "0", "message": "success", "result": [{"workno": "102", "name": "Agent 102", "status": "4"}]}


class CountingValidator:
    def __init__(self, validator: Any) -> None:
        self.validator = validator
        self.checked = 0

    def iter_errors(self, document: object) -> Any:
        self.checked += 1
        return self.validator.iter_errors(document)


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue()


def _counting(catalogue: Catalogue, uri: str) -> CountingValidator:
    counting = CountingValidator(catalogue.validator(uri))
    catalogue._validators[uri] = counting
    return counting


def test_a_reply_seen_valid_before_is_not_checked_again(catalogue: Catalogue) -> None:
    interface = catalogue.interface("getIdleStatusAgents")
    counting = _counting(catalogue, interface.response_schema["$id"])
    text = json.dumps(IDLE)
    for _ in range(3):
        catalogue.check_response(interface, json.loads(text), text)
    assert counting.checked == 1
    other = json.dumps(IDLE | {"message": "ok"})
    catalogue.check_response(interface, json.loads(other), other)
    catalogue.check_response(interface, IDLE)  # without its text: always checked
    assert counting.checked == 3


def test_an_invalid_reply_is_refused_every_time(catalogue: Catalogue) -> None:
    interface = catalogue.interface("getIdleStatusAgents")
    counting = _counting(catalogue, interface.response_schema["$id"])
    text = json.dumps(IDLE | {"result": "not a list"})
    for _ in range(2):
        with pytest.raises(ResponseSchemaError, match="result"):
            catalogue.check_response(interface, json.loads(text), text)
    assert counting.checked == 2


def test_a_query_without_a_body_is_checked_once_and_one_with_a_body_every_time(catalogue: Catalogue) -> None:
    query = catalogue.interface("queryQueueLengthBySkillId")
    counting = _counting(catalogue, query.request_schema["$id"])
    for _ in range(3):
        catalogue.check_request(query, {"path": {"agentid": "101", "skillid": "2"}, "query": {}, "body": None})
    catalogue.check_request(query, {"path": {"agentid": "101", "skillid": "3"}, "query": {}, "body": None})
    assert counting.checked == 2
    join = catalogue.interface("confJoin")
    counting = _counting(catalogue, join.request_schema["$id"])
    for _ in range(2):
        catalogue.check_request(join, {"path": {"agentid": "101"}, "query": {}, "body": {"callid": "1-2"}})
    assert counting.checked == 2


def test_only_digests_are_kept_and_never_more_than_the_limit(catalogue: Catalogue) -> None:
    interface = catalogue.interface("queryCallAppData")
    secret = "customer=4711;password=hunter2-hunter2"
    text = json.dumps({"retcode": "0", "message": "", "result": secret})
    catalogue.check_response(interface, json.loads(text), text)
    assert not any(secret in repr(key) or text in repr(key) for key in catalogue._known_valid)
    for number in range(KNOWN_VALID_LIMIT + 5):
        reply = {"retcode": "0", "message": "", "result": str(number)}
        catalogue.check_response(interface, reply, json.dumps(reply))
    assert 0 < len(catalogue._known_valid) <= KNOWN_VALID_LIMIT
