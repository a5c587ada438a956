"""What the library may log: headers, JSON documents and text with their secret parts replaced.

A `RedactionPolicy` says what is secret, declaratively: header names, JSON field names (anywhere in a
document), JSON paths (from the top of a request or reply body) and regular expressions for free text.
The defaults cover the gateway's own secrets; users extend them with the library's ``redact`` import
argument, one rule per item:

| ``header:X-Api-Key``        | the value of this header (any case)
| ``field:pin``               | the value of every JSON field with this name (any case, any depth)
| ``path:result.accessCode``  | the value at this dotted path from the top of a body (lists: every item)
| ``pattern:token=(\\w+)``     | in any text: the first group if the expression has one, else the whole match
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..protocol import REDACTED, SESSION_COOKIE_NAME

# The gateway's secrets on the wire; JSON field names come from the schemas' "x-secret" marks.
SECRET_HEADERS = frozenset({"guid", "set-guid", "cookie", "set-cookie", "authorization", "service_token"})
SECRET_FIELDS = frozenset({"password", "guid", "servicetoken", "service_token", "oldpassword", "newpassword"})
# The Guid in a Set-GUID header, and inside text, e.g. a Set-GUID header quoted by a proxy's error page.
SESSION_COOKIE = re.compile(SESSION_COOKIE_NAME + r"=([^;\s\"',<&]+)")
RULE_KINDS = ("header", "field", "path", "pattern")
MAX_JSON_DEPTH = 64  # the gateway's documents are a few levels deep; deeper is garbage, not data
TOO_DEEP = "<JSON nested too deeply to show>"


class RedactionRuleError(ValueError):
    """A ``redact`` rule that cannot be understood."""


@dataclass(frozen=True)
class RedactionPolicy:
    headers: frozenset[str] = SECRET_HEADERS
    fields: frozenset[str] = SECRET_FIELDS
    paths: tuple[tuple[str, ...], ...] = ()
    patterns: tuple[re.Pattern[str], ...] = (SESSION_COOKIE,)

    def with_fields(self, names: Iterable[str]) -> RedactionPolicy:
        return replace(self, fields=self.fields | {name.lower() for name in names})

    def extended(self, rules: Iterable[str]) -> RedactionPolicy:
        """This policy plus ``rules`` such as ``header:X-Token`` (see the module documentation)."""
        headers, fields, paths, patterns = set(self.headers), set(self.fields), list(self.paths), list(self.patterns)
        for rule in rules:
            kind, sep, value = rule.partition(":")
            kind, value = kind.strip().lower(), value.strip()
            if not sep or kind not in RULE_KINDS or not value:
                raise RedactionRuleError(f"Redaction rule '{rule}' must look like <kind>:<value> with kind one of "
                                         f"{', '.join(RULE_KINDS)}, e.g. header:X-Api-Key or field:pin.")
            if kind == "header":
                headers.add(value.lower())
            elif kind == "field":
                fields.add(value.lower())
            elif kind == "path":
                paths.append(tuple(part for part in value.removeprefix("$.").split(".") if part))
            else:
                try:
                    patterns.append(re.compile(value))
                except re.error as error:
                    raise RedactionRuleError(f"Redaction rule '{rule}': not a regular expression ({error}).") \
                        from None
        return RedactionPolicy(frozenset(headers), frozenset(fields), tuple(paths), tuple(patterns))

    def secret_values(self, document: Any) -> list[str]:
        """The values this policy hides in ``document`` (JSON, or text such as ``password=x``), to register them."""
        if isinstance(document, bytes):
            document = document.decode("utf-8", "replace")
        if isinstance(document, str):
            found = []
            for match in self._field_pattern.finditer(document):
                value = match.group(2)
                found.append(value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value)
            return found
        values: list[str] = []
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    if str(key).lower() in self.fields and isinstance(value, str):
                        values.append(value)
                    else:
                        stack.append(value)
            elif isinstance(node, list):
                stack.extend(node)
        return values

    # -- applying it -------------------------------------------------------------------------------
    def redact_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {name: REDACTED if name.lower() in self.headers else self.redact_text(value)
                for name, value in headers.items()}

    def redact_json(self, document: Any) -> Any:
        """A copy of ``document`` with secret fields and paths replaced; strings inside are redacted as text."""
        if json_depth(document) > MAX_JSON_DEPTH:
            return TOO_DEEP
        redacted = self._fields(document)
        for path in self.paths:
            redacted = _at_path(redacted, path)
        return redacted

    def _fields(self, document: Any) -> Any:
        if isinstance(document, dict):
            return {key: REDACTED if str(key).lower() in self.fields else self._fields(value)
                    for key, value in document.items()}
        if isinstance(document, list):
            return [self._fields(item) for item in document]
        if isinstance(document, str):
            return self.redact_text(document)
        return document

    @property
    def _field_pattern(self) -> re.Pattern[str]:
        return _field_assignment(self.fields)

    def redact_text(self, text: str) -> str:
        """A body as text, with the values of secret fields (``"password": "x"``, ``password=x``) and the
        patterns' matches replaced."""
        if not text:
            return text
        return self.redact_patterns(self._field_pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text))

    def redact_patterns(self, text: str) -> str:
        """Any text (a log message, a failure) with the patterns' matches replaced."""
        for pattern in self.patterns:
            text = pattern.sub(_masked, text)
        return text


def json_depth(document: Any) -> int:
    """How deeply ``document`` nests, counted without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _masked(match: re.Match[str]) -> str:
    if match.re.groups == 0 or match.group(1) is None:
        return REDACTED
    whole, start = match.group(0), match.start(1) - match.start(0)
    return whole[:start] + REDACTED + whole[start + len(match.group(1)):]


_FIELD_PATTERNS: dict[frozenset[str], re.Pattern[str]] = {}


def _field_assignment(fields: frozenset[str]) -> re.Pattern[str]:
    """``name: value`` / ``name=value`` for the secret field names, quoted (JSON, repr) or bare (query, form)."""
    if fields not in _FIELD_PATTERNS:
        names = "|".join(sorted(map(re.escape, fields), key=len, reverse=True))
        _FIELD_PATTERNS[fields] = re.compile(
            rf"""(?i)(["']?\b(?:{names})\b["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}}\]]+)()""")
    return _FIELD_PATTERNS[fields]


def _at_path(document: Any, path: tuple[str, ...]) -> Any:
    if not path:
        return REDACTED
    if isinstance(document, list):
        return [_at_path(item, path) for item in document]
    if isinstance(document, dict):
        head, rest = path[0], path[1:]
        return {key: _at_path(value, rest) if key == head else value for key, value in document.items()}
    return document


DEFAULT_POLICY = RedactionPolicy()


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return DEFAULT_POLICY.redact_headers(headers)


def redact_json(document: Any) -> Any:
    return DEFAULT_POLICY.redact_json(document)
