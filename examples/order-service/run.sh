#!/usr/bin/env bash
# Starts the order-service example with one command:
#   examples/order-service/run.sh            # then: curl -XPOST localhost:8080/orders ...
# 1. builds the example (and the idmint server jar) unless already built;
# 2. uses the idmint node at $IDMINT_ENDPOINTS, else one answering on 127.0.0.1:7070, else starts
#    one (bin/idmint serve, embedded H2 under target/idmint-data) on a free port, stopped on exit;
# 3. runs the service on $PORT (default 8080) against PostgreSQL at $ORDERS_DATABASE_HOST
#    (default 127.0.0.1:5432, user postgres), database client_order_service (created if missing).
# Public IDs need IDMINT_ORDER_KEY_1 (32 or 64 hex digits); without it a random key is made for
# this run only, so the public IDs it hands out do not decode after a restart.
# Needs python3 and curl (a free port, the node's readiness), besides a JDK.
set -euo pipefail
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "order-service: $tool is missing; install it (Debian: apt-get install $tool)" >&2; exit 1; }
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

jar="$here/target/idmint-example-order-service-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -f "$root/idmint-server/target/idmint-server.jar" || "${REBUILD:-}" == 1 ]]; then
  echo "order-service: building (skipping tests) ..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl examples/order-service -am package) >&2
fi

node_pid=""
cleanup() {
  if [[ -n "$node_pid" ]]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

ready() { curl -fsS -o /dev/null --max-time 2 "http://$1/health/ready" 2>/dev/null; }

if [[ -z "${IDMINT_ENDPOINTS:-}" ]]; then
  if ready 127.0.0.1:7070; then
    IDMINT_ENDPOINTS=127.0.0.1:7070
    echo "order-service: using the idmint node on 127.0.0.1:7070" >&2
  else
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    echo "order-service: starting an idmint node on 127.0.0.1:$port" >&2
    "$root/bin/idmint" serve --port="$port" --config="$here/idmint.yaml" \
      --data-dir="$here/target/idmint-data" >"$here/target/idmint-node.log" 2>&1 &
    node_pid=$!
    for _ in $(seq 1 100); do
      if ready "127.0.0.1:$port"; then break; fi
      if ! kill -0 "$node_pid" 2>/dev/null; then
        echo "order-service: the idmint node exited; see $here/target/idmint-node.log" >&2
        exit 1
      fi
      sleep 0.2
    done
    ready "127.0.0.1:$port" || { echo "order-service: the idmint node is not ready after 20 s" >&2; exit 1; }
    IDMINT_ENDPOINTS="127.0.0.1:$port"
  fi
fi

if [[ -z "${IDMINT_ORDER_KEY_1:-}" ]]; then
  IDMINT_ORDER_KEY_1="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  echo "order-service: IDMINT_ORDER_KEY_1 is not set; using a random key for this run only" >&2
fi
export IDMINT_ORDER_KEY_1

java -cp "$jar:$here/target/lib/*" dev.idmint.examples.orders.OrderServiceApplication \
  --server.port="${PORT:-8080}" \
  --idmint.client.endpoints="$IDMINT_ENDPOINTS" \
  "$@"
