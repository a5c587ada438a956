"""JSON Schema validation with the schema language's own regex rules, and errors a tester understands.

Messages name the field, the value and the broken rule, but never the value of a field the schema marks
``"x-secret": true`` (passwords, tokens): a refusal must not put a password into the log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

MAX_VALUE_CHARS = 60
MAX_NAMES = 5  # unknown field names listed in one message
SECRET_MARK = "x-secret"


# ECMA-262 character classes (without the u flag), which differ from Python's Unicode-aware ones.
_ECMA_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_ECMA_SETS = {"d": "0-9", "w": "A-Za-z0-9_", "s": _ECMA_SPACE}
_ECMA_DOT = "[^\\n\\r\\u2028\\u2029]"


@lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with ECMA-262 meanings, as JSON Schema defines them.

    Python's ``$`` also matches before a final newline (``^[0-9]+$`` would accept ``"101\\n"``), its ``\\d``
    and ``\\w`` take any script's digits and letters, ``\\s`` and ``.`` other characters than ECMA's. Outside
    a character class these become ``\\Z`` and explicit sets; inside one, ``\\d``, ``\\w`` and ``\\s``
    become the set's members.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            members = _ECMA_SETS.get(escaped.lower())
            if members is None:
                out.append(char + escaped)
            elif in_class and escaped.islower():
                out.append(members)
            elif in_class:
                out.append(char + escaped)  # a negated set inside a class: rare, left to Python
            else:
                out.append(f"[{'^' if escaped.isupper() else ''}{members}]")
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern[i + 1:i + 2] == "^":  # keep "[^]..." from closing at once
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":
                out.append("\\]")
                i += 1
        elif char == "$":
            out.append(r"\Z")
        elif char == ".":
            out.append(_ECMA_DOT)
        else:
            out.append(char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


SchemaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def field_name(path: Iterable[object]) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(whole document)"


def _short(value: object) -> str:
    if isinstance(value, dict | list):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"  # its content may hold anything
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def _short_name(name: str) -> str:
    return name if len(name) <= MAX_VALUE_CHARS else name[: MAX_VALUE_CHARS - 3] + "..."


def _rule(schema: object) -> str | None:
    if isinstance(schema, dict):
        return schema.get("x-rule") or schema.get("description")
    return None


def _is_secret(error: ValidationError) -> bool:
    return isinstance(error.schema, dict) and bool(error.schema.get(SECRET_MARK))


def describe(error: ValidationError) -> str:
    """One readable sentence for one schema error."""
    location = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        field = field_name([*location, missing])
        sub = error.schema.get("properties", {}).get(missing) if isinstance(error.schema, dict) else None
        rule = _rule(sub)
        return f"{field}: is required but missing" + (f" (rule: {rule})" if rule else "")
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        names = ", ".join(field_name([*location, _short_name(name)]) for name in extra[:MAX_NAMES])
        more = f" and {len(extra) - MAX_NAMES} more" if len(extra) > MAX_NAMES else ""
        return f"{names}{more}: not a field of this interface (allowed: {', '.join(allowed) or 'none'})"
    field = field_name(location)
    rule = _rule(error.schema)
    value = "the secret value" if _is_secret(error) else _short(error.instance)
    if error.validator == "type" and rule is None:
        return f"{field}: {value} is not of type {error.validator_value}"
    if rule:
        return f"{field}: {value} breaks the rule: {rule}"
    if _is_secret(error) or isinstance(error.instance, dict | list):
        return f"{field}: {value} breaks the schema keyword '{error.validator}'"
    return f"{field}: {error.message}"


def describe_all(errors: Iterable[ValidationError], limit: int = 3) -> str:
    ordered = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator or ""))
    texts = list(dict.fromkeys(describe(error) for error in ordered))
    shown = "; ".join(texts[:limit])
    more = len(texts) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


# Keywords whose values are data, not schemas: a "$ref" key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


def inline_references(schema: dict[str, Any], resolver: Any) -> dict[str, Any]:
    """``schema`` with every ``$ref`` replaced by the schema it points to.

    jsonschema resolves a reference on every validation, and with the shared definitions that is half the
    time a check takes (bench/keyword_cost.py). A reference with other keywords beside it keeps them and
    puts the target under ``allOf``, which applies both as draft 2020-12 does. A schema that refers to itself,
    directly or not, is returned as it is.
    """
    try:
        return _inline(schema, resolver, ())
    except _Recursive:
        return schema


class _Recursive(Exception):
    pass


def _inline(node: Any, resolver: Any, stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, resolver, stack) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: value if key in _DATA_KEYWORDS or key.startswith("x-") else _inline(value, resolver, stack)
            for key, value in node.items() if key != "$ref"}
    reference = node.get("$ref")
    if not isinstance(reference, str):
        return copy
    resolved = resolver.lookup(reference)
    where = f"{resolved.resolver._base_uri}|{reference}"
    if where in stack:
        raise _Recursive(reference)
    target = _inline(resolved.contents, resolved.resolver, (*stack, where))
    if not any(key not in _ANNOTATIONS and not key.startswith("x-") for key in copy):
        # Nothing beside the reference is checked: the target stands in for it, its own words included.
        return target
    copy["allOf"] = [*copy.get("allOf", []), target]
    return copy


_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})
