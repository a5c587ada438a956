"""events.jsonl: one file per run with every test's events, for tools and timelines.

It lies next to output.xml. Under pabot each Robot process has an output folder of its own
(``<outputdir>/pabot_results/<n>``), so the processes write the run's file next to pabot's merged output.xml
together instead: PabotLib (which pabot starts by default) says which process starts the file afresh, and each
write takes a lock on the file. Without PabotLib each process keeps a file in its own folder, which
``ccgw-pabot`` and ``atest/run.py`` merge when pabot is done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from robot.errors import RemoteError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, where one process at a time writes its own file
    fcntl = None  # type: ignore[assignment]  # writes then go unlocked

EVENTS_FILE = "events.jsonl"
PABOT_RESULTS = "pabot_results"
STARTED_KEY = "ccgw-events-file-started"
STARTED_LOCK = "ccgw-events-file"
LOCK_WAIT = 30.0

# Event files this process has started in this run: a suite that imports the library with other arguments gets
# a new library instance, which must append to the run's file, not start it again.
_started: set[Path] = set()
_started_lock = threading.Lock()

Variable = Callable[[str], Any]


def append(lines: list[str], output_dir: str, variable: Variable) -> Path:
    """Appends ``lines`` to the run's events file and returns its path; the run's first write starts it afresh."""
    own = Path(output_dir).resolve()
    pabot = _pabot(variable)
    with _started_lock:
        path = own / EVENTS_FILE
        if pabot is not None and own.parent.name == PABOT_RESULTS:
            shared = own.parent.parent / EVENTS_FILE
            if shared in _started:
                path = shared
            else:
                try:
                    _claim(shared, *pabot)
                except (RuntimeError, OSError, RemoteError):  # no PabotLib: a file of its own, merged after the run
                    pass
                else:
                    path = shared
                    _started.add(shared)
        if path not in _started:
            _started.add(path)
            path.write_text("", encoding="utf-8")
        with path.open("a", encoding="utf-8") as stream, _locked(stream):
            stream.write("\n".join(lines) + "\n")
    return path


def _pabot(variable: Variable) -> tuple[str, str] | None:
    """PabotLib's address and this process's caller ID when running under pabot with PabotLib."""
    uri, caller = variable("${PABOTLIBURI}"), variable("${CALLER_ID}")
    return (str(uri), str(caller)) if uri and caller else None


def _claim(path: Path, uri: str, caller: str) -> None:
    """Starts the shared file afresh unless another process of the run did already. The file is emptied while
    PabotLib's lock is held: emptied after the lock, it could take lines another process wrote in between."""
    from robot.libraries.Remote import Remote

    remote = Remote(uri, timeout=10)
    # PabotLib answers False while another process holds the lock; releasing a lock not held is a KeyError.
    deadline = time.monotonic() + LOCK_WAIT
    while not remote.run_keyword("acquire_lock", [STARTED_LOCK, caller], {}):
        if time.monotonic() > deadline:
            raise RuntimeError(f"lock {STARTED_LOCK} held by another process for over {LOCK_WAIT:.0f} s")
        time.sleep(0.05)
    try:
        if not remote.run_keyword("get_parallel_value_for_key", [STARTED_KEY], {}):
            path.write_text("", encoding="utf-8")
            remote.run_keyword("set_parallel_value_for_key", [STARTED_KEY, str(path)], {})
    finally:
        remote.run_keyword("release_lock", [STARTED_LOCK, caller], {})


@contextmanager
def _locked(stream: IO[str]) -> Iterator[None]:
    """Holds an exclusive lock on the file while writing, so lines of two processes never interleave."""
    if fcntl is None:
        yield
        return
    fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
    try:
        yield
        stream.flush()
    finally:
        fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
