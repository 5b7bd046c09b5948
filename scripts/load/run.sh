#!/usr/bin/env bash
# Load run of one idmint node on the embedded default, with the load generator on the same machine.
# Needs: wrk and h2load (Debian: apt-get install wrk nghttp2-client), a JDK 17+.
# Prints: start-to-first-ID time, single-ID REST and gRPC requests/s, batches of 1,000 (IDs/s),
# p50/p99 latency at half of the measured maximum, and heap use, under -Xmx256m.
#   scripts/load/run.sh [duration-seconds]     (default 15)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
duration="${1:-15}"
port="${IDMINT_LOAD_PORT:-7390}"
jar="$root/idmint-server/target/idmint-server.jar"
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

for tool in wrk h2load java curl; do
  command -v "$tool" >/dev/null || { echo "load: $tool is missing (apt-get install wrk nghttp2-client curl)" >&2; exit 1; }
done
[[ -f "$jar" ]] || (cd "$root" && ./mvnw -B -q -ntp -DskipTests -pl idmint-server -am package)

# gRPC frame of NextIdsRequest{namespace:"default", count:1}: flag 0, length 11, then the message.
printf '\x00\x00\x00\x00\x0b\x0a\x07default\x10\x01' > "$work/next1.grpc"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
LUA
# Paced: each connection waits 2 ms after every answer, so the offered rate is about
# connections x 500 requests/s and latency is measured below saturation.
cat > "$work/paced.lua" <<'LUA'
wrk.method = "POST"
function delay() return 2 end
LUA
cat > "$work/idmint.yaml" <<'YAML'
namespaces:
  default: { strategy: snowflake }
  batch: { strategy: segment }
YAML

start_ns=$(date +%s%N)
java -Xmx256m -XX:+UseParallelGC -jar "$jar" serve --port "$port" --data-dir "$work/data" --config "$work/idmint.yaml" > "$work/server.log" 2>&1 &
pid=$!
until curl -sf -X POST "http://127.0.0.1:$port/v1/namespaces/default/ids" > /dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "load: server did not start:"; cat "$work/server.log"; exit 1; }
  sleep 0.02
done
first_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
echo "start to first ID (JVM start included): ${first_ms} ms"
head -1 "$work/server.log"

url="http://127.0.0.1:$port/v1/namespaces/default/ids"
echo "== warm-up"
wrk -t2 -c64 -d5s -s "$work/post.lua" "$url" > /dev/null
h2load -n 200000 -c 16 -m 32 -d "$work/next1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/idmint.v1.IdService/NextIds" > /dev/null

echo "== REST, one ID per request: wrk -t2 -c64 -d${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "$url" | tee "$work/rest1.txt"
echo "== REST, 1,000 IDs per request, snowflake (one worker: capped at 4,096 IDs/ms): wrk -t2 -c16 -d${duration}s"
wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" "$url?count=1000" | tee "$work/rest1000.txt"
echo "== REST, 1,000 IDs per request, segment namespace: wrk -t2 -c16 -d${duration}s"
wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/v1/namespaces/batch/ids?count=1000" | tee "$work/rest1000seg.txt"
echo "== gRPC, one ID per request: h2load -c16 -m32 -D${duration}"
h2load -c 16 -m 32 -D "$duration" -d "$work/next1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/idmint.v1.IdService/NextIds" | tee "$work/grpc1.txt" | grep -E "finished in|requests:|status codes|time for request"

rest_max=$(awk '/Requests\/sec/ {print int($2)}' "$work/rest1.txt")
half=$(( rest_max / 2 ))
conns=$(( half / 500 ))
echo "== REST at about half of ${rest_max} req/s: wrk -t2 -c${conns} (2 ms pause per connection)"
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/paced.lua" "$url" | grep -E "Requests/sec|50%|90%|99%"

echo "== heap after the run (-Xmx256m)"
jcmd "$pid" GC.heap_info 2>/dev/null | head -6 || echo "(jcmd unavailable)"
errors=$(grep -hE "Non-2xx|Socket errors" "$work"/rest*.txt || true)
echo "errors: ${errors:-none}"
