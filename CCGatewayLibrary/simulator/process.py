"""``ccgw-sim`` as a separate process, started and stopped from Python (tests, benchmarks, the keyword).

Needs no aiohttp in the calling process: the child runs the simulator, the parent only waits on its ready file
and then on its readiness endpoint, with one deadline for both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import SimulatorError
from .control import SimulatorControl


class SimulatorProcess:
    """One ``ccgw-sim`` child process on a free port, with its CA, ready file and output in ``folder``."""

    def __init__(self, *options: str, folder: Path | None = None, env: dict[str, str] | None = None,
                 ready_timeout: float = 30.0) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="ccgw-sim-process-")
            folder = Path(self._tmp.name)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.ready_file = self.folder / "ready.json"
        self.ready_file.unlink(missing_ok=True)  # a file left by an earlier start would say "ready" at once
        self.stdout, self.stderr = self.folder / "ccgw-sim.out", self.folder / "ccgw-sim.err"
        self._stopped = False
        self.final_counters: dict[str, Any] | None = None
        self.options = ["--port", "0", "--ca-file", str(self.folder / "ca.pem"), *options,
                        "--ready-file", str(self.ready_file)]
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", *self.options],
                                            env=dict(os.environ, **(env or {})), stdout=out, stderr=err)
        self.url, self.ca_file, self.console = self._wait_ready(ready_timeout)

    description = "ccgw-sim process"
    config = None  # its settings live in the other process

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_ready(self, deadline: float) -> tuple[str, str, str | None]:
        give_up = time.monotonic() + deadline
        while not self.ready_file.exists():
            if self.process.poll() is not None:
                self._stopped = True
                problem = self.stderr.read_text(encoding='utf-8', errors='replace').strip()[-500:]
                self._tmp_cleanup()
                raise SimulatorError(f"ccgw-sim exited with status {self.process.returncode} before it was ready: "
                                     f"{problem}")
            if time.monotonic() > give_up:
                self.stop()
                raise SimulatorError(f"ccgw-sim did not write its ready file {self.ready_file} within {deadline:g} s "
                                     "(the deadline)")
            time.sleep(0.05)
        endpoint = json.loads(self.ready_file.read_text(encoding="utf-8"))
        try:
            SimulatorControl(endpoint["url"], endpoint["ca_file"]).wait_ready(max(give_up - time.monotonic(), 0.5))
        except SimulatorError:
            self.stop()
            raise
        return endpoint["url"], endpoint["ca_file"], endpoint.get("console")

    def console_url(self) -> str:
        """The address of the process's console, or SimulatorError when it serves none."""
        if not self.console:
            raise SimulatorError("this ccgw-sim process serves no console (--no-console, or a replay)")
        return str(self.console)

    def control(self, token: str | None = None) -> SimulatorControl:
        return SimulatorControl(self.url, self.ca_file, token=token)

    def stop(self, timeout: float = 30.0) -> dict[str, Any] | None:
        """Stops the process as Ctrl-C does and returns the counters it printed (None if it printed none); a
        folder of its own is removed then."""
        if self._stopped:
            return self.final_counters
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        for line in self.stdout.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("ccgw-sim counters: "):
                self.final_counters = json.loads(line.removeprefix("ccgw-sim counters: "))
        self._tmp_cleanup()
        return self.final_counters

    def _tmp_cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> SimulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
