"""A push endpoint in a process of its own, with a low open-files limit, for the flood tests (test_push_flood.py).

It signs agent 101 in, prints ``{"url", "ca_file", "token", "caps"}`` as one JSON line and then obeys lines on
stdin: ``exhaust`` (open files until none is left), ``free`` (close them again), ``report`` (print the events
recorded and the warnings and errors logged, as JSON) and ``stop``.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.events import EventJournal
from CCGatewayLibrary.events.receiver import CALLBACK_PATH, PushReceiver


class Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def main() -> None:
    nofile = int(sys.argv[1])
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))
    logged = Counting()
    logging.getLogger().addHandler(logged)
    receiver = PushReceiver(load_catalogue())
    receiver.start()
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    guard = getattr(receiver, "guard", None)  # None in an endpoint without one, so the tests can show the difference
    print(json.dumps({"url": receiver.base_url + CALLBACK_PATH.format(agentid="101"), "ca_file": str(receiver.ca_file),
                      "token": registration.token.value,
                      "caps": [guard.max_connections, guard.max_per_peer] if guard else None}), flush=True)
    held: list[int] = []
    for line in sys.stdin:
        command = line.strip()
        if command == "exhaust":
            try:
                while True:
                    held.append(os.open(os.devnull, os.O_RDONLY))
            except OSError:
                pass
            print(json.dumps({"held": len(held)}), flush=True)
        elif command == "free":
            while held:
                os.close(held.pop())
            print(json.dumps({"held": 0}), flush=True)
        elif command == "report":
            print(json.dumps({"events": [r.name for r in journal.events()],
                              "logged": [f"{r.name} {r.levelname}: {r.getMessage()}" for r in logged.records],
                              "shed": guard.shed if guard else None, "open": guard.open if guard else None}),
                  flush=True)
        elif command == "stop":
            break
    receiver.stop()


if __name__ == "__main__":
    main()
