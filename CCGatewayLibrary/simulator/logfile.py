"""The simulator's log file: one line per request, and its own messages at a chosen level.

Needs nothing beyond the standard library, so ``ccgw-sim --help`` and the keywords import it without aiohttp.
Nothing secret reaches it: request lines carry agent, interface, retcode and time only, and the simulator's
own messages name agents, interfaces and faults, never a Guid, password or body.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..protocol import LOGGER

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMAT = "%(asctime)s %(levelname)s %(message)s"


def level_number(name: str) -> int:
    """The logging level called ``name`` (any case), or ValueError naming the choices."""
    if name.upper() not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}, got {name[:20]!r}")
    return logging.getLevelName(name.upper())


def show_messages(handler: logging.Handler, level: str) -> None:
    """Sends the simulator's own messages at ``level`` and above to ``handler``."""
    handler.setLevel(level_number(level))
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    # the logger passes everything any of its handlers may want; each handler filters by its own level
    if logger.level == logging.NOTSET or logger.level > handler.level:
        logger.setLevel(handler.level)


class LogFileError(ValueError):
    """The log file cannot be written; the text names the argument, the file and what to do."""


class SimulatorLog:
    """A log file that takes request lines and the simulator's own messages at ``level`` and above.

    ``argument`` is how the caller names the file (``log_file``, ``--log-file``) when it cannot be written."""

    def __init__(self, path: Path, level: str = "WARNING", argument: str = "log_file") -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("a", encoding="utf-8", buffering=1)
        except OSError as error:
            what = "is a folder" if self.path.is_dir() else f"cannot be written ({error.strerror or error})"
            raise LogFileError(f"{argument} {self.path} {what}: give the path of a file in a folder you can "
                               "write to") from None
        self._lock = threading.RLock()  # logging takes a handler's lock again while holding it (flush at exit)
        self._handler = logging.StreamHandler(self._stream)
        self._handler.createLock()
        self._handler.lock = self._lock  # one lock: request lines and messages never interleave
        show_messages(self._handler, level)

    def request(self, line: str) -> None:
        with self._lock:
            if not self._stream.closed:
                self._stream.write(line + "\n")

    def close(self) -> None:
        logging.getLogger(LOGGER).removeHandler(self._handler)
        with self._lock:
            self._stream.close()
