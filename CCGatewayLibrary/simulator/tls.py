"""A throw-away certificate authority for the simulator, made with trustme at start."""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme

from ..protocol import LOOPBACK_NAMES

HOSTNAMES = LOOPBACK_NAMES  # re-exported: the names a local simulator answers to


def server_context(ca_file: Path, hosts: tuple[str, ...] = HOSTNAMES) -> ssl.SSLContext:
    """An SSL context for the server; the CA that signed it is written to ``ca_file`` for clients."""
    ca = trustme.CA(organization_name="ccgw-sim test CA")
    names = tuple(dict.fromkeys((*hosts, *HOSTNAMES)))
    certificate = ca.issue_cert(*names)
    ca_file.parent.mkdir(parents=True, exist_ok=True)
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return context
