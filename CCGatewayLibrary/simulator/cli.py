"""``ccgw-sim``: run the offline CC-Gateway simulator from a shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .model import SimulatorConfig
from .roster import Roster
from .runner import Endpoint, SimulatorRunner


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ccgw-sim", description="Offline simulator of the Huawei CC-Gateway agent "
                                "interface (HTTPS with its own CA).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8043, help="port; 0 picks a free one (default 8043)")
    p.add_argument("--ca-file", type=Path, default=Path("ccgw-sim-ca.pem"),
                   help="where to write the CA certificate clients must trust (default ./ccgw-sim-ca.pem)")
    p.add_argument("--roster", type=Path, help="JSON roster of agents and passwords (default: built-in)")
    p.add_argument("--poll-wait", type=float, default=10.0, help="seconds a poll waits for an event (default 10)")
    p.add_argument("--auth-mode", choices=("static", "dynamic"), default="dynamic",
                   help="static keeps the sign-in Guid; dynamic rotates it on polls (default)")
    p.add_argument("--guid-rotation", type=float, default=60.0, help="seconds between Guid changes (default 60)")
    p.add_argument("--ready-file", type=Path, help="write the URL and CA path here as JSON once listening")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    config = SimulatorConfig(poll_wait=args.poll_wait, dynamic_auth=args.auth_mode == "dynamic",
                             guid_rotation=args.guid_rotation)
    runner = SimulatorRunner(config, Roster.load(args.roster), host=args.host, port=args.port,
                             ca_file=args.ca_file.resolve())

    def announce(endpoint: Endpoint) -> None:
        print(f"ccgw-sim listening on {endpoint.url} (trust CA {endpoint.ca_file})", flush=True)
        if args.ready_file:
            args.ready_file.write_text(json.dumps({"url": endpoint.url, "ca_file": str(endpoint.ca_file)}))

    try:
        runner.serve_forever(announce)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"ccgw-sim: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
