"""Reading the JSON that users write (agent pools, simulator rosters, recordings) and that clients send, with
errors that name the file (or body) and line, and a depth limit checked before parsing.

Nesting is measured by a flat scan before ``json.loads`` runs, so neither the parser nor anything that walks
the result afterwards (schema validation, ``repr`` in an error message) ever recurses on hostile nesting: Python
would otherwise stop with a bare RecursionError.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MAX_FILE_DEPTH = 64  # pools, rosters and recording lines nest a handful of levels; this is far beyond any of them
# One token is either a whole JSON string (or the rest of the text when it never closes, so the scan stays
# linear on broken input) or a bracket. Brackets inside strings are thereby skipped.
_JSON_TOKEN = re.compile(r'"[^"\\]*+(?:\\.?[^"\\]*+)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest more than ``limit`` levels, found by a flat scan."""
    if text.count("[") + text.count("{") <= limit:  # the common case costs two C-speed counts
        return False
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        char = text[token.start()]
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth = max(depth - 1, 0)
    return False


def value_deeper_than(value: Any, limit: int) -> bool:
    """Whether the arrays and objects (lists and dicts) of a parsed ``value`` nest more than ``limit`` levels, found
    without recursion, so a value too deep to encode or print is told apart before anything tries."""
    todo = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict | list | tuple):
            if depth > limit:
                return True
            todo.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def parse_json(text: str, where: str, error: type[Exception], max_depth: int = MAX_FILE_DEPTH) -> Any:
    """The document in ``text``; ``error`` names ``where`` (and the line) when it is not JSON or nests too deep."""
    if nested_deeper_than(text, max_depth):
        raise error(f"{where}: arrays and objects nest more than {max_depth} levels deep; flatten the document "
                    f"(no pool, roster or recording needs more than a few levels)")
    try:
        return json.loads(text)
    except ValueError as problem:
        line = f" line {problem.lineno}" if isinstance(problem, json.JSONDecodeError) else ""
        raise error(f"{where}{line}: not JSON ({getattr(problem, 'msg', problem)})") from None


def read_json(file: Path, where: str, error: type[Exception]) -> Any:
    """The document in ``file``; ``error`` names ``where`` (and the line) when it cannot be read or parsed."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as problem:
        raise error(f"{where}: cannot be read ({problem.strerror or problem})") from None
    except UnicodeDecodeError as problem:
        raise error(f"{where}: not UTF-8 text ({problem.reason} at byte {problem.start})") from None
    return parse_json(text, where, error)
