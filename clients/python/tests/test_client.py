"""The Python client against real idmint nodes started from the server jar."""

from __future__ import annotations

import datetime
import json
import threading
import time
import urllib.request
from typing import Iterator, List, Optional, Tuple

import pytest
from nodes import (
    TestNode,
    assert_unique,
    free_port,
    millis_of,
    postgres_config,
    unavailable,
    why_no_postgres,
    why_no_server,
    worker_of,
)

from idmint import (
    IdMintClient,
    IdMintClosedError,
    IdMintConfigurationError,
    IdMintInvalidArgumentError,
    IdMintNamespaceNotFoundError,
    IdMintPublicIdUnsupportedError,
    IdMintUnavailableError,
)

NS = "default"
TWO_POW_53 = 2**53


def warm(node: TestNode) -> None:
    """The first calls to a fresh JVM take far longer than an attempt timeout; the tests are about
    failover and uniqueness, not cold starts, so each node serves a few batches first."""
    with IdMintClient([node.endpoint], prefetch=False, deadline=60.0, attempt_timeout=30.0) as c:
        for _ in range(20):
            c.next_ids(NS, 10_000)


@pytest.fixture(scope="module")
def h2_node() -> Iterator[Tuple[Optional[TestNode], Optional[str]]]:
    why = why_no_server()
    node = None
    if why is None:
        node = TestNode()
        warm(node)
    yield node, why
    if node is not None:
        node.close()


@pytest.fixture(scope="module")
def pg_nodes() -> Iterator[Tuple[List[TestNode], Optional[str]]]:
    why = why_no_server() or why_no_postgres()
    nodes: List[TestNode] = []
    if why is None:
        config = postgres_config("clients_py_test")
        nodes.append(TestNode(config))  # one after the other: the first migrates the schema
        nodes.append(TestNode(config))
        for n in nodes:
            warm(n)
    yield nodes, why
    for n in nodes:
        n.close()


def test_an_id_above_2_pow_53_arrives_exact(h2_node):
    node, why = h2_node
    if why is not None:
        unavailable(why)
    with IdMintClient([node.endpoint]) as ids:
        batch = ids.next_ids(NS, 2_000)
        assert all(type(i) is int and i > TWO_POW_53 for i in batch)
        # A client that went through a float would have changed most of these.
        assert sum(1 for i in batch if int(float(i)) != i) > len(batch) // 2
        one = ids.next_id(NS)
        assert type(one) is int and one > TWO_POW_53
        # The node takes the same digits apart: its own echo and the time bits agree.
        with urllib.request.urlopen(f"http://{node.endpoint}/v1/namespaces/{NS}/ids/{one}") as r:
            text = r.read().decode()
        assert f'"id":"{one}"' in text, text
        stamp = json.loads(text)["timestamp"].replace("Z", "+00:00")
        decoded = datetime.datetime.fromisoformat(stamp).timestamp() * 1000
        assert round(decoded) == millis_of(one)
        assert abs(millis_of(one) - time.time() * 1000) < 60_000
        assert_unique(batch + [one])


def test_bad_input_and_unknown_namespaces_get_typed_errors(h2_node):
    node, why = h2_node
    if why is not None:
        unavailable(why)
    with pytest.raises(IdMintConfigurationError) as raised:
        IdMintClient(["nohost", node.endpoint, node.endpoint], deadline=0, max_batch_size=True)
    problems = raised.value.problems
    assert len(problems) == 4, problems
    assert any("'nohost'" in p for p in problems)
    assert any("listed twice" in p for p in problems)
    assert any("deadline=0" in p for p in problems)
    assert any("max_batch_size=True" in p for p in problems)
    with pytest.raises(IdMintConfigurationError):
        IdMintClient("127.0.0.1:7070")  # a string, not a list of endpoints

    ids = IdMintClient([node.endpoint])
    with ids:
        with pytest.raises(IdMintInvalidArgumentError) as bad:
            ids.next_id("Bad Name")
        assert bad.value.endpoint is None and "'Bad Name'" in str(bad.value)
        with pytest.raises(IdMintInvalidArgumentError, match=r"^count must be between 1 and 1000000, was 0$"):
            ids.next_ids(NS, 0)
        with pytest.raises(IdMintNamespaceNotFoundError) as missing:
            ids.next_id("nope")
        assert missing.value.endpoint == node.endpoint and missing.value.namespace == "nope"
        # The default namespace has no public-ID codec: its raw IDs are not handed out as public.
        with pytest.raises(IdMintPublicIdUnsupportedError):
            ids.next_public_id(NS)
        with pytest.raises(IdMintPublicIdUnsupportedError):
            ids.next_public_id(NS)  # remembered
    with IdMintClient([node.endpoint], prefetch=False) as direct:
        with pytest.raises(IdMintPublicIdUnsupportedError):
            direct.next_public_id(NS)
    with pytest.raises(IdMintClosedError):
        ids.next_id(NS)


