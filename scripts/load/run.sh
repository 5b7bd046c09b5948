#!/usr/bin/env bash
# Load run of one idmint node on the embedded default, with the load generator on the same machine.
# Needs: wrk and h2load (Debian: apt-get install wrk nghttp2-client), nginx for the ceiling (Debian:
# nginx-light), a JDK 17+.
# Prints: start-to-first-ID time, single-ID REST and gRPC requests/s, the same REST load against
# nginx returning a fixed 19-byte body (the ceiling of one request per ID here; nginx on one worker
# process and the node on one event loop, so each leaves the other core to wrk) and the ratio,
# batches of 1,000 (IDs/s), p50/p99 latency at half of the measured maximum, and heap use, under
# -Xmx256m.
#   scripts/load/run.sh [duration-seconds]     (default 15)
#   scripts/load/run.sh --cold-start [runs]    only start to first ID, cold, each run on a fresh data
#                                              directory (default 5 runs): each figure, the median,
#                                              and the classes loaded by the first ID
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cold_runs=0
if [[ "${1:-}" == --cold-start ]]; then
  cold_runs="${2:-5}"
fi
duration="${1:-15}"
port="${IDMINT_LOAD_PORT:-7390}"
nginx_port="${IDMINT_LOAD_NGINX_PORT:-7391}"
jar="$root/idmint-server/target/idmint-server.jar"
work="$(mktemp -d)"
pid=
nginx_pid=
# Only what this script started: an empty pid must not become "kill 0" (the whole process group).
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/idmint.yaml" <<'YAML'
namespaces:
  default: { strategy: snowflake }
  batch: { strategy: segment }
YAML
# For the comparison with nginx's one worker process: the node on one event loop.
{ cat "$work/idmint.yaml"; echo 'server: { worker-threads: 1 }'; } > "$work/idmint-1loop.yaml"

# Starts the node on a fresh data directory ($1) and waits for its first ID; sets pid and
# first_ms (milliseconds from the java command to that ID). Extra JVM options follow. Not called in
# $(...): pid must reach this shell, or the trap could not stop the node.
start_node() {
  local data="$1"; shift
  local start_ns
  start_ns=$(date +%s%N)
  java -Xmx256m -XX:+UseParallelGC "$@" -jar "$jar" serve --port "$port" --data-dir "$data" \
    --config "${node_config:-$work/idmint.yaml}" > "$work/server.log" 2>&1 &
  pid=$!
  until curl -sf -X POST "http://127.0.0.1:$port/v1/namespaces/default/ids" > /dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "load: server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
    sleep 0.01
  done
  first_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
}

stop_node() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

if (( cold_runs > 0 )); then
  command -v curl >/dev/null || { echo "load: curl is missing" >&2; exit 1; }
  [[ -f "$jar" ]] || (cd "$root" && ./mvnw -B -q -ntp -DskipTests -pl idmint-server -am package)
  echo "# cold start to first ID: java -Xmx256m -XX:+UseParallelGC -jar idmint-server.jar serve (embedded H2, fresh data directory each run)"
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); $(java -version 2>&1 | head -1)"
  # One start with the class-load log, for the count only (the log slows it); then the timed runs.
  start_node "$work/cold0" -Xlog:class+load=info:file="$work/classes.txt"
  classes=$(wc -l < "$work/classes.txt")
  stop_node
  echo "classes loaded by the first ID: ${classes}"
  figures=()
  for run in $(seq 1 "$cold_runs"); do
    start_node "$work/cold$run"
    stop_node
    echo "run $run: ${first_ms} ms"
    figures+=("$first_ms")
  done
  median=$(printf '%s\n' "${figures[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "start to first ID (JVM start included), median of $cold_runs: ${median} ms"
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

for tool in wrk h2load java curl nginx; do
  command -v "$tool" >/dev/null || { echo "load: $tool is missing (apt-get install wrk nghttp2-client curl nginx-light)" >&2; exit 1; }
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
# nginx with one worker returning a fixed body of the size of one ID's answer: the ceiling.
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '{"ids":["1234567"]}'; }
  }
}
NGINX

echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); cores: $(nproc)"
url="http://127.0.0.1:$port/v1/namespaces/default/ids"

# The ceiling first, like for like: nginx with one worker process beside the node on one event
# loop (server.worker-threads: 1), each with the other core left to wrk.
echo "== nginx, fixed 19-byte body (the ceiling), one worker: wrk -t2 -c64 -d${duration}s"
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
until curl -sf -X POST "http://127.0.0.1:$nginx_port/" > /dev/null 2>&1; do sleep 0.02; done
wrk -t2 -c64 -d5s -s "$work/post.lua" "http://127.0.0.1:$nginx_port/" > /dev/null
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$nginx_port/" | tee "$work/nginx.txt"
kill "$nginx_pid" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=
node_config="$work/idmint-1loop.yaml" start_node "$work/data1"
echo "== REST, one ID per request, the node on one event loop: wrk -t2 -c64 -d${duration}s"
wrk -t2 -c64 -d5s -s "$work/post.lua" "$url" > /dev/null
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "$url" | tee "$work/rest1loop.txt"
stop_node
rest_rate=$(awk '/Requests\/sec/ {print $2}' "$work/rest1loop.txt")
nginx_rate=$(awk '/Requests\/sec/ {print $2}' "$work/nginx.txt")
echo "REST one ID per request, one event loop: ${rest_rate} req/s; nginx fixed body, one worker: ${nginx_rate} req/s; ratio $(awk -v a="$rest_rate" -v b="$nginx_rate" 'BEGIN {printf "%.2f", a / b}')x (goal >= 0.6x)"

# Everything else on the default event loops (one per core).
start_node "$work/data"
echo "start to first ID (JVM start included): ${first_ms} ms"
head -1 "$work/server.log"
echo "== warm-up"
wrk -t2 -c64 -d5s -s "$work/post.lua" "$url" > /dev/null
h2load -n 200000 -c 16 -m 32 -d "$work/next1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/idmint.v1.IdService/NextIds" > /dev/null

echo "== REST, one ID per request, default event loops: wrk -t2 -c64 -d${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "$url" | tee "$work/rest1.txt"
echo "== REST, 1,000 IDs per request, snowflake (one worker: capped at 4,096 IDs/ms): wrk -t2 -c16 -d${duration}s"
wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" "$url?count=1000" | tee "$work/rest1000.txt"
echo "== REST, 1,000 IDs per request, segment namespace: wrk -t2 -c16 -d${duration}s"
wrk -t2 -c16 -d"${duration}s" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/v1/namespaces/batch/ids?count=1000" | tee "$work/rest1000seg.txt"
echo "== gRPC, one ID per request: h2load -c16 -m32 -D${duration}"
h2load -c 16 -m 32 -D "$duration" -d "$work/next1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/idmint.v1.IdService/NextIds" | tee "$work/grpc1.txt" | grep -E "finished in|requests:|status codes|time for request"
echo "== gRPC, one ID per request, few channels with many streams each (as gRPC clients connect): h2load -c4 -m100 -D${duration}"
h2load -c 4 -m 100 -D "$duration" -d "$work/next1.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/idmint.v1.IdService/NextIds" | tee "$work/grpc1few.txt" | grep -E "finished in|requests:|status codes|time for request"

rest_max=$(awk '/Requests\/sec/ {print int($2)}' "$work/rest1.txt")
half=$(( rest_max / 2 ))
conns=$(( half / 500 ))
echo "== REST at about half of ${rest_max} req/s: wrk -t2 -c${conns} (2 ms pause per connection)"
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$work/paced.lua" "$url" | grep -E "Requests/sec|50%|90%|99%"

echo "== heap after the run (-Xmx256m)"
jcmd "$pid" GC.heap_info 2>/dev/null | head -6 || echo "(jcmd unavailable)"
errors=$(grep -hE "Non-2xx|Socket errors" "$work"/rest*.txt || true)
echo "errors: ${errors:-none}"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
