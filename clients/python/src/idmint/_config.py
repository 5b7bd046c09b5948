"""The client's options: validated once, every problem reported at once, then immutable."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple

from .errors import IdMintConfigurationError, IdMintInvalidArgumentError

MAX_COUNT = 1_000_000
MAX_PREFETCH_IDS = 100_000_000
NAMESPACE_PATTERN = "[a-z][a-z0-9_-]{0,62}"
_NAMESPACE = re.compile(NAMESPACE_PATTERN + r"\Z")
_DAY = 86_400.0


@dataclass(frozen=True)
class HostAndPort:
    host: str
    port: int

    @property
    def name(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @staticmethod
    def parse(text: Any) -> Optional["HostAndPort"]:
        """``host:port`` (``[::1]:7070`` for IPv6); None when it is not one."""
        if not isinstance(text, str):
            return None
        s = text.strip()
        colon = s.rfind(":")
        if colon <= 0 or colon == len(s) - 1:
            return None
        host = s[:colon]
        if host.startswith("["):
            if not host.endswith("]") or len(host) < 3:
                return None
            host = host[1:-1]
        elif ":" in host:
            return None
        if not host or any(c <= " " or c in "/@" for c in host):
            return None
        port_text = s[colon + 1 :]
        if len(port_text) > 5 or not port_text.isascii() or not port_text.isdigit():
            return None
        port = int(port_text)
        if not 1 <= port <= 65_535:
            return None
        return HostAndPort(host, port)


@dataclass(frozen=True)
class ClientConfig:
    endpoints: Tuple[HostAndPort, ...]
    token: Optional[str]
    tls: bool
    deadline: float
    attempt_timeout: float
    max_batch_size: int
    prefetch: bool
    prefetch_namespaces: Mapping[str, bool]
    prefetch_min_ids: int
    prefetch_max_ids: int
    prefetch_ahead: float
    failure_threshold: int
    set_aside: float
    set_aside_max: float
    health_checks: bool
    health_check_interval: float

    def prefetch_for(self, namespace: str) -> bool:
        return self.prefetch_namespaces.get(namespace, self.prefetch)

    def __repr__(self) -> str:  # never prints the token
        names = ",".join(e.name for e in self.endpoints)
        token = "none" if self.token is None else "(set)"
        return f"ClientConfig(endpoints={names}, token={token}, tls={self.tls}, deadline={self.deadline})"


def resolve(
    endpoints: Sequence[str],
    *,
    token: Optional[str],
    tls: Any,
    deadline: Any,
    attempt_timeout: Any,
    max_batch_size: Any,
    prefetch: Any,
    prefetch_namespaces: Optional[Mapping[str, bool]],
    prefetch_min_ids: Any,
    prefetch_max_ids: Any,
    prefetch_ahead: Any,
    failure_threshold: Any,
    set_aside: Any,
    set_aside_max: Any,
    health_checks: Any,
    health_check_interval: Any,
) -> ClientConfig:
    problems = []
    parsed = []
    if isinstance(endpoints, str) or not isinstance(endpoints, (list, tuple)) or not endpoints:
        problems.append("endpoints: at least one host:port is required (a list of strings)")
    else:
        seen = set()
        for i, endpoint in enumerate(endpoints):
            hp = HostAndPort.parse(endpoint)
            if hp is None:
                problems.append(
                    f"endpoints[{i}] must be host:port with a port in [1, 65535]: {endpoint!r}"
                )
            elif hp.name in seen:
                problems.append(f"endpoints[{i}] is listed twice: {endpoint!r}")
            else:
                seen.add(hp.name)
                parsed.append(hp)
    if token is not None:
        if not isinstance(token, str) or not token.strip():
            problems.append("token must be a non-blank string (leave it None to send none)")
        elif any(c <= " " or c >= "\x7f" for c in token):
            problems.append("token must be printable ASCII without spaces")

    def flag(name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            problems.append(f"{name} must be True or False: {name}={value!r}")
            return False
        return value

    def seconds(name: str, value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not 0 < value <= _DAY
        ):
            problems.append(f"{name} must be a number of seconds in (0, 86400]: {name}={value!r}")
            return 1.0
        return float(value)

    def whole(name: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{name} must be a whole number in [{low}, {high}]: {name}={value!r}")
            return low
        return value

    deadline_s = seconds("deadline", deadline)
    attempt_s = seconds("attempt_timeout", attempt_timeout)
    if attempt_s > deadline_s:
        problems.append(
            f"attempt_timeout must not exceed deadline: attempt_timeout={attempt_timeout!r}, "
            f"deadline={deadline!r}"
        )
    batch = whole("max_batch_size", max_batch_size, 1, MAX_COUNT)
    per_namespace = {}
    if prefetch_namespaces is not None:
        if not isinstance(prefetch_namespaces, Mapping):
            problems.append("prefetch_namespaces must be a mapping of namespace to bool")
        else:
            for ns, on in prefetch_namespaces.items():
                if not is_namespace(ns):
                    problems.append(
                        f"prefetch_namespaces: namespace must match {NAMESPACE_PATTERN}: {ns!r}"
                    )
                elif not isinstance(on, bool):
                    problems.append(f"prefetch_namespaces[{ns!r}] must be True or False: {on!r}")
                else:
                    per_namespace[ns] = on
    min_ids = whole("prefetch_min_ids", prefetch_min_ids, 1, MAX_PREFETCH_IDS)
    max_ids = whole("prefetch_max_ids", prefetch_max_ids, 1, MAX_PREFETCH_IDS)
    if min_ids > max_ids:
        problems.append(
            f"prefetch_min_ids must not exceed prefetch_max_ids: prefetch_min_ids={min_ids}, "
            f"prefetch_max_ids={max_ids}"
        )
    ahead = seconds("prefetch_ahead", prefetch_ahead)
    threshold = whole("failure_threshold", failure_threshold, 1, 1_000_000)
    aside = seconds("set_aside", set_aside)
    aside_max = seconds("set_aside_max", set_aside_max)
    if aside > aside_max:
        problems.append(
            f"set_aside must not exceed set_aside_max: set_aside={set_aside!r}, "
            f"set_aside_max={set_aside_max!r}"
        )
    interval = seconds("health_check_interval", health_check_interval)
    config = ClientConfig(
        endpoints=tuple(parsed),
        token=token,
        tls=flag("tls", tls),
        deadline=deadline_s,
        attempt_timeout=attempt_s,
        max_batch_size=batch,
        prefetch=flag("prefetch", prefetch),
        prefetch_namespaces=per_namespace,
        prefetch_min_ids=min_ids,
        prefetch_max_ids=max_ids,
        prefetch_ahead=ahead,
        failure_threshold=threshold,
        set_aside=aside,
        set_aside_max=aside_max,
        health_checks=flag("health_checks", health_checks),
        health_check_interval=interval,
    )
    if problems:
        raise IdMintConfigurationError(problems)
    return config


def is_namespace(namespace: Any) -> bool:
    return isinstance(namespace, str) and _NAMESPACE.match(namespace) is not None


def check_namespace(namespace: Any) -> str:
    if not is_namespace(namespace):
        raise IdMintInvalidArgumentError(
            f"namespace must match {NAMESPACE_PATTERN}: {namespace!r}", None
        )
    return namespace


def check_count(count: Any) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise IdMintInvalidArgumentError(
            f"count must be between 1 and {MAX_COUNT}, was {count!r}", None
        )
    return count
