"""Checks that Robot's argument conversion leaves to us: durations and numbers that make no sense as such.

Robot turns ``-5 seconds`` into a negative timedelta and ``nan`` or ``inf`` into floats without complaint; a
negative timeout then fails much later ("in - 5 seconds") and ``time_scale=nan`` makes timers fire without
pause. Every keyword's and the import's arguments pass through `check_arguments` after conversion, so the
rule lives here once instead of in each keyword.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from functools import cache
from typing import Any

from .errors import CCGatewayError

# Arguments that scale or divide time: zero would stop the clock or divide by it.
STRICTLY_POSITIVE = frozenset({"time_scale"})


def problem(name: str, value: Any) -> str | None:
    """What is wrong with ``value`` as the argument ``name``, or None when nothing is."""
    if isinstance(value, bool):
        return None
    if isinstance(value, timedelta):
        if value < timedelta(0):
            return (f"'{name}' must be a duration of zero or more, such as '5 s' or '1 min 30 s'; "
                    f"got a negative one ({value.total_seconds():g} s)")
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"'{name}' must be a finite number; got {value}"
        if name in STRICTLY_POSITIVE and value <= 0:
            return f"'{name}' must be greater than 0; got {value:g}"
    return None


@cache
def _signature(function: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(function)


def check_arguments(keyword: str, function: Callable[..., Any], args: Sequence[Any],
                    kwargs: Mapping[str, Any]) -> None:
    """Raises `CCGatewayError` naming the keyword, the argument and the rule for the first argument that breaks
    one; arguments Robot could not even bind are left for Robot to report."""
    try:
        bound = _signature(function).bind(*args, **kwargs)
    except TypeError:
        return
    named: list[tuple[str, Any]] = []
    for name, value in bound.arguments.items():
        if isinstance(value, dict):  # **free_named: each item under its own name
            named.extend((str(key), item) for key, item in value.items())
        elif isinstance(value, tuple):  # *varargs
            named.extend((name, item) for item in value)
        else:
            named.append((name, value))
    refuse(keyword, named)


def refuse(keyword: str, named: Sequence[tuple[str, Any]]) -> None:
    """Raises `CCGatewayError` for the first of the (name, value) pairs that breaks a rule."""
    for name, value in named:
        text = problem(name, value)
        if text:
            raise CCGatewayError(f"{keyword}: {text}.")
