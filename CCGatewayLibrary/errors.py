"""Exceptions the library raises. Robot shows their message without the class name."""


class CCGatewayError(Exception):
    ROBOT_SUPPRESS_NAME = True


class CatalogueError(CCGatewayError):
    """An interface, event or retcode that the catalogue does not know."""


class RequestSchemaError(CCGatewayError):
    """A request that breaks its interface's schema; it was not sent."""


class ResponseSchemaError(CCGatewayError):
    """A gateway reply that breaks its interface's schema."""


class HttpStatusError(CCGatewayError):
    """The gateway answered with an HTTP status other than 200."""


class RetcodeError(CCGatewayError):
    """The gateway answered with a retcode other than the expected one."""

    def __init__(self, message: str, retcode: str) -> None:
        super().__init__(message)
        self.retcode = retcode


class TransportError(CCGatewayError):
    """The request could not be sent or its reply could not be read.

    ``reached_gateway`` tells whether the request may have been carried out although its reply was lost (a
    reply cut off or too slow), as opposed to never having arrived (no connection, TLS refused, not sent)."""

    def __init__(self, message: str, *, reached_gateway: bool = False) -> None:
        super().__init__(message)
        self.reached_gateway = reached_gateway


class EventTimeoutError(CCGatewayError):
    """An awaited event did not arrive in time."""


class AgentError(CCGatewayError):
    """No such agent alias, or no agent signed in."""


class SimulatorError(CCGatewayError):
    """The gateway simulator could not be started, reached or driven."""


class EventArrivedError(CCGatewayError):
    """An event arrived that a test said should not."""
