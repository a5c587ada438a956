"""Running the simulator: in a background thread (for the keyword) or in the foreground (for the CLI)."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from .model import SimulatorConfig
from .roster import Roster
from .server import GatewaySimulator
from .tls import server_context


@dataclass(frozen=True)
class Endpoint:
    url: str
    ca_file: Path


class SimulatorRunner:
    """Serves one simulator over HTTPS on its own event loop."""

    def __init__(self, config: SimulatorConfig | None = None, roster: Roster | None = None, *,
                 host: str = "127.0.0.1", port: int = 0, ca_file: Path | None = None,
                 control_token: str | None = None, request_log: Callable[[str], None] | None = None) -> None:
        self.simulator = GatewaySimulator(config, roster, control_token=control_token, request_log=request_log)
        self.host, self.port = host, port
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if ca_file is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="ccgw-sim-")
            ca_file = Path(self._tmp.name) / "ccgw-sim-ca.pem"
        self.ca_file = ca_file
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    async def _start_site(self) -> Endpoint:
        context = server_context(self.ca_file, (self.host,))
        # auto_decompress=False: request bodies arrive as sent. aiohttp's own decoding waits forever on a truncated
        # deflate body, and the gateway does not take compressed requests anyway (the server answers 000-006).
        self._runner = web.AppRunner(self.simulator.app(), access_log=None, shutdown_timeout=0.5,
                                     auto_decompress=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=context, reuse_address=True)
        await site.start()
        port = self._runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return Endpoint(f"https://{host}:{port}", self.ca_file)

    def start_in_thread(self, timeout: float = 15.0) -> Endpoint:
        started = threading.Event()
        outcome: dict[str, object] = {}

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
            loop.run_until_complete(self._cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="ccgw-sim", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise RuntimeError(f"simulator did not start in {timeout} s")
        if "error" in outcome:
            raise RuntimeError(f"simulator did not start: {outcome['error']}")
        return outcome["endpoint"]  # type: ignore[return-value]

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def serve_forever(self, announce: Callable[[Endpoint], None] = print) -> None:
        async def main() -> None:
            endpoint = await self._start_site()
            announce(endpoint)
            try:
                await asyncio.Event().wait()
            finally:
                await self._cleanup()

        asyncio.run(main())
