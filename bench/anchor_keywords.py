"""What a suite without CCGatewayLibrary would write next to RequestsLibrary: a schema check and the Guid.

Used as a Robot keyword library by the RequestsLibrary rows of ``keyword_cost.py``, and by its Python
``requests`` row for the same precompiled validators. Plain jsonschema and referencing, independent of the
library: a registry of every schema under ``schemas/`` (they ``$ref`` ``urn:ccgw:schema:common``), one
Draft 2020-12 validator per interface, compiled once.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SET_GUID = re.compile(r"JSESSIONID=([^;\s]+)")

ROBOT_LIBRARY_SCOPE = "GLOBAL"
# Robot takes only these as keywords.
__all__ = ["guid_from_reply", "reply_should_match_schema"]


@cache
def registry() -> Registry:
    resources = []
    for file in sorted(SCHEMAS.rglob("*.schema.json")):
        schema = json.loads(file.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource(contents=schema, specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def response_validator(interface: str) -> Draft202012Validator:
    """The compiled validator of ``<interface>.response.schema.json``."""
    uri = f"urn:ccgw:schema:interface:{interface}:response"
    schema = registry().contents(uri)
    return Draft202012Validator(schema, registry=registry())


def check_reply(document: Any, interface: str) -> Any:
    """Fails unless ``document`` matches the interface's response schema; returns it."""
    validator = response_validator(interface)
    if not validator.is_valid(document):
        error = next(iter(validator.iter_errors(document)))
        raise AssertionError(f"{interface} reply does not match its schema: {error.message}")
    return document


def reply_should_match_schema(response: Any, interface: str) -> Any:
    """Robot keyword: the reply's JSON body, checked against the interface's response schema."""
    return check_reply(response.json(), interface)


def guid_from_reply(response: Any) -> str:
    """Robot keyword: the Guid of a sign-in reply's ``Set-GUID: JSESSIONID=<guid>`` header."""
    match = SET_GUID.search(response.headers.get("Set-GUID", ""))
    if not match:
        raise AssertionError("sign-in reply has no Set-GUID header")
    return match.group(1)


# Precompile at import, as a suite's keyword file would once per run.
for _name in ("login", "confJoin", "getAgentStatus"):
    response_validator(_name)
