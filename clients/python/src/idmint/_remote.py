"""Everything remote: the endpoints' circuit breakers, the REST calls over keep-alive
connections, and the health probes. Mirrors the Java client's Endpoint, Endpoints and RemoteCall."""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import ssl
import threading
from typing import Callable, List, NamedTuple, Optional, Sequence, Set, Tuple

from ._config import ClientConfig, HostAndPort
from .errors import (
    Attempt,
    IdMintClosedError,
    IdMintInvalidArgumentError,
    IdMintNamespaceNotFoundError,
    IdMintPermissionDeniedError,
    IdMintPublicIdUnsupportedError,
    IdMintUnauthenticatedError,
    IdMintUnavailableError,
)

RANK_TRIAL, RANK_READY, RANK_NOT_READY, RANK_LAST_RESORT = 0, 1, 2, 3
_MIN_BACKOFF = 0.025
_MAX_BACKOFF = 0.5
_MIN_ATTEMPT = 0.001
_MAX_INT64 = 2**63 - 1
_ID = re.compile(r"[1-9][0-9]{0,18}\Z")
_USER_AGENT = "idmint-client-python"


class EndpointHealth(NamedTuple):
    """One endpoint's state: ``AVAILABLE``, ``NOT_READY``, ``SET_ASIDE`` or ``PROBING``."""

    endpoint: str
    state: str
    consecutive_failures: int
    last_failure: Optional[str]


class Batch(NamedTuple):
    ids: List[int]
    public_ids: Optional[List[str]]
    endpoint: str


def parse_id(value: object) -> Optional[int]:
    """The int of a positive signed 64-bit decimal string, or None."""
    if not isinstance(value, str) or _ID.match(value) is None:
        return None
    n = int(value)
    return n if n <= _MAX_INT64 else None


