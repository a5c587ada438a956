"""The thread that keeps one agent's event channel going: the poller's polls or the push listener's heartbeat."""

from __future__ import annotations

import threading


class AgentThread:
    """Starts ``_run`` in a daemon thread; ``stop`` asks it to end and may wait for it."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait and self._thread.is_alive():
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()
