"""Robot Framework library for testing Huawei's CC-Gateway, with an offline gateway simulator."""

from .library import CCGatewayLibrary
from .version import VERSION

__version__ = VERSION
__all__ = ["CCGatewayLibrary"]
