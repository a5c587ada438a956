"""What the transport may log: headers and JSON bodies with secret parts replaced, at every level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset({"guid", "set-guid", "cookie", "set-cookie", "authorization", "service_token"})
SECRET_FIELDS = frozenset({"password", "guid", "servicetoken", "service_token", "oldpassword", "newpassword"})


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value for name, value in headers.items()}


def redact_json(document: Any) -> Any:
    if isinstance(document, dict):
        return {key: REDACTED if str(key).lower() in SECRET_FIELDS else redact_json(value)
                for key, value in document.items()}
    if isinstance(document, list):
        return [redact_json(item) for item in document]
    return document
