"""The run's facts in report.html's metadata: each suite shows the gateway it chose; the top suite shows a fact
as it is while every suite agrees, else how the suites differ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from robot.api import SuiteVisitor

# The facts `Use Gateway` sets on the suite that chose the gateway (keywords/simulator.py); the top suite's values
# summarise them. utest/test_run_metadata.py checks a suite gets exactly these.
RUN_FACTS = ("Gateway", "Auth mode", "Event mode", "Gateway version", "CCGatewayLibrary")
SUMMARY_CHARS = 160  # a longer list of the values the suites chose is replaced by a pointer to the suites


def summarise(values: list[str]) -> str:
    """One value for the top suite from the values of the suites below it: the value while they agree, else each
    value with its count of suites, else (too many to list) a pointer to the suites."""
    counts = Counter(values)
    if len(counts) == 1:
        return values[0]
    listed = ", ".join(f"{value} ({count} suite{'s' if count > 1 else ''})" for value, count in counts.most_common())
    if len(counts) <= 3 and len(listed) <= SUMMARY_CHARS:
        return listed
    return f"differs per suite ({len(counts)} values): see each suite"


def summarise_gateways(values: list[str]) -> str:
    """As `summarise`, but suites that each started a simulator of their own (a URL per suite, "https://127.0.0.1:
    40123 (embedded simulator)") are counted by kind instead of listed by port."""
    if len(set(values)) <= 3:
        return summarise(values)
    kinds = [value.rpartition(" (")[2].rstrip(")") if value.endswith(")") else value for value in values]
    return summarise([f"{kind}, one per suite" for kind in kinds]) if len(set(kinds)) <= 3 else summarise(values)


def top_facts(top: Any, names: Iterable[str] = RUN_FACTS) -> dict[str, str]:
    """The top suite's value of each fact in ``names`` that a suite below it (a result model) has."""
    below = [suite for suite in _suites(top) if suite is not top]  # the top's own values are a summary
    found = {name: [s.metadata[name] for s in below if name in s.metadata] for name in names}
    return {name: summarise_gateways(values) if name == "Gateway" else summarise(values)
            for name, values in found.items() if values}


def _suites(suite: Any) -> Iterator[Any]:
    yield suite
    for child in suite.suites:
        yield from _suites(child)


class TopSuiteFacts(SuiteVisitor):
    """A pre-rebot modifier: pabot gives its merged top suite the metadata of one process only, so the top suite's
    facts are summarised again over the suites of every process (``ccgw-pabot`` passes it to pabot)."""

    def start_suite(self, suite: Any) -> bool:
        if suite.parent is None:
            suite.metadata.update(top_facts(suite))
        return False  # the suites below keep their own values
