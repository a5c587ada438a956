"""Turns jsonschema errors into one line a tester understands: field, value and the broken rule."""

from __future__ import annotations

from collections.abc import Iterable

from jsonschema import ValidationError

MAX_VALUE_CHARS = 60


def field_name(path: Iterable[object]) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(whole document)"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def _rule(schema: object) -> str | None:
    if isinstance(schema, dict):
        return schema.get("x-rule") or schema.get("description")
    return None


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
        names = ", ".join(field_name([*location, name]) for name in extra)
        return f"{names}: not a field of this interface (allowed: {', '.join(allowed) or 'none'})"
    field = field_name(location)
    rule = _rule(error.schema)
    if error.validator == "type" and rule is None:
        return f"{field}: {_short(error.instance)} is not of type {error.validator_value}"
    if rule:
        return f"{field}: {_short(error.instance)} breaks the rule: {rule}"
    return f"{field}: {error.message}"


def describe_all(errors: Iterable[ValidationError], limit: int = 3) -> str:
    ordered = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator or ""))
    texts = list(dict.fromkeys(describe(error) for error in ordered))
    shown = "; ".join(texts[:limit])
    more = len(texts) - limit
    return shown + (f"; and {more} more" if more > 0 else "")
