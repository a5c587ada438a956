"""Checks for the agent event schemas under schemas/events and schemas/envelope.

Only files inside the repository are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[1]
EVENTS_DIR = REPO / "schemas" / "events"
ENVELOPE_DIR = REPO / "schemas" / "envelope"
SUFFIX = ".schema.json"
# The project holds no list of event names of its own (the facts file lives outside it and is
# never read here), so the number of events documented by the vendor is pinned instead.
# events.yaml's 78, and the events of the new chapters (events-media.yaml) added chapter by chapter:
# recordplay's four screen-recording events, the six AgentChat_* events of the textchat routes (from demo clients)
EXPECTED_EVENT_COUNT = 78 + 4 + 6
CONTENT_FORMS = {"null", "string", "object", "unknown"}
EXAMPLE_FORMS = {"envelope", "event", "content", "malformed-text", "envelope-mismatch"}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


EVENT_FILES: list[Path] = sorted(EVENTS_DIR.glob(f"*{SUFFIX}"))
EVENT_SCHEMAS: dict[str, dict[str, Any]] = {p.name[: -len(SUFFIX)]: _load(p) for p in EVENT_FILES}
POLL_SCHEMA: dict[str, Any] = _load(ENVELOPE_DIR / "poll-response.schema.json")
PUSH_SCHEMA: dict[str, Any] = _load(ENVELOPE_DIR / "push-body.schema.json")
ALL_FILES: list[Path] = [*EVENT_FILES, *sorted(ENVELOPE_DIR.glob(f"*{SUFFIX}"))]

EXAMPLES: list[tuple[str, int, dict[str, Any]]] = [
    (name, i, ex)
    for name, schema in EVENT_SCHEMAS.items()
    for i, ex in enumerate(schema.get("x-examples", []))
]


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def _is_valid(schema: dict[str, Any], instance: Any) -> bool:
    return _validator(schema).is_valid(instance)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _schema_part(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without its x-examples (example data may hold any keys)."""
    return {k: v for k, v in schema.items() if k != "x-examples"}


# ---------------------------------------------------------------- structure