def test_all_nodes_down_raises_unavailable_within_the_deadline(h2_node):
    node, why = h2_node
    if why is not None:
        unavailable(why)
    deadline = 1.5
    dead = f"127.0.0.1:{free_port()}"
    endpoints = [node.endpoint, dead]
    with IdMintClient(endpoints, deadline=deadline, attempt_timeout=0.3, prefetch=False) as direct, \
            IdMintClient(endpoints, deadline=deadline, attempt_timeout=0.3,
                         prefetch_min_ids=100, prefetch_max_ids=100) as buffered:
        assert direct.next_id(NS) > 0
        assert buffered.next_id(NS) > 0
        node.kill()

        started = time.monotonic()
        with pytest.raises(IdMintUnavailableError) as raised:
            direct.next_id(NS)
        took = time.monotonic() - started
        assert deadline - 0.1 <= took <= deadline + 0.3, f"failed after {took:.3f} s"
        error = raised.value
        assert error.namespace == NS
        assert error.deadline == deadline
        assert {a.endpoint for a in error.attempts} == set(endpoints)
        assert node.endpoint in str(error) and dead in str(error)

        # A buffered client hands out what it holds, then fails the same way: never a made-up ID.
        served = []
        last = None
        for _ in range(1_000):
            t0 = time.monotonic()
            try:
                served.append(buffered.next_id(NS))
            except IdMintUnavailableError as e:
                last = (e, time.monotonic() - t0)
                break
        assert last is not None, "the buffer ran dry"
        assert last[1] <= deadline + 0.3, f"failed after {last[1]:.3f} s"
        assert len(served) < 1_000
        assert_unique(served)


def test_a_million_ids_from_two_nodes_none_twice(pg_nodes):
    nodes, why = pg_nodes
    if why is not None:
        unavailable(why)
    target = 1_000_000
    per_thread = target // 8
    results: List[List[int]] = [[] for _ in range(8)]
    errors: List[BaseException] = []
    with IdMintClient([n.endpoint for n in nodes]) as ids:

        def run(k: int) -> None:
            out = results[k]
            try:
                while len(out) < per_thread:
                    if k % 2 == 0:
                        for _ in range(1_000):
                            out.append(ids.next_id(NS))
                    else:
                        out.extend(ids.next_ids(NS, 5_000))
            except BaseException as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    everything = [i for r in results for i in r]
    assert assert_unique(everything) >= target
    assert {worker_of(i) for i in everything}.__len__() == 2, "both nodes served"


def test_a_node_killed_mid_run_fails_no_call(pg_nodes):
    nodes, why = pg_nodes
    if why is not None:
        unavailable(why)
    endpoints = [n.endpoint for n in nodes]
    got: List[int] = []
    failures: List[BaseException] = []
    stop = threading.Event()
    # Prefetch off: every call goes to a node, so the kill is met by calls, not hidden by a buffer.
    with IdMintClient(endpoints, prefetch=False) as direct, IdMintClient(endpoints) as buffered:

        def loop(client: IdMintClient) -> None:
            while not stop.is_set():
                try:
                    got.append(client.next_id(NS))
                except BaseException as e:  # reported below
                    failures.append(e)

        threads = [threading.Thread(target=loop, args=(c,)) for c in (direct, direct, direct, buffered)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        before = len(got)
        nodes[0].kill()
        killed_at = len(got)
        time.sleep(3.0)
        stop.set()
        for t in threads:
            t.join()
        assert [repr(f) for f in failures] == []
        assert before > 100, f"{before} calls before the kill"
        assert len(got) - killed_at > 100, f"{len(got) - killed_at} calls after the kill"
        assert_unique(got)
        survivors = {worker_of(i) for i in direct.next_ids(NS, 100)}
        assert len(survivors) == 1, "only the surviving node serves now"
        killed = [e for e in direct.endpoints() if e.endpoint == nodes[0].endpoint][0]
        assert killed.state != "AVAILABLE" or killed.consecutive_failures > 0, killed
