"""What schema refusals, unknown names and path segments look like, word for word and at their limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from CCGatewayLibrary import catalogue as catalogue_module
from CCGatewayLibrary.catalogue import Catalogue, load_catalogue, path_segment, schema_dir
from CCGatewayLibrary.catalogue.validation import MAX_VALUE_CHARS, SchemaValidator, describe, describe_all
from CCGatewayLibrary.errors import CatalogueError
from CCGatewayLibrary.events import FieldFilter


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _described(schema: dict[str, Any], instance: Any) -> str:
    return describe_all(SchemaValidator(schema).iter_errors(instance))


# ---------------------------------------------------------------- schema refusals


def test_a_pattern_refusal_quotes_the_value_and_the_pattern() -> None:
    assert _described({"pattern": "^[0-9]+$"}, "12a") == "(whole document): '12a' does not match '^[0-9]+$'"


def test_refusals_at_one_field_are_ordered_by_rule_name() -> None:
    schema = {"type": "string", "pattern": "^[0-9]+$", "minLength": 3}
    assert _described(schema, "a") == (
        "(whole document): 'a' is too short; (whole document): 'a' does not match '^[0-9]+$'"
    )


def test_only_three_refusals_are_listed_and_the_rest_counted() -> None:
    schema = {"properties": {name: {"type": "integer"} for name in "abcd"}}
    four = _described(schema, dict.fromkeys("abcd", "x"))
    assert four.endswith("; and 1 more") and four.count("is not of type") == 3
    assert "more" not in _described(schema, dict.fromkeys("abc", "x"))


def test_unknown_fields_of_an_object_without_fields_are_named() -> None:
    errors = list(SchemaValidator({"type": "object", "additionalProperties": False}).iter_errors({"x": 1}))
    assert describe(errors[0]) == "x: not a field of this interface (allowed: none)"


def test_five_unknown_fields_are_all_named_and_long_names_cut() -> None:
    schema = {"properties": {"ok": {}}, "additionalProperties": False}
    names = ["a" * MAX_VALUE_CHARS, "b" * (MAX_VALUE_CHARS + 1), "c", "d", "e"]
    described = _described(schema, dict.fromkeys(names, 1))
    assert described == (
        f"{names[0]}, {'b' * (MAX_VALUE_CHARS - 3)}..., c, d, e: not a field of this interface (allowed: ok)"
    )


def test_a_value_of_the_longest_shown_length_is_quoted_whole() -> None:
    value = "v" * (MAX_VALUE_CHARS - 2)  # its repr, with quotes, is exactly as long as is shown
    assert (
        _described({"enum": ["x"], "x-rule": "one of x"}, value)
        == f"(whole document): '{value}' breaks the rule: one of x"
    )


def test_a_document_too_deep_to_check_is_named(catalogue: Catalogue) -> None:
    document: Any = []
    for _ in range(100_000):
        document = [document]
    assert catalogue.problems(catalogue_module.POLL_RESPONSE_SCHEMA, document) == (
        "(whole document): nested too deeply to check"
    )


# ---------------------------------------------------------------- unknown names


def test_an_unknown_event_name_gets_at_most_three_suggestions(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError) as refused:
        catalogue.check_event_name("AgentEvent_linkagePhoneMut")
    assert str(refused.value) == (
        "Unknown event 'AgentEvent_linkagePhoneMut'. Did you mean AgentEvent_linkagePhoneMute, "
        "AgentEvent_linkagePhoneUnMute, AgentEvent_linkagePhoneCallOut?"
    )


# ---------------------------------------------------------------- where the schemas are


def test_an_installed_package_finds_the_schemas_inside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "CCGatewayLibrary"
    (package / "schemas").mkdir(parents=True)
    (package / "schemas" / "common.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "HERE", package / "catalogue")
    assert schema_dir() == package / "schemas"


def test_missing_schemas_say_to_reinstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue_module, "HERE", tmp_path / "CCGatewayLibrary" / "catalogue")
    with pytest.raises(CatalogueError) as missing:
        schema_dir()
    assert (
        str(missing.value) == f"JSON Schemas not found next to {tmp_path / 'CCGatewayLibrary'}; reinstall the package."
    )


# ---------------------------------------------------------------- path segments and filters


@pytest.mark.parametrize(("value", "segment"), [("v1.5", "v1.5"), ("X.X", "X.X"), (".", "%2E"), ("..", "%2E%2E")])
def test_only_dot_segments_have_their_dots_quoted(value: str, segment: str) -> None:
    assert path_segment(value) == segment


@pytest.mark.parametrize("name", ["content", "CONTENT", "CallId"])
def test_a_bare_call_id_content_is_found_by_either_name_in_any_case(name: str) -> None:
    event = {"eventType": "AgentEvent_Hold", "content": "1455885056-1095"}
    assert FieldFilter.parse(f"{name}=1455885056-1095").matches(event)
