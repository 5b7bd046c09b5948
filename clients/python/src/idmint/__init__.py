"""idmint: new IDs from idmint nodes, with failover, per-call deadlines and a prefetch buffer.

Standard library only; Python 3.9+. The README beside pyproject.toml has the options and errors.
"""

from ._config import MAX_COUNT
from ._remote import EndpointHealth
from .client import IdMintClient
from .errors import (
    Attempt,
    IdMintClosedError,
    IdMintConfigurationError,
    IdMintError,
    IdMintInvalidArgumentError,
    IdMintNamespaceNotFoundError,
    IdMintPermissionDeniedError,
    IdMintPublicIdUnsupportedError,
    IdMintRequestError,
    IdMintUnauthenticatedError,
    IdMintUnavailableError,
)

__version__ = "0.1.0"

__all__ = [
    "MAX_COUNT",
    "Attempt",
    "EndpointHealth",
    "IdMintClient",
    "IdMintClosedError",
    "IdMintConfigurationError",
    "IdMintError",
    "IdMintInvalidArgumentError",
    "IdMintNamespaceNotFoundError",
    "IdMintPermissionDeniedError",
    "IdMintPublicIdUnsupportedError",
    "IdMintRequestError",
    "IdMintUnauthenticatedError",
    "IdMintUnavailableError",
]
