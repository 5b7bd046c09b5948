"""The prefetch buffer of one namespace."""

from __future__ import annotations

import math
import threading
from collections import deque
from typing import Any, Deque, List, Optional

from ._remote import Remote
from .errors import (
    Attempt,
    IdMintClosedError,
    IdMintPublicIdUnsupportedError,
    IdMintUnavailableError,
)

_UNSUPPORTED_MEMORY = 30.0
_MIN_SAMPLE = 0.001


class PrefetchBuffer:
    """IDs of one namespace (raw, or public: never both from one buffer) fetched ahead of use.

    Taking one is ``deque.popleft()``, which CPython makes atomic: every ID is handed out to one
    caller at most, without a lock on the hot path. Refill follows the Java client: the target is
    the recent consumption rate × ``prefetch_ahead``, within [``prefetch_min_ids``,
    ``prefetch_max_ids``]; when the buffered count falls to target / 2, one refill starts on a
    named daemon thread and fetches batches of at most ``max_batch_size`` until the target is
    reached again. A caller that finds the buffer empty waits (up to its deadline) for that refill;
    all waiters share it. A refill that fails wakes the waiters with the error; those with time
    left start another. ``close()`` drops every buffered ID: gaps, never duplicates.
    """

    def __init__(self, namespace: str, public: bool, remote: Remote, thread_prefix: str):
        self.namespace = namespace
        self._public = public
        self._remote = remote
        self._config = remote.config
        self._thread_name = f"{thread_prefix}-refill-{namespace}{'-public' if public else ''}"
        self._ids: Deque[Any] = deque()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._refilling = False
        self._target = self._config.prefetch_min_ids
        self._low_water = self._target // 2
        self._fetched_total = 0
        self._rate = 0.0
        self._last_sample = remote.now()
        self._last_consumed = 0
        self._failures = 0
        self._failure: Optional[BaseException] = None
        self._refill_attempts: List[Attempt] = []
        self._last_failed_attempts: List[Attempt] = []
        self._closed = False
        self._unsupported: Optional[IdMintPublicIdUnsupportedError] = None
        self._unsupported_until = 0.0

    # ---- hot path

    def take(self) -> Any:
        """An ID, or None when none is buffered. Never waits."""
        ids = self._ids
        try:
            value = ids.popleft()
        except IndexError:
            return None
        if len(ids) <= self._low_water and not self._refilling:
            self.request_refill()
        return value

    def take_into(self, out: List[Any], n: int) -> int:
        """Moves up to ``n`` IDs into ``out``; returns how many."""
        ids = self._ids
        got = 0
        try:
            while got < n:
                out.append(ids.popleft())
                got += 1
        except IndexError:
            pass
        if got and len(ids) <= self._low_water and not self._refilling:
            self.request_refill()
        return got

    def buffered(self) -> int:
        return len(self._ids)

    # ---- slow path

    def request_refill(self) -> None:
        with self._lock:
            if self._closed or self._refilling or len(self._ids) > self._target // 2:
                return
            self._start_refill_locked()

    def _start_refill_locked(self) -> None:
        self._refilling = True
        try:
            threading.Thread(target=self._refill, name=self._thread_name, daemon=True).start()
        except RuntimeError:
            self._refilling = False
            raise

    def wait_take(self, deadline: float) -> Any:
        """An ID, waiting for refills while the buffer is empty, until ``deadline``."""
        while True:
            value = self.take()
            if value is not None:
                return value
            with self._lock:
                if self._closed:
                    raise IdMintClosedError()
                if self._unsupported is not None and self._remote.now() < self._unsupported_until:
                    raise self._unsupported
                if self._ids:
                    continue
                seen = self._failures
                if not self._refilling:
                    self._start_refill_locked()
                while not self._ids and self._failures == seen and not self._closed:
                    remaining = deadline - self._remote.now()
                    if remaining <= 0:
                        raise self._timed_out()
                    self._changed.wait(remaining)
                if self._closed:
                    raise IdMintClosedError()
                if self._ids:
                    continue
                failure = self._failure
                if isinstance(failure, IdMintUnavailableError) and self._remote.now() < deadline:
                    continue
                assert failure is not None
                raise failure

    def _refill(self) -> None:
        """Fetches batches until the target is reached; runs on its own daemon thread."""
        while True:
            with self._lock:
                if self._closed:
                    self._refilling = False
                    return
                now = self._remote.now()
                self._sample_rate(now)
                need = self._target - len(self._ids)
                if need <= 0:
                    self._refilling = False
                    return
                batch_max = self._config.max_batch_size
                count = min(batch_max, max(need, min(self._config.prefetch_min_ids, batch_max)))
                attempts: List[Attempt] = []
                self._refill_attempts = attempts
            try:
                batch = self._remote.call(
                    self.namespace, count, now + self._config.deadline, self._public, attempts
                )
            except BaseException as error:  # noqa: B902 - handed to the waiters, not swallowed
                with self._lock:
                    self._refilling = False
                    self._last_failed_attempts = attempts
                    if isinstance(error, IdMintPublicIdUnsupportedError):
                        self._unsupported = error
                        self._unsupported_until = self._remote.now() + _UNSUPPORTED_MEMORY
                    self._failure = error
                    self._failures += 1
                    self._changed.notify_all()
                if not isinstance(error, Exception):
                    raise
                return
            with self._lock:
                if self._closed:
                    self._refilling = False
                    return  # arrived after close: dropped, never handed out
                self._last_failed_attempts = []
                values = batch.public_ids if self._public else batch.ids
                self._ids.extend(values)  # type: ignore[arg-type]
                self._fetched_total += len(values)  # type: ignore[arg-type]
                self._changed.notify_all()
                if len(self._ids) >= self._target:
                    self._refilling = False
                    return

    def _sample_rate(self, now: float) -> None:
        """Updates the consumption rate and the target from what was taken since the last sample."""
        consumed = self._fetched_total - len(self._ids)
        elapsed = now - self._last_sample
        if elapsed >= _MIN_SAMPLE:
            rate = (consumed - self._last_consumed) / elapsed
            self._rate = rate if rate >= self._rate else (self._rate + rate) / 2
            self._last_sample = now
            self._last_consumed = consumed
        wanted = math.ceil(self._rate * self._config.prefetch_ahead)
        self._target = max(self._config.prefetch_min_ids, min(self._config.prefetch_max_ids, wanted))
        self._low_water = self._target // 2

    def _timed_out(self) -> IdMintUnavailableError:
        attempts = list(self._last_failed_attempts)
        if self._refilling:
            attempts += self._refill_attempts
        return self._remote.unavailable(self.namespace, attempts)

    def close(self) -> None:
        """Drops every buffered ID and fails the waiters. Idempotent."""
        with self._lock:
            self._closed = True
            self._ids.clear()
            self._changed.notify_all()