def test_exactly_the_expected_event_schemas() -> None:
    assert len(EVENT_FILES) == EXPECTED_EVENT_COUNT


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = _load(path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_format(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(EVENT_SCHEMAS))
def test_name_title_and_event_type_agree(name: str) -> None:
    schema = EVENT_SCHEMAS[name]
    assert schema["title"] == name
    assert schema["properties"]["eventType"] == {"const": name}
    assert schema["$id"] == f"urn:ccgw:schema:event:{name}"
    assert schema["required"] == ["eventType"]
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", sorted(EVENT_SCHEMAS))
def test_metadata(name: str) -> None:
    schema = EVENT_SCHEMAS[name]
    assert isinstance(schema["description"], str)
    assert schema["description"]
    assert isinstance(schema["x-category"], str)
    assert schema["x-category"]
    assert isinstance(schema["x-inferred"], bool)
    sources = schema["x-source"]
    assert isinstance(sources, list)
    assert all(s.startswith("https://") for s in sources)
    if not sources:
        assert schema.get("x-source-note"), "an empty x-source needs an x-source-note"
    for example in schema["x-examples"]:
        assert example["form"] in EXAMPLE_FORMS
        assert "value" in example


@pytest.mark.parametrize("name", sorted(EVENT_SCHEMAS))
def test_content_matches_declared_form(name: str) -> None:
    schema = EVENT_SCHEMAS[name]
    form = schema["x-content-form"]
    content = schema["properties"]["content"]
    assert form in CONTENT_FORMS
    if form == "unknown":
        assert content == {}
    elif form == "null":
        assert content["type"] == "null"
    elif form == "string":
        assert content["type"] == "string"
    else:
        assert content["type"] == "object"
        assert content["properties"], "object content should list its documented fields"
        for field in content["properties"].values():
            assert field.get("description"), "every content field needs a description"
            assert "enum" not in field


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_tolerant_to_extra_and_missing_fields(path: Path) -> None:
    schema = _schema_part(_load(path))
    for node in _walk(schema):
        assert node.get("additionalProperties", True) is not False
        assert node.get("unevaluatedProperties", True) is not False
    content = schema.get("properties", {}).get("content", {})
    for node in _walk(content):
        assert "required" not in node


# ---------------------------------------------------------------- documented examples


@pytest.mark.parametrize(
    ("name", "index", "example"),
    EXAMPLES,
    ids=[f"{name}-{i}-{ex['form']}" for name, i, ex in EXAMPLES],
)
def test_documented_example(name: str, index: int, example: dict[str, Any]) -> None:
    schema = EVENT_SCHEMAS[name]
    form = example["form"]
    value = example["value"]
    if form == "envelope":
        _validator(POLL_SCHEMA).validate(value)
        _validator(schema).validate(value["event"])
    elif form == "event":
        _validator(schema).validate(value)
    elif form == "content":
        _validator(schema).validate({"eventType": name, "content": value})
    elif form == "malformed-text":
        assert isinstance(value, str)
        with pytest.raises(json.JSONDecodeError):
            json.loads(value)
    elif form == "envelope-mismatch":
        assert example.get("note")
        _validator(POLL_SCHEMA).validate(value)
    else:  # pragma: no cover - guarded by test_metadata
        pytest.fail(f"unexpected example form {form!r}")


def test_poll_schema_example() -> None:
    for example in POLL_SCHEMA["x-examples"]:
        _validator(POLL_SCHEMA).validate(example["value"])
        event = example["value"]["event"]
        _validator(EVENT_SCHEMAS[event["eventType"]]).validate(event)


# ---------------------------------------------------------------- event negatives


def test_hold_rejects_object_content() -> None:
    assert not _is_valid(
        EVENT_SCHEMAS["AgentEvent_Hold"],
        {"eventType": "AgentEvent_Hold", "content": {"x": 1}},
    )


def test_hold_accepts_call_id() -> None:
    assert _is_valid(
        EVENT_SCHEMAS["AgentEvent_Hold"],
        {"eventType": "AgentEvent_Hold", "workNo": "101", "content": "1456402370-7"},
    )


def test_ready_rejects_string_content() -> None:
    assert not _is_valid(
        EVENT_SCHEMAS["AgentState_Ready"],
        {"eventType": "AgentState_Ready", "content": "abc"},
    )


def test_wrong_event_type_rejected() -> None:
    assert not _is_valid(
        EVENT_SCHEMAS["AgentEvent_Hold"],
        {"eventType": "AgentEvent_Talking", "content": "1-2"},
    )


def test_missing_event_type_rejected() -> None:
    assert not _is_valid(EVENT_SCHEMAS["AgentState_Ready"], {"workNo": "101", "content": None})


def test_wrongly_typed_content_field_rejected() -> None:
    event = {"eventType": "AgentOther_PhoneRelease", "content": {"phoneState": "three"}}
    assert not _is_valid(EVENT_SCHEMAS["AgentOther_PhoneRelease"], event)


def test_extra_fields_accepted() -> None:
    event = {
        "eventType": "AgentEvent_Customer_Release",
        "workNo": "101",
        "eventGenTime": 1735689600000,
        "jsonKey": ["eventType", "workNo", "content"],
        "content": {"callid": "1-2", "number": "70093", "newField": True},
    }
    assert _is_valid(EVENT_SCHEMAS["AgentEvent_Customer_Release"], event)


def test_missing_content_fields_accepted() -> None:
    event = {"eventType": "AgentEvent_Talking", "content": {"callid": "1-2"}}
    assert _is_valid(EVENT_SCHEMAS["AgentEvent_Talking"], event)


@pytest.mark.parametrize("media_type", [19, "19"])
def test_media_type_number_or_text(media_type: int | str) -> None:
    event = {
        "eventType": "AgentEvent_Auto_Answer",
        "content": {"mediaType": media_type},
    }
    assert _is_valid(EVENT_SCHEMAS["AgentEvent_Auto_Answer"], event)


def test_unknown_content_is_unconstrained() -> None:
    for name, schema in EVENT_SCHEMAS.items():
        if schema["x-content-form"] != "unknown":
            continue
        for content in (None, "1-2", {"any": 1}, 5):
            assert _is_valid(schema, {"eventType": name, "content": content})


# ---------------------------------------------------------------- envelopes


def test_envelope_without_retcode_rejected() -> None:
    envelope = {
        "message": "",
        "event": {"eventType": "AgentState_Ready", "content": None},
    }
    assert not _is_valid(POLL_SCHEMA, envelope)


def test_envelope_retcode_must_be_text() -> None:
    assert not _is_valid(POLL_SCHEMA, {"message": "", "retcode": 0, "event": None})


@pytest.mark.parametrize(
    "envelope",
    [
        {"message": "", "retcode": "0", "event": None},
        {"message": "", "retcode": "0"},
        {"msg": "", "retcode": "0"},
        {
            "message": "",
            "retcode": "0",
            "event": [
                {"eventType": "AgentOther_InService", "workNo": "291", "content": None},
                {"eventType": "AgentState_Ready", "workNo": "291", "content": None},
            ],
        },
    ],
    ids=["event-null", "no-event-key", "msg-instead-of-message", "event-array"],
)
def test_envelope_tolerated_shapes(envelope: dict[str, Any]) -> None:
    _validator(POLL_SCHEMA).validate(envelope)


@pytest.mark.parametrize(
    "event",
    [
        {"workNo": "291", "content": None},
        {"eventType": "X", "content": 5},
        "AgentState_Ready",
    ],
    ids=["no-event-type", "numeric-content", "bare-string"],
)
def test_envelope_rejects_bad_event(event: Any) -> None:
    assert not _is_valid(POLL_SCHEMA, {"message": "", "retcode": "0", "event": event})


def test_push_body_accepts_documented_events() -> None:
    events: list[Any] = []
    for _name, _index, example in EXAMPLES:
        if example["form"] == "envelope":
            events.append(example["value"]["event"])
        elif example["form"] == "event":
            events.append(example["value"])
    body = {"workNo": "49999", "eventList": events}
    _validator(PUSH_SCHEMA).validate(body)
    assert _is_valid(PUSH_SCHEMA, {"workNo": "49999", "eventList": []})


def test_push_body_rejects_bad_shapes() -> None:
    assert not _is_valid(PUSH_SCHEMA, {"workNo": "1", "eventList": {"eventType": "X"}})
    assert not _is_valid(PUSH_SCHEMA, {"workNo": "1", "eventList": [{"content": None}]})
    assert not _is_valid(PUSH_SCHEMA, {"workNo": 1, "eventList": []})


def test_envelope_ids() -> None:
    assert POLL_SCHEMA["$id"] == "urn:ccgw:schema:envelope:poll-response"
    assert PUSH_SCHEMA["$id"] == "urn:ccgw:schema:envelope:push-body"
    assert POLL_SCHEMA["required"] == ["retcode"]
    assert POLL_SCHEMA["x-source"]
    assert PUSH_SCHEMA["x-source"]
