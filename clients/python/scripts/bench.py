"""Warm-buffer throughput of the Python client: ``ids.next_id(ns)`` in a loop on one thread, after
the prefetch buffer was filled, so no call leaves the process.

Usage: python3 scripts/bench.py [host:port]   (no endpoint: starts a node from the server jar on
embedded H2, like the tests). Prints one line per round and the best round.
"""

import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))

from idmint import IdMintClient  # noqa: E402

CALLS = 900_000
BUFFER = 2_000_000
ROUNDS = 5


def main() -> None:
    node = None
    if len(sys.argv) > 1:
        endpoint = sys.argv[1]
    else:
        from nodes import TestNode

        node = TestNode()
        endpoint = node.endpoint
    try:
        with IdMintClient(
            [endpoint], prefetch_min_ids=BUFFER, prefetch_max_ids=BUFFER, deadline=30.0, attempt_timeout=10.0
        ) as ids:
            rates = []
            for round_ in range(1, ROUNDS + 1):
                ids.next_id("default")  # starts the refill
                while ids.buffered_ids("default") < BUFFER * 0.95:
                    time.sleep(0.05)
                next_id = ids.next_id
                started = time.perf_counter()
                for _ in range(CALLS):
                    last = next_id("default")
                seconds = time.perf_counter() - started
                assert last > 0
                rates.append(CALLS / seconds)
                print(f"round {round_}: {CALLS} next_id() in {seconds:.3f} s = {CALLS / seconds / 1e6:.2f} M IDs/s")
            rates.sort()
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(
                f"best {rates[-1] / 1e6:.2f} M IDs/s, median {rates[len(rates) // 2] / 1e6:.2f} M IDs/s; "
                f"Python {platform.python_version()}; load average {load}"
            )
    finally:
        if node is not None:
            node.close()


if __name__ == "__main__":
    main()
