"""The rules a gateway address and its CA file must keep, for the library's import, Use Gateway and push_url."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .errors import CCGatewayError


def gateway_url(url: str, name: str = "Gateway URL") -> str:
    """The gateway's base URL (or ``name``'s, e.g. push_url), refused unless it is https://host[:port]: secrets
    travel in bodies and headers."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError as error:
        raise CCGatewayError(f"{name} is not a URL ({error}); give https://host:8043.") from None
    if parts.username is not None or parts.password is not None:
        # Never echo it: the part before @ may be a password.
        raise CCGatewayError(f"{name} must not carry a user name or password before '@' (https://user:pw@host): "
                             "it would be logged and sent on. Give https://host:8043.")
    labels = (parts.hostname or "").rstrip(".").split(".")
    if parts.hostname and not parts.hostname.startswith("[") and ":" not in parts.hostname and "" in labels:
        raise CCGatewayError(f"{name} '{url}' has a host name with an empty part ({parts.hostname}); "
                             "give https://host:8043.")
    if parts.scheme != "https" or not parts.hostname:
        raise CCGatewayError(f"{name} '{url}' must look like https://host:8043: the gateway takes passwords, "
                             "so plain http:// is refused.")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def ca_bundle(path: str | None) -> str | bool:
    """A CA file that exists, or True for requests' own CA bundle."""
    if not path:
        return True
    if not Path(path).is_file():
        raise CCGatewayError(f"CA bundle '{path}' is not a file.")
    return str(path)
