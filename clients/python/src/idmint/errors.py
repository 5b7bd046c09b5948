"""Typed errors of the idmint client. None of them carries an ID: a failed call never yields a
made-up or reused value."""

from __future__ import annotations

from typing import Mapping, NamedTuple, Optional, Sequence, Tuple

__all__ = [
    "Attempt",
    "IdMintError",
    "IdMintUnavailableError",
    "IdMintRequestError",
    "IdMintInvalidArgumentError",
    "IdMintNamespaceNotFoundError",
    "IdMintUnauthenticatedError",
    "IdMintPermissionDeniedError",
    "IdMintPublicIdUnsupportedError",
    "IdMintConfigurationError",
    "IdMintClosedError",
]


class Attempt(NamedTuple):
    """One try of one endpoint and why it gave no IDs."""

    endpoint: str
    reason: str


class IdMintError(Exception):
    """The base of every error the client raises."""


class IdMintUnavailableError(IdMintError):
    """No endpoint served the call within its deadline and the prefetch buffer (if any) was
    empty. ``attempts`` lists every try in order; the message groups them per endpoint and names
    the endpoints not tried. The one failure worth retrying later."""

    def __init__(
        self,
        namespace: str,
        deadline: float,
        attempts: Sequence[Attempt],
        not_tried: Mapping[str, str],
    ) -> None:
        self.namespace = namespace
        self.deadline = deadline
        self.attempts: Tuple[Attempt, ...] = tuple(attempts)
        super().__init__(_message(namespace, deadline, self.attempts, not_tried))


def _message(
    namespace: str, deadline: float, attempts: Sequence[Attempt], not_tried: Mapping[str, str]
) -> str:
    out = (
        f"no idmint endpoint served namespace {namespace} within the deadline of "
        f"{round(deadline * 1000)} ms and no prefetched ID was left"
    )
    by_endpoint: dict = {}
    for a in attempts:
        by_endpoint.setdefault(a.endpoint, []).append(a.reason)
    if not by_endpoint:
        out += "; no attempt finished yet"
    for endpoint, reasons in by_endpoint.items():
        counted = "1 attempt, " if len(reasons) == 1 else f"{len(reasons)} attempts, last "
        out += f"; {endpoint}: {counted}{reasons[-1]}"
    for endpoint, state in not_tried.items():
        if endpoint not in by_endpoint:
            out += f"; {endpoint}: not tried ({state})"
    return out


class IdMintRequestError(IdMintError):
    """A request no endpoint can serve as asked; never retried, because every node would answer
    the same. ``endpoint`` names the node that answered, or is None when the client refused the
    request before sending it."""

    def __init__(self, message: str, endpoint: Optional[str]) -> None:
        self.endpoint = endpoint
        super().__init__(message if endpoint is None else f"{message} (answered by {endpoint})")


class IdMintInvalidArgumentError(IdMintRequestError, ValueError):
    """A bad namespace name or count (caught before sending), or the node's INVALID_ARGUMENT."""


class IdMintNamespaceNotFoundError(IdMintRequestError):
    """The node does not serve the namespace (404 NOT_FOUND)."""

    def __init__(self, namespace: str, message: str, endpoint: Optional[str]) -> None:
        self.namespace = namespace
        super().__init__(message, endpoint)


class IdMintUnauthenticatedError(IdMintRequestError):
    """No token, or a token the node does not know (401)."""


class IdMintPermissionDeniedError(IdMintRequestError):
    """The token may not use the namespace (403)."""


class IdMintPublicIdUnsupportedError(IdMintRequestError):
    """``next_public_id`` on a namespace without a public-ID codec. Remembered for 30 s per
    namespace so calls fail fast; the raw IDs of that answer are thrown away, never handed out."""

    def __init__(self, namespace: str, endpoint: Optional[str]) -> None:
        self.namespace = namespace
        super().__init__(
            f"namespace {namespace} has no public-ID codec: the server returned raw IDs "
            "without public IDs",
            endpoint,
        )


class IdMintConfigurationError(IdMintError, ValueError):
    """The constructor's arguments have problems; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: Tuple[str, ...] = tuple(problems)
        super().__init__("invalid idmint client configuration: " + "; ".join(self.problems))


class IdMintClosedError(IdMintError, RuntimeError):
    """A call on a closed client, or a call still waiting when the client was closed."""

    def __init__(self) -> None:
        super().__init__("the idmint client is closed")
