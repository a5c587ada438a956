"""HTTP transport to the gateway: sessions, TLS, timeouts, Guid handling and redaction."""

from .redaction import redact_headers, redact_json
from .session import Exchange, GatewaySession, GuidHolder

__all__ = ["Exchange", "GatewaySession", "GuidHolder", "redact_headers", "redact_json"]
