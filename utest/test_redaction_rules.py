"""Redaction rules as users write them, JSON depth limits, and the secret values found for registration."""

from __future__ import annotations

from typing import Any

import pytest

from CCGatewayLibrary.transport.redaction import (
    MAX_JSON_DEPTH,
    REDACTED,
    TOO_DEEP,
    RedactionPolicy,
    RedactionRuleError,
    json_depth,
)


def _nested(levels: int) -> Any:
    document: Any = "leaf"
    for _ in range(levels):
        document = [document]
    return document


def test_fields_added_from_the_schemas_are_matched_in_any_case() -> None:
    policy = RedactionPolicy().with_fields(["PIN"])
    assert policy.redact_json({"pin": "4711", "Password": "pw", "n": 1}) == {
        "pin": REDACTED,
        "Password": REDACTED,
        "n": 1,
    }


def test_a_pattern_may_hold_a_colon_and_needs_no_group() -> None:
    policy = RedactionPolicy().extended(["pattern:token:[0-9]+", "pattern:ticket-[0-9]+"])
    assert policy.redact_patterns("token:42 and ticket-7") == f"{REDACTED} and {REDACTED}"


def test_a_path_may_start_with_the_root_and_runs_through_lists() -> None:
    policy = RedactionPolicy().extended(["path:$.result.code"])
    document = {"result": [{"code": "c1", "x": 1}, {"code": "c2"}], "code": "top"}
    assert policy.redact_json(document) == {"result": [{"code": REDACTED, "x": 1}, {"code": REDACTED}], "code": "top"}


@pytest.mark.parametrize("rule", ["bogus:x", "header", "field:", "pattern"])
def test_a_rule_of_no_known_kind_is_refused_word_for_word(rule: str) -> None:
    with pytest.raises(RedactionRuleError) as refused:
        RedactionPolicy().extended([rule])
    assert str(refused.value) == (
        f"Redaction rule '{rule}' must look like <kind>:<value> with kind one of header, field, path, pattern, "
        "e.g. header:X-Api-Key or field:pin."
    )


def test_a_pattern_that_is_no_regular_expression_is_refused_word_for_word() -> None:
    with pytest.raises(RedactionRuleError) as refused:
        RedactionPolicy().extended(["pattern:("])
    assert str(refused.value) == (
        "Redaction rule 'pattern:(': not a regular expression (missing ), unterminated subpattern at position 0)."
    )


@pytest.mark.parametrize(("document", "depth"), [("text", 0), (7, 0), ({}, 1), ([[]], 2), ({"a": [1, {"b": 2}]}, 3)])
def test_json_depth_counts_containers(document: Any, depth: int) -> None:
    assert json_depth(document) == depth


def test_a_document_nested_to_the_limit_is_redacted_and_deeper_is_not_shown() -> None:
    policy = RedactionPolicy()
    assert policy.redact_json(_nested(MAX_JSON_DEPTH)) == _nested(MAX_JSON_DEPTH)
    assert policy.redact_json(_nested(MAX_JSON_DEPTH + 1)) == TOO_DEEP


@pytest.mark.parametrize(
    ("document", "values"),
    [
        (b"\xff password=Bytes-Pw-1", ["Bytes-Pw-1"]),
        ("password=Xy-Pw-2X", ["Xy-Pw-2X"]),  # only quotes are taken off a value
    ],
)
def test_secret_values_in_text_are_found_for_registration(document: str | bytes, values: list[str]) -> None:
    assert RedactionPolicy().secret_values(document) == values
