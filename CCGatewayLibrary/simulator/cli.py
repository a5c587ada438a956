"""``ccgw-sim``: run the offline CC-Gateway simulator from a shell."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import signal
import sys
from pathlib import Path

from ..catalogue import gateway, load_catalogue
from ..errors import CatalogueError
from ..protocol import CONTROL_PREFIX, CONTROL_TOKEN_HEADER, LOGGER, SIMULATOR_NAME, is_loopback
from .logfile import LEVELS, LogFileError, SimulatorLog, show_messages
from .model import SimulatorConfig
from .roster import Roster, RosterError

EXIT_REFUSED = 2  # as argparse uses for a command line it will not run


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _seconds(text: str) -> float:
    """Seconds: a finite number of 0 or more (nan, inf and negative durations would stall or spin timers)."""
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a duration must be 0 or more seconds")
    return value


def _scale(text: str) -> float:
    """A finite factor above 0: 0 would stop the simulator's clock, nan or inf make its timers spin."""
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the time scale must be greater than 0")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=SIMULATOR_NAME, description="Offline simulator of the Huawei CC-Gateway agent "
                                "interface (HTTPS with its own CA).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8043, help="port; 0 picks a free one (default 8043)")
    p.add_argument("--ca-file", type=Path, default=Path("ccgw-sim-ca.pem"),
                   help="where to write the CA certificate clients must trust (default ./ccgw-sim-ca.pem)")
    p.add_argument("--roster", type=Path,
                   help="JSON roster: agents (ID ranges), each group's password as the name of an environment "
                        "variable (password_env), skill queues (default: built-in agents 101-1100)")
    p.add_argument("--poll-wait", type=_seconds, default=gateway.POLL_WAIT,
                   help=f"seconds a poll waits for an event (default {gateway.POLL_WAIT:g})")
    p.add_argument("--auth-mode", choices=("static", "dynamic"), default="dynamic",
                   help="static keeps the sign-in Guid; dynamic rotates it on polls (default)")
    p.add_argument("--guid-rotation", type=_seconds,
                   help=f"seconds between Guid changes (default {gateway.GUID_RENEWAL:g} times the time scale)")
    p.add_argument("--time-scale", type=_scale, default=1.0,
                   help="multiplies the gateway's own timers (Guid renewal and lifetime, sign-out of an agent nobody "
                        "polls for, rest timer); 0.01 turns minutes into seconds (default 1)")
    p.add_argument("--log-file", type=Path,
                   help="write one line per request here: time, agent, interface, retcode, milliseconds "
                        "(no Guid, no body), and the simulator's own messages at --log-level")
    p.add_argument("--log-level", type=str.upper, choices=LEVELS, default="WARNING",
                   help="the simulator's own messages at this level and above go to standard error (and the "
                        "--log-file): faults injected, silent agents signed out, restarts (default WARNING)")
    p.add_argument("--replay", type=Path, metavar="FILE",
                   help="answer as the session recorded in FILE (the library's record_to=FILE) did: each agent's "
                        "requests in the recorded order, with the recorded replies and events; --roster, "
                        "--auth-mode and the timers do not apply")
    p.add_argument("--gateway-version", metavar="VERSION",
                   help="serve the routes of this gateway version: current (default, the API reference) or legacy")
    p.add_argument("--ready-file", type=Path, help="write the URL and CA path here as JSON once listening")
    p.add_argument("--callback-ca", type=Path,
                   help="PEM file of the CA that push-mode callbacks' certificates must chain to, as a gateway's "
                        "trust store (default: the system's CAs)")
    p.add_argument("--control-token-env", metavar="NAME",
                   help=f"name of an environment variable holding the control token; every request to the control "
                        f"interface ({CONTROL_PREFIX}) must then send it in the {CONTROL_TOKEN_HEADER} header. "
                        "Required when --host is not a loopback address")
    p.add_argument("--console-port", type=int, default=0,
                   help=f"port of the live console, a web page at {CONTROL_PREFIX}/console/ that shows agents, "
                        "calls, faults and the latest requests and events, and drives the simulator; behind the "
                        "control token when one is set; 0 picks a free one (default), printed at start")
    p.add_argument("--no-console", action="store_true", help="serve no console")
    p.add_argument("--insecure-open-control", action="store_true",
                   help="listen beyond loopback without a control token, so anyone who reaches the port can sign "
                        "agents in and inject calls (a warning is printed)")
    return p


