"""Real idmint nodes for the tests: each a ``java -jar idmint-server.jar serve`` child process on a
free 127.0.0.1 port with its own temporary directory. One node alone runs on its embedded H2;
several share the PostgreSQL at 127.0.0.1:5432 (user postgres, database test) in a schema of this
suite's own, which the nodes create and migrate themselves."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import List, Optional

import pytest

HERE = Path(__file__).resolve().parent
SERVER_JAR = Path(
    os.environ.get("IDMINT_SERVER_JAR")
    or HERE.parents[2] / "idmint-server" / "target" / "idmint-server.jar"
)
JAVA = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else "java"
PG_HOST = os.environ.get("IDMINT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("IDMINT_TEST_PG_PORT", "5432"))
CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> None:
    """Skips with how to fix it locally; fails under CI=true, where every test must run."""
    if CI:
        pytest.fail(f"CI=true, so this test may not skip: {message}", pytrace=False)
    pytest.skip(message)


def why_no_server() -> Optional[str]:
    if not SERVER_JAR.exists():
        return (
            f"no server jar at {SERVER_JAR}: build it with "
            "./mvnw -o -q -B -pl idmint-server -am -DskipTests package (or set IDMINT_SERVER_JAR)"
        )
    if shutil.which(JAVA) is None:
        return f"no java at {JAVA}: install a JDK 17+ or set JAVA_HOME"
    return None


def why_no_postgres() -> Optional[str]:
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=1.0).close()
        return None
    except OSError as e:
        return (
            f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} ({e}): start it (user postgres, "
            "trust, database test) or set IDMINT_TEST_PG_HOST/IDMINT_TEST_PG_PORT"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_config(schema: str) -> str:
    return (
        f"coordinator:\n  url: jdbc:postgresql://{PG_HOST}:{PG_PORT}/test?currentSchema={schema}\n"
        "  options: { user: postgres, pool-size: 2 }\n"
    )


class TestNode:
    __test__ = False  # not a test class

    def __init__(self, config_yaml: Optional[str] = None, within: float = 90.0):
        self.port = free_port()
        self.endpoint = f"127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="idmint-py-node-"))
        args = [
            JAVA,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Djava.net.preferIPv4Stack=true",
            "-jar",
            str(SERVER_JAR),
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.dir / "data"),
        ]
        if config_yaml is not None:
            (self.dir / "idmint.yaml").write_text(config_yaml)
            args += ["--config", str(self.dir / "idmint.yaml")]
        self.output: List[str] = []
        listening = threading.Event()
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True
        )

        def read() -> None:  # keeps reading so the child never blocks on a full pipe
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith("idmint listening on port"):
                    listening.set()

        threading.Thread(target=read, name=f"node-{self.port}-output", daemon=True).start()
        end = time.monotonic() + within
        while not listening.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > end:
                self.kill()
                raise RuntimeError(
                    f"node on port {self.port} did not listen within {within} s "
                    f"(exit {self.process.returncode}):\n" + "".join(self.output)
                )

    def kill(self) -> None:
        """kill -9, and wait until the process is gone."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def worker_of(raw_id: int) -> int:
    """The worker number in a raw ID of the default layout (41 bits time, 10 worker, 12 sequence)."""
    return (raw_id >> 12) & 1023


def millis_of(raw_id: int) -> int:
    """The wall-clock milliseconds in a raw ID of the default layout (epoch 2025-01-01T00:00:00Z)."""
    return (raw_id >> 22) + 1735689600000


def assert_unique(ids: List[int]) -> int:
    ordered = sorted(ids)
    for a, b in zip(ordered, ordered[1:]):
        assert a != b, f"ID {a} was handed out twice (among {len(ordered)})"
    assert not ordered or ordered[0] > 0, f"a raw ID is not positive: {ordered[0]}"
    return len(ordered)