class Endpoint:
    """One node as the client sees it: a circuit breaker (the same as the Java client's) and a
    small pool of keep-alive connections.

    CLOSED: in use; ``failure_threshold`` consecutive failures (calls or probes) open it. OPEN: set
    aside for a back-off starting at ``set_aside`` and doubling per further trip up to
    ``set_aside_max``; then a passing probe (or, with probes off, the time alone) makes it
    HALF_OPEN: one call at a time may try it; success closes it, failure opens it for longer. An
    open endpoint is still tried as a last resort. Independently, a node whose probe answered 503,
    or that answered 503 with Retry-After (until then), is ranked behind ready ones.
    """

    def __init__(self, address: HostAndPort, config: ClientConfig, now: Callable[[], float]):
        self.address = address
        self.name = address.name
        self._config = config
        self._now = now
        self._lock = threading.Lock()
        self._idle: List[http.client.HTTPConnection] = []
        self._mode = "CLOSED"
        self._failures = 0
        self._trips = 0
        self._open_until = 0.0
        self._trial_in_flight = False
        self._probe_says_ready = True
        self._not_before: Optional[float] = None
        self._last_failure: Optional[str] = None
        self._shut_down = False

    # ---- breaker

    def rank_and_reserve(self, now: float) -> int:
        with self._lock:
            if self._mode == "OPEN" and not self._config.health_checks and now >= self._open_until:
                self._mode = "HALF_OPEN"
                self._trial_in_flight = False
            if self._mode == "HALF_OPEN":
                if not self._trial_in_flight:
                    self._trial_in_flight = True
                    return RANK_TRIAL
                return RANK_LAST_RESORT
            if self._mode == "OPEN":
                return RANK_LAST_RESORT
            waiting = self._not_before is not None and now < self._not_before
            return RANK_READY if self._probe_says_ready and not waiting else RANK_NOT_READY

    def on_answer(self) -> None:
        with self._lock:
            self._mode = "CLOSED"
            self._failures = 0
            self._trips = 0
            self._trial_in_flight = False
            self._not_before = None

    def on_failure(self, reason: str, counts: bool, retry_after: float) -> None:
        retire = False
        with self._lock:
            now = self._now()
            self._last_failure = reason
            if retry_after >= 0:
                self._not_before = now + min(retry_after, self._config.set_aside_max)
            if self._mode == "HALF_OPEN":
                retire = self._open(now)
            elif counts:
                self._failures += 1
                if self._mode == "CLOSED" and self._failures >= self._config.failure_threshold:
                    retire = self._open(now)
        if retire:
            self._retire()

    def probe_due(self, now: float) -> bool:
        with self._lock:
            return self._mode != "OPEN" or now >= self._open_until

    def on_probe(self, outcome: str, detail: str) -> None:
        retire = False
        with self._lock:
            now = self._now()
            if outcome in ("READY", "NO_HEALTH_ENDPOINT"):
                self._probe_says_ready = True
                if self._mode == "OPEN":
                    self._mode = "HALF_OPEN"
                    self._trial_in_flight = False
                elif self._mode == "HALF_OPEN" and not self._trial_in_flight:
                    self._mode = "CLOSED"
                    self._failures = 0
            elif outcome == "NOT_READY":
                self._probe_says_ready = False
                self._last_failure = detail
                if self._mode == "OPEN":
                    self._open_until = now + self._backoff()
            else:
                self._last_failure = detail
                if self._mode == "OPEN":
                    self._trips += 1
                    self._open_until = now + self._backoff()
                else:
                    self._failures += 1
                    if self._failures >= self._config.failure_threshold:
                        retire = self._open(now)
        if retire:
            self._retire()

    def _open(self, now: float) -> bool:
        self._mode = "OPEN"
        self._trial_in_flight = False
        self._trips += 1
        self._open_until = now + self._backoff()
        return True

    def _backoff(self) -> float:
        doublings = min(max(self._trips - 1, 0), 30)
        return min(self._config.set_aside * 2**doublings, self._config.set_aside_max)

    def describe(self) -> str:
        with self._lock:
            if self._mode == "OPEN":
                return f"set aside after {self._failures} failures, last {self._last_failure}"
            if self._mode == "HALF_OPEN":
                return "probe passed, trial call in flight"
            return "available" if self._probe_says_ready else f"not ready: {self._last_failure}"

    def health(self) -> EndpointHealth:
        with self._lock:
            now = self._now()
            if self._mode == "OPEN":
                state = "SET_ASIDE"
            elif self._mode == "HALF_OPEN":
                state = "PROBING"
            else:
                waiting = self._not_before is not None and now < self._not_before
                state = "AVAILABLE" if self._probe_says_ready and not waiting else "NOT_READY"
            return EndpointHealth(self.name, state, self._failures, self._last_failure)

    # ---- connections

    def connection(self, timeout: float) -> Tuple[http.client.HTTPConnection, bool]:
        """An idle keep-alive connection (reused=True) or a new one, with ``timeout`` set."""
        with self._lock:
            if self._shut_down:
                raise IdMintClosedError()
            conn = self._idle.pop() if self._idle else None
        if conn is not None:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
            return conn, True
        host, port = self.address.host, self.address.port
        if self._config.tls:
            return (
                http.client.HTTPSConnection(
                    host, port, timeout=timeout, context=ssl.create_default_context()
                ),
                False,
            )
        return http.client.HTTPConnection(host, port, timeout=timeout), False

    def release(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._shut_down and len(self._idle) < 16:
                self._idle.append(conn)
                return
        conn.close()

    def _retire(self) -> None:
        """A node that stopped answering may never say so: its next use gets new connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def shutdown(self) -> None:
        with self._lock:
            self._shut_down = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class Remote:
    """Carries one ``POST /v1/namespaces/{ns}/ids?count=N`` to some endpoint before a deadline.

    Attempts are sequential: the best untried endpoint (a half-open one whose trial call is free,
    then available ones round-robin, then not-ready ones, last set-aside ones) gets at most
    ``attempt_timeout``; a failure another node might not have (unreachable, 503, too slow, 429,
    other 5xx, a malformed answer) moves on. When every endpoint failed once, the round starts
    again after 25 ms doubling to 500 ms (jittered), until the deadline. 400, 404, 401 and 403 end
    the call at once with a typed error. Retrying is safe: IDs issued into an attempt that timed
    out are never seen by anyone, which leaves a gap, never a duplicate.
    """

    def __init__(self, config: ClientConfig, now: Callable[[], float]):
        self.config = config
        self.now = now
        self.endpoints = [Endpoint(a, config, now) for a in config.endpoints]
        self._rotation = 0
        self._pick_lock = threading.Lock()
        self.closed = threading.Event()
        self._health_thread: Optional[threading.Thread] = None
        self._health_lock = threading.Lock()
        self._headers = {"User-Agent": _USER_AGENT, "Content-Length": "0"}
        if config.token is not None:
            self._headers["Authorization"] = "Bearer " + config.token

    # ---- choosing

    def pick(self, tried: Set[Endpoint], now: float) -> Optional[Endpoint]:
        n = len(self.endpoints)
        with self._pick_lock:
            start = self._rotation % n
            self._rotation = (self._rotation + 1) % (n * 1_000_000)
        best, best_rank = None, RANK_LAST_RESORT + 1
        for k in range(n):
            e = self.endpoints[(start + k) % n]
            if e in tried:
                continue
            rank = e.rank_and_reserve(now)
            if rank == RANK_TRIAL:
                return e
            if rank < best_rank:
                best, best_rank = e, rank
        return best

    def unavailable(self, namespace: str, attempts: Sequence[Attempt]) -> IdMintUnavailableError:
        return IdMintUnavailableError(
            namespace,
            self.config.deadline,
            attempts,
            {e.name: e.describe() for e in self.endpoints},
        )

    # ---- calling

    def call(
        self,
        namespace: str,
        count: int,
        deadline: float,
        want_public: bool,
        attempts: Optional[List[Attempt]] = None,
    ) -> Batch:
        """``count`` IDs from some node; raises a typed error, at the latest at ``deadline``."""
        self.start_health_checks()
        attempts = [] if attempts is None else attempts
        tried: Set[Endpoint] = set()
        rounds = 0
        while True:
            if self.closed.is_set():
                raise IdMintClosedError()
            now = self.now()
            remaining = deadline - now
            if remaining < _MIN_ATTEMPT:
                raise self.unavailable(namespace, attempts)
            endpoint = self.pick(tried, now)
            if endpoint is None:
                tried.clear()
                rounds += 1
                self.closed.wait(min(_backoff(rounds), remaining))
                continue
            tried.add(endpoint)
            outcome = self._attempt(endpoint, namespace, count, want_public, remaining)
            if isinstance(outcome, str):
                attempts.append(Attempt(endpoint.name, outcome))
                continue
            return outcome

    def _attempt(
        self, endpoint: Endpoint, namespace: str, count: int, want_public: bool, remaining: float
    ):
        budget = min(self.config.attempt_timeout, remaining)
        full_budget = budget == self.config.attempt_timeout
        started = self.now()
        path = f"/v1/namespaces/{namespace}/ids?count={count}"
        try:
            status, headers, body = self._post(endpoint, path, budget)
        except IdMintClosedError:
            raise
        except (socket.timeout, TimeoutError) as e:
            if self.closed.is_set():
                raise IdMintClosedError() from e
            reason = f"DEADLINE_EXCEEDED: no answer after {round((self.now() - started) * 1000)} ms"
            endpoint.on_failure(reason, full_budget, -1)
            return reason
        except (OSError, http.client.HTTPException) as e:
            if self.closed.is_set():
                raise IdMintClosedError() from e
            reason = f"UNAVAILABLE: {type(e).__name__}: {e}"
            endpoint.on_failure(reason, True, -1)
            return reason
        if status == 200:
            return self._answered(endpoint, body, namespace, count, want_public)
        code, message = _error_of(body, status)
        if status == 400:
            endpoint.on_answer()
            raise IdMintInvalidArgumentError(message, endpoint.name)
        if status == 404 and code == "NOT_FOUND":
            endpoint.on_answer()
            raise IdMintNamespaceNotFoundError(namespace, message, endpoint.name)
        if status == 401:
            endpoint.on_answer()
            raise IdMintUnauthenticatedError(message, endpoint.name)
        if status == 403:
            endpoint.on_answer()
            raise IdMintPermissionDeniedError(message, endpoint.name)
        retry_after = _retry_after(headers.get("Retry-After"))
        reason = f"HTTP {status} {code}: {message}"
        if retry_after >= 0:
            reason += f", retry after {round(retry_after)} s"
        # A rate limit says nothing about the node's health.
        endpoint.on_failure(reason, status != 429, retry_after)
        return reason

    def _post(self, endpoint: Endpoint, path: str, timeout: float):
        conn, reused = endpoint.connection(timeout)
        try:
            try:
                conn.request("POST", path, headers=self._headers)
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if not reused:
                    raise
                # The node closed an idle keep-alive connection: once more on a new one.
                conn.close()
                conn, reused = endpoint.connection(timeout)
                conn.request("POST", path, headers=self._headers)
                response = conn.getresponse()
            body = response.read()
            status, headers = response.status, response.headers
        except BaseException:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        else:
            endpoint.release(conn)
        return status, headers, body

    def _answered(self, endpoint: Endpoint, body: bytes, namespace: str, count: int, want_public: bool):
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        problem, ids, public_ids = _check(answer, namespace, count)
        if problem is not None:
            endpoint.on_failure(problem, True, -1)
            return problem
        endpoint.on_answer()
        if want_public and not public_ids:
            raise IdMintPublicIdUnsupportedError(namespace, endpoint.name)
        return Batch(ids, public_ids or None, endpoint.name)

    # ---- health

    def start_health_checks(self) -> None:
        """Starts the probe thread once, on the first remote call (never in a constructor)."""
        if self._health_thread is not None or not self.config.health_checks:
            return
        with self._health_lock:
            if self._health_thread is None and not self.closed.is_set():
                self._health_thread = threading.Thread(
                    target=self._probe_loop, name="idmint-client-health", daemon=True
                )
                self._health_thread.start()

    def _probe_loop(self) -> None:
        timeout = max(0.1, min(1.0, self.config.attempt_timeout))
        while not self.closed.wait(self.config.health_check_interval):
            for endpoint in self.endpoints:
                if self.closed.is_set():
                    return
                if endpoint.probe_due(self.now()):
                    outcome, detail = _probe(endpoint.address, self.config.tls, timeout)
                    endpoint.on_probe(outcome, detail)

    def close(self) -> None:
        self.closed.set()
        for endpoint in self.endpoints:
            endpoint.shutdown()
        thread = self._health_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)


def _check(answer: object, namespace: str, count: int):
    """(problem, ids, public_ids): why an answer cannot be used, or None and its contents."""
    if not isinstance(answer, dict) or not isinstance(answer.get("ids"), list):
        return "protocol error: not an answer with ids", None, None
    raw = answer["ids"]
    if not 1 <= len(raw) <= count:
        return f"protocol error: asked for {count} IDs, got {len(raw)}", None, None
    got_ns = answer.get("namespace")
    if got_ns not in (None, "", namespace):
        return f"protocol error: asked for namespace {namespace}, got {got_ns}", None, None
    ids = []
    for value in raw:
        n = parse_id(value)
        if n is None:
            return f"protocol error: raw IDs are positive 64-bit decimal strings, got {value!r}", None, None
        ids.append(n)
    public = answer.get("publicIds") or []
    if not isinstance(public, list) or (public and len(public) != len(ids)):
        return f"protocol error: {len(ids)} IDs but public IDs {public!r:.80}", None, None
    if any(not isinstance(p, str) or not p for p in public):
        return "protocol error: an empty public ID", None, None
    return None, ids, public


def _error_of(body: bytes, status: int) -> Tuple[str, str]:
    try:
        error = json.loads(body)["error"]
        return str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP_{status}", body[:200].decode("utf-8", "replace") or http.client.responses.get(status, "")


def _retry_after(value: Optional[str]) -> float:
    if value is None or not value.strip().isdigit():
        return -1.0
    return float(min(int(value.strip()), 3600))


def _backoff(rounds: int) -> float:
    backoff = min(_MIN_BACKOFF * 2 ** min(rounds - 1, 10), _MAX_BACKOFF)
    # Jitter (±20 %) so that many clients losing the same node do not retry in step.
    return backoff * (0.8 + 0.4 * random.random())


def _probe(address: HostAndPort, tls: bool, timeout: float) -> Tuple[str, str]:
    """``GET /health/ready``: READY, NOT_READY, NO_HEALTH_ENDPOINT or FAILED, with a detail."""
    if tls:
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            address.host, address.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(address.host, address.port, timeout=timeout)
    connected = False
    try:
        conn.connect()
        connected = True
        conn.request("GET", "/health/ready", headers={"User-Agent": _USER_AGENT, "Connection": "close"})
        response = conn.getresponse()
        response.read()
        if response.status == 200:
            return "READY", "ready"
        if response.status == 503:
            return "NOT_READY", "health probe: 503 not ready"
        return "NO_HEALTH_ENDPOINT", f"health probe: HTTP {response.status}"
    except (socket.timeout, TimeoutError):
        return "FAILED", f"health probe: no answer within {round(timeout * 1000)} ms"
    except (OSError, http.client.HTTPException) as e:
        # Connected, then closed or reset: something listens there, only not our health endpoint.
        return ("NO_HEALTH_ENDPOINT" if connected else "FAILED"), f"health probe: {e}"
    finally:
        conn.close()


__all__: Sequence[str] = ["Batch", "Endpoint", "EndpointHealth", "Remote", "parse_id"]