def control_token(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The control token and None, or None and the reason ccgw-sim must not start. Never echoes the value."""
    if args.control_token_env:
        name = args.control_token_env
        token = os.environ.get(name, "").strip()  # header values lose surrounding blanks in transit anyway
        if not token:
            return None, f"--control-token-env names {name}, but that environment variable is not set or is empty."
        if not all(" " <= char <= "~" for char in token):
            return None, (f"the control token in {name} must be printable ASCII characters, so that it can travel "
                          "in an HTTP header.")
        return token, None
    if not is_loopback(args.host) and not args.insecure_open_control:
        return None, (f"refusing to listen on {args.host} without a control token: anyone who reaches the port "
                      f"could sign agents in and inject calls through {CONTROL_PREFIX}. Put a token in an "
                      "environment variable and pass its name with --control-token-env NAME (clients send it in "
                      f"the {CONTROL_TOKEN_HEADER} header), or accept the risk with --insecure-open-control.")
    return None, None


def raise_file_limit() -> None:
    """Lifts the soft limit on open files to the hard one: each held poll is a socket, and a thousand agents
    need more than the common default of 1024."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def small_tls_buffers(size: int = 32 * 1024) -> None:
    """asyncio gives every TLS connection a 256 KiB read buffer; with a poll held per agent that is most of the
    process (412 MB at 1000 agents, 171 MB with 32 KiB, measured by utest/test_scale_simulator.py). Gateway
    bodies are small and a TLS record is at most 16 KiB, so a smaller buffer only costs a loop turn on the rare
    larger read. Done in the ccgw-sim process only, which serves nothing but the simulator."""
    import asyncio.sslproto

    if getattr(asyncio.sslproto.SSLProtocol, "max_size", 0) > size:
        asyncio.sslproto.SSLProtocol.max_size = size


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a terminated simulator stops as on Ctrl-C: it closes its log and prints its counters


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    token, refusal = control_token(args)
    if refusal:
        print(f"ccgw-sim: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    if token is None and not is_loopback(args.host):
        print(f"ccgw-sim: WARNING: the control interface {CONTROL_PREFIX} on {args.host} is open to anyone who "
              "reaches the port (--insecure-open-control); use --control-token-env NAME to protect it.",
              file=sys.stderr, flush=True)
    try:  # the server needs the [simulator] extra; --help and option errors work without it
        from .runner import ConsolePortError, Endpoint, SimulatorRunner
    except ImportError as missing:
        print(f"ccgw-sim: the simulator needs the Python package '{missing.name}': pip install "
              "'robotframework-ccgatewaylibrary[simulator]'", file=sys.stderr)
        return EXIT_REFUSED
    config = SimulatorConfig(poll_wait=args.poll_wait, dynamic_auth=args.auth_mode == "dynamic",
                             guid_rotation=args.guid_rotation, time_scale=args.time_scale, callback_ca=args.callback_ca,
                             gateway_version=args.gateway_version)
    try:  # an unknown version is refused before anything listens
        load_catalogue(args.gateway_version)
    except CatalogueError as error:
        print(f"ccgw-sim: --gateway-version: {error}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        roster = Roster.load(args.roster)
    except RosterError as error:
        print(f"ccgw-sim: {error}", file=sys.stderr)
        return EXIT_REFUSED
    console = logging.StreamHandler(sys.stderr)
    show_messages(console, args.log_level)
    small_tls_buffers()
    raise_file_limit()
    try:
        log = SimulatorLog(args.log_file, args.log_level, "--log-file") if args.log_file else None
    except LogFileError as error:
        print(f"ccgw-sim: {error}", file=sys.stderr)
        logging.getLogger(LOGGER).removeHandler(console)
        return EXIT_REFUSED
    played = None
    if args.replay is not None:
        from .replay import RecordingError, ReplaySimulator

        try:
            played = ReplaySimulator(args.replay, poll_wait=args.poll_wait, request_log=log.request if log else None,
                                     control_token=token)
        except RecordingError as error:
            print(f"ccgw-sim: {error}", file=sys.stderr)
            if log is not None:
                log.close()
            logging.getLogger(LOGGER).removeHandler(console)
            return EXIT_REFUSED
    runner = SimulatorRunner(config, roster, host=args.host, port=args.port, ca_file=args.ca_file.resolve(),
                             control_token=token, request_log=log.request if log else None, simulator=played)

    def announce(endpoint: Endpoint) -> None:
        guard = f"; control interface needs the {CONTROL_TOKEN_HEADER} header" if token else ""
        print(f"ccgw-sim listening on {endpoint.url} (trust CA {endpoint.ca_file}){guard}", flush=True)
        if endpoint.console:
            sign_in = " (give it the control token: append #token=... or use its sign-in form)" if token else ""
            print(f"ccgw-sim console on {endpoint.console}{sign_in}", flush=True)
        if args.ready_file:
            # Written beside and renamed: whoever waits for the file never reads half of it.
            partial = args.ready_file.with_name(args.ready_file.name + ".partial")
            partial.write_text(json.dumps({"url": endpoint.url, "ca_file": str(endpoint.ca_file),
                                           "console": endpoint.console}))
            os.replace(partial, args.ready_file)

    try:
        # a replay has no world to show
        runner.serve_forever(announce, None if args.no_console or played is not None else args.console_port)
    except KeyboardInterrupt:
        pass
    except ConsolePortError as error:
        print(f"ccgw-sim: {error} (--console-port)", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"ccgw-sim: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    finally:
        if log is not None:
            log.close()
        logging.getLogger(LOGGER).removeHandler(console)
        print(f"ccgw-sim counters: {json.dumps(runner.simulator.counters())}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
