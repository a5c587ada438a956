"""HTTP transport to the gateway: sessions, TLS, timeouts, Guid handling and redaction."""

from .redaction import DEFAULT_POLICY, RedactionPolicy, RedactionRuleError, redact_headers, redact_json
from .session import Exchange, GatewaySession, GuidHolder

__all__ = ["DEFAULT_POLICY", "Exchange", "GatewaySession", "GuidHolder", "RedactionPolicy", "RedactionRuleError",
           "redact_headers", "redact_json"]
