"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from CCGatewayLibrary import CCGatewayLibrary


@pytest.fixture(scope="module")
def simulated() -> Iterator[CCGatewayLibrary]:
    """The library with the embedded simulator started, as a suite setup would do it; one per test module."""
    library = CCGatewayLibrary(event_timeout=timedelta(seconds=5))
    library.start_gateway_simulator(poll_wait=timedelta(seconds=1))
    yield library
    library.stop_gateway_simulator()
