"""Running the simulator: in a background thread (for the keyword) or in the foreground (for the CLI)."""

from __future__ import annotations

import asyncio
import logging
import ssl
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..protocol import LOGGER, SIMULATOR_NAME, is_loopback
from .faults import MAX_DOWNTIME
from .model import SimulatorConfig
from .roster import Roster
from .server import GatewaySimulator
from .tls import server_context

if TYPE_CHECKING:
    from .console.server import Console

log = logging.getLogger(LOGGER)


@dataclass(frozen=True)
class Endpoint:
    url: str
    ca_file: Path
    console: str | None = None  # the console's address, when it was started with the simulator


class ConsolePortError(OSError):
    """The console cannot listen on the port asked for."""


class SimulatorRunner:
    """Serves one simulator over HTTPS on its own event loop, and restarts it on the same port with the same CA."""

    def __init__(self, config: SimulatorConfig | None = None, roster: Roster | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, ca_file: Path | None = None,
                 control_token: str | None = None, request_log: Callable[[str], None] | None = None,
                 simulator: Any = None) -> None:
        # ``simulator``: another application with the same face (app(), counters()), e.g. a replay
        self.simulator = simulator or GatewaySimulator(config, roster, control_token=control_token,
                                                       request_log=request_log)
        self.simulator.restart_handler = self.restart
        self.description = "embedded simulator" if isinstance(self.simulator, GatewaySimulator) else \
            "embedded replay"
        self.host, self.port = host, port
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if ca_file is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="ccgw-sim-")
            ca_file = Path(self._tmp.name) / "ccgw-sim-ca.pem"
        self.ca_file = ca_file
        self._context: ssl.SSLContext | None = None  # kept across restarts: clients keep trusting the same CA
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._restarting: asyncio.Lock | None = None
        self.console: Console | None = None  # started by console_url or serve_forever(console_port=...)

    async def _start_site(self) -> Endpoint:
        if self._context is None:
            self._context = server_context(self.ca_file, (self.host,))
        # auto_decompress=False: request bodies arrive as sent. aiohttp's own decoding waits forever on a truncated
        # deflate body, and the gateway does not take compressed requests anyway (the server answers 000-006).
        self._runner = web.AppRunner(self.simulator.app(), access_log=None, shutdown_timeout=0.5,
                                     auto_decompress=False)
        await self._runner.setup()
        # backlog: a thousand agents signing in at once must not find the listen queue full (refused connections)
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self._context, reuse_address=True,
                           backlog=1024)
        await site.start()
        self.port = self._runner.addresses[0][1]  # a restart comes back on the same port, also when 0 was asked
        host = f"[{self.host}]" if ":" in self.host else self.host
        return Endpoint(f"https://{host}:{self.port}", self.ca_file)

    async def restart(self, downtime: float = 0.0) -> None:
        """Stops serving (every connection drops, held polls too), forgets all sessions as a rebooted gateway
        does, keeps the port closed for ``downtime`` seconds, then serves again on the same port and CA."""
        if self._restarting is None:
            self._restarting = asyncio.Lock()
        async with self._restarting:
            log.warning("restarting: the port closes for %.1f s and every session is lost", downtime)
            await self._cleanup()
            self.simulator.reset()
            await asyncio.sleep(min(max(downtime, 0.0), MAX_DOWNTIME))
            try:
                await self._start_site()
            except OSError as error:  # e.g. another program took the port meanwhile: say so, not just "not ready"
                log.error("restart failed: cannot serve on port %s again: %s", self.port, error)
                raise
            log.warning("restarted on port %s", self.port)
            if isinstance(self.simulator, GatewaySimulator):
                self.simulator.activity.changed()  # the console shows the port open again

    def start_in_thread(self, timeout: float = 15.0) -> Endpoint:
        started = threading.Event()
        outcome: dict[str, Any] = {}

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                outcome["endpoint"] = loop.run_until_complete(self._start_site())
            except Exception as error:  # reported to the starting thread
                outcome["error"] = error
                started.set()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=serve, name=SIMULATOR_NAME, daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise RuntimeError(f"simulator did not start in {timeout} s")
        if "error" in outcome:
            raise RuntimeError(f"simulator did not start: {outcome['error']}")
        endpoint: Endpoint = outcome["endpoint"]
        return endpoint

    async def _start_console(self, port: int) -> str:
        if self.console is None:
            if not isinstance(self.simulator, GatewaySimulator):
                raise RuntimeError("the console shows a live simulator; a replay has none")
            from .console.server import Console

            # Beyond loopback the page carries the control token, so it travels under TLS (the simulator's CA).
            console = Console(self.simulator, host=self.host, port=port,
                              ssl_context=None if is_loopback(self.host) else self._context,
                              serving=lambda: self._runner is not None)
            try:
                await console.start()
            except OSError as error:
                raise ConsolePortError(f"cannot serve the console on {self.host}:{port}: {error}") from None
            self.console = console
        return self.console.url

    def console_url(self, timeout: float = 15.0) -> str:
        """The address of the console of a simulator started with `start_in_thread`; started on first use, on a
        free port of the same host."""
        if self.console is not None:
            return self.console.url
        if self._loop is None or self._thread is None or not self._thread.is_alive():
            raise RuntimeError("the simulator is not running")
        return asyncio.run_coroutine_threadsafe(self._start_console(0), self._loop).result(timeout)

    def restart_from_thread(self, downtime: float = 0.0, timeout: float = 30.0) -> None:
        """`restart` for a simulator started with `start_in_thread`, called from another thread."""
        if self._loop is None or self._thread is None or not self._thread.is_alive():
            raise RuntimeError("the simulator is not running")
        asyncio.run_coroutine_threadsafe(self.restart(downtime), self._loop).result(timeout)

    async def _stop_console(self) -> None:
        if self.console is not None:
            console, self.console = self.console, None
            await console.stop()

    async def _cleanup(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _shutdown(self) -> None:
        """Stops serving, then cancels and awaits what still runs on the loop (a restart under way, asked for by
        the control interface or a ``restart`` fault), so that no task is destroyed pending when the loop closes
        (asyncio's "Task was destroyed but it is pending!")."""
        await self._stop_console()
        await self._cleanup()
        current = asyncio.current_task()
        # again while any are left: a restart scheduled a moment before the stop may begin while these end
        while left := [task for task in asyncio.all_tasks() if task is not current and not task.done()]:
            for task in left:
                log.debug("stopping: cancelling %s", task.get_coro())
                task.cancel()
            await asyncio.gather(*left, return_exceptions=True)

    @property
    def config(self) -> SimulatorConfig | None:
        """The live simulator's settings (a replay has none)."""
        return self.simulator.config if isinstance(self.simulator, GatewaySimulator) else None

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def serve_forever(self, announce: Callable[[Endpoint], None] = print, console_port: int | None = None) -> None:
        """Serves until interrupted; with ``console_port`` (0: a free one) the console too."""
        async def main() -> None:
            endpoint = await self._start_site()
            if console_port is not None:
                endpoint = Endpoint(endpoint.url, endpoint.ca_file, await self._start_console(console_port))
            announce(endpoint)
            try:
                await asyncio.Event().wait()
            finally:
                await self._stop_console()
                await self._cleanup()

        asyncio.run(main())
