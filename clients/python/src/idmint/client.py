"""The idmint client for Python."""

from __future__ import annotations

import itertools
import threading
import time
from types import TracebackType
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Type, TypeVar

from ._buffer import PrefetchBuffer
from ._config import check_count, check_namespace, resolve
from ._remote import EndpointHealth, Remote
from .errors import IdMintClosedError, IdMintNamespaceNotFoundError

_CLIENTS = itertools.count(1)
T = TypeVar("T")


class _Namespace:
    """The buffers of one namespace; ``raw`` is None when prefetch is off for it."""

    def __init__(self, name: str, prefetch: bool, remote: Remote, prefix: str):
        self.name = name
        self.prefetch = prefetch
        self._remote = remote
        self._prefix = prefix
        self.raw = PrefetchBuffer(name, False, remote, prefix) if prefetch else None
        self._public: Optional[PrefetchBuffer] = None
        self._lock = threading.Lock()

    def public(self) -> Optional[PrefetchBuffer]:
        if not self.prefetch:
            return None
        if self._public is None:
            with self._lock:
                if self._public is None:
                    self._public = PrefetchBuffer(self.name, True, self._remote, self._prefix)
        return self._public

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()
        with self._lock:
            if self._public is not None:
                self._public.close()


class IdMintClient:
    """New IDs from one or more idmint nodes over their REST API, served from a local prefetch
    buffer per namespace, with failover between nodes and a deadline per call.

    >>> with IdMintClient(["127.0.0.1:7070", "127.0.0.1:7071"], token=None) as ids:
    ...     order_id = ids.next_id("order")          # doctest: +SKIP

    Raw IDs are Python ``int`` (exact at 63 bits). The constructor only validates its arguments
    (every problem at once, in an ``IdMintConfigurationError``); the first call connects and
    starts the client's daemon threads. Thread-safe: build one client per process and share it.
    ``close()`` (or leaving the ``with`` block) drops buffered IDs and fails calls still waiting.
    Durations are in seconds.
    """

    def __init__(
        self,
        endpoints: Sequence[str],
        *,
        token: Optional[str] = None,
        tls: bool = False,
        deadline: float = 2.0,
        attempt_timeout: float = 0.5,
        max_batch_size: int = 10_000,
        prefetch: bool = True,
        prefetch_namespaces: Optional[Mapping[str, bool]] = None,
        prefetch_min_ids: int = 1_000,
        prefetch_max_ids: int = 200_000,
        prefetch_ahead: float = 1.0,
        failure_threshold: int = 3,
        set_aside: float = 1.0,
        set_aside_max: float = 30.0,
        health_checks: bool = True,
        health_check_interval: float = 2.0,
        _clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = resolve(
            endpoints,
            token=token,
            tls=tls,
            deadline=deadline,
            attempt_timeout=attempt_timeout,
            max_batch_size=max_batch_size,
            prefetch=prefetch,
            prefetch_namespaces=prefetch_namespaces,
            prefetch_min_ids=prefetch_min_ids,
            prefetch_max_ids=prefetch_max_ids,
            prefetch_ahead=prefetch_ahead,
            failure_threshold=failure_threshold,
            set_aside=set_aside,
            set_aside_max=set_aside_max,
            health_checks=health_checks,
            health_check_interval=health_check_interval,
        )
        self._now = _clock
        self._remote = Remote(self._config, _clock)
        self._prefix = f"idmint-client-{next(_CLIENTS)}"
        self._namespaces: Dict[str, _Namespace] = {}
        self._lock = threading.Lock()
        self._closed = False

    # ---- raw IDs

    def next_id(self, namespace: str) -> int:
        """One raw ID: from the buffer when warm, else from a node within the deadline."""
        s = self._namespaces.get(namespace) or self._state(namespace)
        buffer = s.raw
        if buffer is not None:
            value = buffer.take()
            if value is not None:
                return value
            if self._closed:
                raise IdMintClosedError()
            return self._forget(s, lambda: buffer.wait_take(self._deadline()))
        return self._forget(s, lambda: self._remote.call(s.name, 1, self._deadline(), False).ids[0])

    def next_ids(self, namespace: str, count: int) -> List[int]:
        """``count`` raw IDs (1 to 1,000,000): first from the buffer, the rest straight from a
        node in batches of ``max_batch_size``, all within one deadline."""
        s = self._state(namespace)
        check_count(count)
        out: List[int] = []
        if s.raw is not None:
            s.raw.take_into(out, count)
            if len(out) < count:
                s.raw.request_refill()
        if len(out) < count:
            deadline = self._deadline()

            def fetch() -> None:
                while len(out) < count:
                    n = min(self._config.max_batch_size, count - len(out))
                    out.extend(self._remote.call(s.name, n, deadline, False).ids)

            self._forget(s, fetch)
        return out

    # ---- public IDs

    def next_public_id(self, namespace: str) -> str:
        """One ID in its public form (e.g. ``ord_2Vx7kQ9bM1pTz``); only for namespaces with a
        public-ID codec, else ``IdMintPublicIdUnsupportedError``."""
        s = self._state(namespace)
        buffer = s.public()
        if buffer is None:
            batch = self._forget(s, lambda: self._remote.call(s.name, 1, self._deadline(), True))
            assert batch.public_ids is not None
            return batch.public_ids[0]
        value = buffer.take()
        if value is not None:
            return value
        return self._forget(s, lambda: buffer.wait_take(self._deadline()))

    # ---- the rest

    def buffered_ids(self, namespace: str) -> int:
        """Raw IDs buffered right now for ``namespace``."""
        s = self._namespaces.get(namespace)
        return 0 if s is None or s.raw is None else s.raw.buffered()

    def endpoints(self) -> List[EndpointHealth]:
        """Each endpoint's state (``AVAILABLE``, ``NOT_READY``, ``SET_ASIDE``, ``PROBING``)."""
        return [e.health() for e in self._remote.endpoints]

    def close(self) -> None:
        """Drops buffered IDs, fails calls still waiting, closes connections and threads.
        Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            namespaces = list(self._namespaces.values())
            self._namespaces.clear()
        self._remote.closed.set()
        for s in namespaces:
            s.close()
        self._remote.close()

    def __enter__(self) -> "IdMintClient":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"IdMintClient({self._prefix}, {self._config!r})"

    # ---- internals

    def _deadline(self) -> float:
        return self._now() + self._config.deadline

    def _forget(self, s: _Namespace, work: Callable[[], T]) -> T:
        """A namespace the server does not know is not kept (its buffers would stay empty)."""
        try:
            return work()
        except IdMintNamespaceNotFoundError:
            with self._lock:
                if self._namespaces.get(s.name) is s:
                    del self._namespaces[s.name]
                    s.close()
            raise

    def _state(self, namespace: str) -> _Namespace:
        if self._closed:
            raise IdMintClosedError()
        s = self._namespaces.get(namespace)
        if s is None:
            check_namespace(namespace)
            with self._lock:
                if self._closed:
                    raise IdMintClosedError()
                s = self._namespaces.get(namespace)
                if s is None:
                    s = _Namespace(
                        namespace, self._config.prefetch_for(namespace), self._remote, self._prefix
                    )
                    self._namespaces[namespace] = s
        return s

