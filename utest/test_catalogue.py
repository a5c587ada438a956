"""The interface catalogue: chapters/*.json, interfaces.json, retcodes.json and the interface schemas under schemas/.

Only files inside the repository are read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from CCGatewayLibrary.catalogue import Catalogue, Interface, load_catalogue, read_interfaces
from CCGatewayLibrary.errors import CatalogueError, RequestSchemaError, ResponseSchemaError

REPO = Path(__file__).resolve().parents[1]
INTERFACE_SCHEMAS = REPO / "schemas" / "interfaces"
CATALOGUE_DIR = REPO / "CCGatewayLibrary" / "catalogue"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


INTERFACES_JSON: dict[str, Any] = read_interfaces()["interfaces"]
RETCODES_JSON: dict[str, Any] = _load(CATALOGUE_DIR / "retcodes.json")["retcodes"]
INTERFACE_NAMES = sorted(INTERFACES_JSON)
EXAMPLES: list[tuple[str, int, dict[str, Any]]] = [
    (path.name, index, example)
    for path in sorted(INTERFACE_SCHEMAS.glob("*.schema.json"))
    for index, example in enumerate(_load(path).get("x-examples", []))
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _request(agentid: str = "101", body: Any = None, query: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"path": {"agentid": agentid}, "query": query or {}, "body": body}


def _refusal(catalogue: Catalogue, name: str, request: dict[str, Any]) -> str:
    with pytest.raises(RequestSchemaError) as caught:
        catalogue.check_request(catalogue.interface(name), request)
    return str(caught.value)


# ---------------------------------------------------------------- loading


def test_catalogue_loads_every_entry_of_interfaces_json(catalogue: Catalogue) -> None:
    assert sorted(catalogue.interfaces) == INTERFACE_NAMES
    assert all(isinstance(i, Interface) for i in catalogue.interfaces.values())


def test_load_catalogue_is_cached(catalogue: Catalogue) -> None:
    assert load_catalogue() is catalogue


def test_every_interface_file_pair_exists() -> None:
    names = {p.name.split(".")[0] for p in INTERFACE_SCHEMAS.glob("*.schema.json")}
    assert names == set(INTERFACE_NAMES)
    assert len(list(INTERFACE_SCHEMAS.glob("*.schema.json"))) == 2 * len(INTERFACE_NAMES)


@pytest.mark.parametrize("name", INTERFACE_NAMES)
def test_interface_schemas_are_valid_draft_2020_12(catalogue: Catalogue, name: str) -> None:
    interface = catalogue.interface(name)
    for kind, schema in (("request", interface.request_schema), ("response", interface.response_schema)):
        assert schema["$schema"] == DRAFT_2020_12
        assert schema["$id"] == f"urn:ccgw:schema:interface:{name}:{kind}"
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", INTERFACE_NAMES)
def test_interface_entry_matches_json(catalogue: Catalogue, name: str) -> None:
    entry = INTERFACES_JSON[name]
    interface = catalogue.interface(name)
    assert interface.method == entry["method"]
    assert interface.path == catalogue.base_path + entry["path"]
    assert interface.guid_required == (entry.get("guid", "required") == "required")
    assert interface.events == tuple(entry.get("events", ()))
    assert interface.retcodes == tuple(entry.get("retcodes", ()))


def test_guid_requirement(catalogue: Catalogue) -> None:
    assert not catalogue.interface("login").guid_required
    assert not catalogue.interface("forceLogin").guid_required
    assert catalogue.interface("logout").guid_required
    assert catalogue.interface("login").sets_guid


@pytest.mark.parametrize(("name", "index", "example"), EXAMPLES,
                         ids=[f"{name}-{index}-{ex['form']}" for name, index, ex in EXAMPLES])
def test_documented_interface_example(catalogue: Catalogue, name: str, index: int, example: dict[str, Any]) -> None:
    interface_name, kind = name.split(".")[:2]
    interface = catalogue.interface(interface_name)
    form, value = example["form"], example["value"]
    if form == "body":
        assert kind == "request"
        catalogue.check_request(interface, _request(body=value))
        assert catalogue.problems(interface.request_schema["$id"], _request(body=value)) is None
    elif form == "reply":
        assert kind == "response"
        assert catalogue.problems(interface.response_schema["$id"], value) is None
        catalogue.check_response(interface, value)
    else:
        pytest.fail(f"unexpected example form {form!r} in {name}")


def test_there_are_interface_examples() -> None:
    forms = {example["form"] for _, _, example in EXAMPLES}
    assert forms == {"body", "reply"}


@pytest.mark.parametrize("name", INTERFACE_NAMES)
def test_listed_retcodes_exist(catalogue: Catalogue, name: str) -> None:
    missing = [code for code in INTERFACES_JSON[name].get("retcodes", []) if code not in RETCODES_JSON]
    assert missing == []
    assert all(code in catalogue.retcodes for code in catalogue.interface(name).retcodes)


@pytest.mark.parametrize("name", INTERFACE_NAMES)
def test_listed_events_exist(catalogue: Catalogue, name: str) -> None:
    missing = [event for event in INTERFACES_JSON[name].get("events", []) if event not in catalogue.event_names]
    assert missing == []
    for event in INTERFACES_JSON[name].get("events", []):
        assert catalogue.check_event_name(event) == event
        assert (REPO / "schemas" / "events" / f"{event}.schema.json").is_file()


def test_event_names_come_from_event_schemas(catalogue: Catalogue) -> None:
    files = sorted(p.name[: -len(".schema.json")] for p in (REPO / "schemas" / "events").glob("*.schema.json"))
    assert list(catalogue.event_names) == files


# ---------------------------------------------------------------- url_path


def test_url_path_fills_agentid(catalogue: Catalogue) -> None:
    assert catalogue.interface("hold").url_path({"agentid": "101"}) == "/agentgateway/resource/voicecall/101/hold"
    assert catalogue.interface("login").url_path({"agentid": 102}) == "/agentgateway/resource/onlineagent/102"


def test_url_path_quotes_values(catalogue: Catalogue) -> None:
    path = catalogue.interface("hold").url_path({"agentid": "1 0/1?x"})
    assert path == "/agentgateway/resource/voicecall/1%200%2F1%3Fx/hold"


def test_url_path_missing_param(catalogue: Catalogue) -> None:
    with pytest.raises(RequestSchemaError, match=r"path\.agentid: is required but missing"):
        catalogue.interface("hold").url_path({})


# ---------------------------------------------------------------- check_request


def test_valid_requests_pass(catalogue: Catalogue) -> None:
    catalogue.check_request(catalogue.interface("login"), _request(body={"password": "x", "phonenum": "70001"}))
    catalogue.check_request(catalogue.interface("callout"), _request(agentid="999999", body={"called": "12*#"}))
    catalogue.check_request(catalogue.interface("confJoin"), _request(body={"callid": "1455885056-1095"}))


@pytest.mark.parametrize("agentid", ["99", "1000000"])
def test_agentid_out_of_range(catalogue: Catalogue, agentid: str) -> None:
    message = _refusal(catalogue, "login", _request(agentid=agentid, body={"password": "x", "phonenum": "1"}))
    assert message.startswith("login request is invalid, not sent:")
    assert "path.agentid" in message
    assert repr(agentid) in message
    assert "agent ID, digits from 101 to 999999" in message


def test_callout_called_with_letters(catalogue: Catalogue) -> None:
    message = _refusal(catalogue, "callout", _request(body={"called": "12ab"}))
    assert "body.called" in message
    assert "'12ab'" in message
    assert "digits, * or #" in message


def test_confjoin_blank_callid(catalogue: Catalogue) -> None:
    message = _refusal(catalogue, "confJoin", _request(body={"callid": ""}))
    assert "body.callid" in message
    assert "must not be blank" in message


def test_unknown_body_field(catalogue: Catalogue) -> None:
    message = _refusal(catalogue, "callout", _request(body={"called": "123", "colour": "red"}))
    assert "body.colour" in message
    assert "not a field of this interface" in message
    assert "called" in message.split("allowed:", 1)[1]


def test_missing_required_field(catalogue: Catalogue) -> None:
    message = _refusal(catalogue, "login", _request(body={"password": "x"}))
    assert "body.phonenum" in message
    assert "is required but missing" in message
    assert "phone number bound to the agent" in message


def test_password_is_never_reported_by_required_check(catalogue: Catalogue) -> None:
    message = _refusal(catalogue, "login", _request(body={"password": "Sim-Agent-Pass-101"}))
    assert "body.phonenum" in message
    assert "Sim-Agent-Pass-101" not in message


# ---------------------------------------------------------------- retcodes and events


def test_meaning_of_known_code(catalogue: Catalogue) -> None:
    assert catalogue.meaning("100-002") == RETCODES_JSON["100-002"]["meaning"]
    assert "signed in" in catalogue.meaning("100-002")
    assert catalogue.meaning("0") == "success"
    assert catalogue.describe_retcode("100-002") == f"100-002 ({RETCODES_JSON['100-002']['meaning']})"


def test_meaning_of_unknown_code(catalogue: Catalogue) -> None:
    assert catalogue.meaning("999-999") == "not in the retcode table"
    assert "999-999" in catalogue.describe_retcode("999-999")


def test_check_event_name_suggests_close_name(catalogue: Catalogue) -> None:
    assert catalogue.check_event_name("AgentState_Ready") == "AgentState_Ready"
    with pytest.raises(CatalogueError, match=r"Unknown event 'AgentState_Redy'\. Did you mean AgentState_Ready\?"):
        catalogue.check_event_name("AgentState_Redy")


def test_check_event_name_without_close_name(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError) as caught:
        catalogue.check_event_name("NothingLikeIt")
    assert "Unknown event 'NothingLikeIt'" in str(caught.value)
    assert "Did you mean" not in str(caught.value)


def test_unknown_interface_suggests(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError, match="Did you mean"):
        catalogue.interface("logn")


def test_event_problems(catalogue: Catalogue) -> None:
    assert catalogue.event_problems({"eventType": "AgentEvent_Hold", "content": "1456402370-7"}) is None
    assert catalogue.event_problems({"eventType": "AgentEvent_Hold", "content": {"x": 1}}) is not None
    assert "unknown event type" in (catalogue.event_problems({"eventType": "Nope"}) or "")


@pytest.mark.parametrize("name", INTERFACE_NAMES)
def test_failure_replies_of_listed_retcodes_match_response_schema(catalogue: Catalogue, name: str) -> None:
    """A refusal carries only retcode and message; every listed code must be expressible that way."""
    interface = catalogue.interface(name)
    for code in interface.retcodes:
        reply = {"message": catalogue.meaning(code), "retcode": code}
        assert catalogue.problems(interface.response_schema["$id"], reply) is None, code


def test_response_schema_rejects_reply_without_retcode(catalogue: Catalogue) -> None:
    problem = catalogue.problems(catalogue.interface("hold").response_schema["$id"], {"message": "success"})
    assert problem is not None
    assert "retcode" in problem


def test_a_fresh_catalogue_holds_every_fact_of_its_data_files() -> None:
    """Built here, not taken from the per-process cache, so what the constructor reads is what is checked."""
    fresh = Catalogue()
    assert fresh.schema_path == REPO / "schemas"
    assert fresh.base_path == _load(CATALOGUE_DIR / "interfaces.json")["base_path"]
    assert sorted(fresh.interfaces) == INTERFACE_NAMES
    for name, entry in INTERFACES_JSON.items():
        interface = fresh.interfaces[name]
        assert (interface.name, interface.title, interface.method, interface.path) == \
            (name, entry["title"], entry["method"], fresh.base_path + entry["path"])
        assert interface.guid_required is (entry.get("guid", "required") == "required")
        assert interface.sets_guid is entry.get("sets_guid", False)
        assert interface.events == tuple(entry.get("events", ()))
        assert interface.retcodes == tuple(entry.get("retcodes", ()))
        assert interface.log_name == entry.get("log_name", name)
        assert interface.source == tuple(entry["source"])
        assert interface.request_schema["$id"] == f"urn:ccgw:schema:interface:{name}:request"
        assert interface.response_schema["$id"] == f"urn:ccgw:schema:interface:{name}:response"
    assert sorted(fresh.retcodes) == sorted(RETCODES_JSON)
    for code, entry in RETCODES_JSON.items():
        retcode = fresh.retcodes[code]
        assert (retcode.code, retcode.meaning, retcode.group) == (code, entry["meaning"], entry["group"])
        assert retcode.tags == tuple(entry.get("tags", ())) and retcode.source == tuple(entry["source"])
    for path in sorted((REPO / "schemas").rglob("*.schema.json")):
        assert fresh.schema(_load(path)["$id"]) == _load(path)
    assert fresh.event_names == tuple(sorted(path.name.removesuffix(".schema.json")
                                             for path in (REPO / "schemas" / "events").glob("*.schema.json")))
    assert fresh.secret_fields == {"password", "servicetoken", "oldpassword", "newpassword", "guid", "phonetoken"}
    assert fresh.problems(fresh.interfaces["hold"].request_schema["$id"],
                          {"path": {"agentid": "101"}, "query": {}, "body": None}) is None


# ---------------------------------------------------------------- messages, word for word


def _errors(schema: dict[str, Any], document: Any) -> list[Any]:
    from CCGatewayLibrary.catalogue.validation import SchemaValidator

    return list(SchemaValidator(schema).iter_errors(document))


def test_field_names_read_like_paths() -> None:
    from CCGatewayLibrary.catalogue.validation import field_name

    assert field_name(["body", "list", 0, "x"]) == "body.list[0].x"
    assert field_name([0, "a"]) == "[0].a"
    assert field_name([]) == "(whole document)"


@pytest.mark.parametrize(("schema", "document", "message"), [
    ({"type": "string"}, 5, "(whole document): 5 is not of type string"),
    ({"properties": {"a": {"type": "string", "description": "the a"}}}, {"a": 1}, "a: 1 breaks the rule: the a"),
    ({"properties": {"a": {"maxLength": 2, "x-rule": "short"}}}, {"a": "x" * 70},
     "a: '" + "x" * 56 + "... breaks the rule: short"),
    ({"properties": {"a": {"maxLength": 2}}}, {"a": "abc"}, "a: 'abc' is too long"),
    ({"properties": {"a": {"type": "object", "x-rule": "an object"}}}, {"a": [1]}, "a: a JSON array breaks the "
                                                                                 "rule: an object"),
    ({"properties": {"a": {"minProperties": 2}}}, {"a": {"k": 1}}, "a: a JSON object breaks the schema keyword "
                                                                  "'minProperties'"),
    ({"required": ["b"], "properties": {"b": {"x-rule": "the b"}}}, {}, "b: is required but missing (rule: the b)"),
    ({"required": ["b"]}, {}, "b: is required but missing"),
    ({"properties": {}, "additionalProperties": False}, {"z": 1, "y": 2}, "y, z: not a field of this interface "
                                                                          "(allowed: none)"),
    ({"properties": {"a": {}, "b": {}}, "additionalProperties": False}, {"c": 1}, "c: not a field of this interface "
                                                                                  "(allowed: a, b)"),
    ({"properties": {"pw": {"type": "string", "x-secret": True}}}, {"pw": 5}, "pw: the secret value is not of "
                                                                             "type string"),
    ({"properties": {"pw": {"minLength": 9, "x-secret": True}}}, {"pw": "hunter2"}, "pw: the secret value breaks "
                                                                                   "the schema keyword 'minLength'"),
])
def test_one_error_one_sentence(schema: dict[str, Any], document: Any, message: str) -> None:
    from CCGatewayLibrary.catalogue.validation import describe_all

    assert describe_all(_errors(schema, document)) == message


def test_several_errors_are_sorted_by_field_and_cut_after_three() -> None:
    from CCGatewayLibrary.catalogue.validation import describe_all

    schema = {"properties": {name: {"type": "integer"} for name in "edcba"}}
    errors = _errors(schema, dict.fromkeys("edcba", "x"))
    assert describe_all(errors) == ("a: 'x' is not of type integer; b: 'x' is not of type integer; "
                                    "c: 'x' is not of type integer; and 2 more")
    assert describe_all(errors, limit=5).count(";") == 4 and "more" not in describe_all(errors, limit=5)
    assert describe_all(errors[:3]).count("more") == 0


def test_unknown_names_get_suggestions(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError) as unknown:
        catalogue.interface("logHold")
    assert str(unknown.value).startswith("Unknown interface 'logHold'. Did you mean getHold, logout, connectHold? "
                                         "Known: addInsert, addSupervise, adjustSkill, adjustVideoMode, ")
    with pytest.raises(CatalogueError) as unknown:
        catalogue.interface("zzzz")
    assert str(unknown.value).startswith("Unknown interface 'zzzz'. Known: addInsert, addSupervise, adjustSkill, "
                                         "adjustVideoMode, ")
    with pytest.raises(CatalogueError, match=r"^Unknown event 'AgentState_Raedy'\. Did you mean AgentState_Ready\?$"):
        catalogue.check_event_name("AgentState_Raedy")
    with pytest.raises(CatalogueError, match=r"^Unknown event 'Nothing'\.$"):
        catalogue.check_event_name("Nothing")
    with pytest.raises(CatalogueError, match=r"^No schema with id 'urn:x' under .*schemas\.$"):
        catalogue.schema("urn:x")
    with pytest.raises(ResponseSchemaError, match=r"^hold reply does not match its schema: retcode: is required"):
        catalogue.check_response(catalogue.interface("hold"), {"message": ""})
