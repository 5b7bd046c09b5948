#!/usr/bin/env bash
# Runs the idmint benchmark suite (idmint beside its peers, one and two threads) in one JMH
# invocation and prints a markdown table of the results.
#
#   ./run.sh                 full run: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement (~6 min)
#   ./run.sh --smoke         check that everything runs: no warm-up, 1 x 200 ms (~30 s)
#   ./run.sh --short ...     the benchmarks' own iterations (generators 2+3 x 1 s): shared machine
#   ./run.sh --issue18       the rows of issue 18's table and their peers, --short (~5 min)
#   ./run.sh --take          only the client's take, refills held back, beside AtomicLong (~1 min)
#   ./run.sh --sustained [seconds]   one client from one real node (java -jar idmint-server.jar) over
#                            loopback, refills included: IDs/s and CPU per ID of client and node,
#                            segment and snowflake namespaces, 1 and 2 threads (default 20 s each),
#                            each beside the node's own batch throughput through bare gRPC stubs
#   ./run.sh --rebuild ...   rebuild the jar first even if it looks current
#   ./run.sh [--smoke] REGEX [JMH options]   e.g. ./run.sh 'Snowflake' -i 10
#
# The jar is built (idmint-core + idmint-bench, tests skipped) when it is missing or older than any
# source of those two modules, the client or the server. Results go to idmint-bench/target/:
#   jmh-result.json / .csv / .md and jmh-run.log      (full run)
#   smoke-result.json / .csv / .md and smoke-run.log  (smoke run)
# Exits non-zero if any benchmark failed (JMH prints "<failure>"), e.g. the horizon check.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(dirname "$bench_dir")
jar=$bench_dir/target/benchmarks.jar

mode=full
rebuild=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --smoke) mode=smoke; shift ;;
    --short) mode=short; shift ;;
    --issue18)
      mode=short; shift
      # Snowflake cost of one call (seq21) and CPU at the cap (snowflake kind), segment at step
      # 1,000 on both stores, the client's take from a warm buffer; each beside its peers.
      set -- '(OneThread|TwoThreads)\.(atomicLong|idmintSnowflakeWideSequence|cosidSnowflakeWideSequence|idmintSnowflakeBorrow|cosidSnowflake|hutoolSnowflake|idmintSegment|cosidSegmentChain)$|ClientBenchmarks\.(nextId(Warm|Held)|takeCeiling).*' \
        -p step=1000 "$@"
      ;;
    --take)
      # Only the client's take with refills held back, beside its AtomicLong ceiling (~1 min).
      mode=short; shift
      set -- 'ClientBenchmarks\.(nextIdHeld|takeCeiling).*' "$@"
      ;;
    --sustained) mode=sustained; shift ;;
    --rebuild) rebuild=true; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done

stale() {
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$bench_dir/src" "$bench_dir/pom.xml" "$root_dir/idmint-core/src" \
      "$root_dir/idmint-client/src" "$root_dir/idmint-server/src/main" \
      "$root_dir/idmint-core/pom.xml" "$root_dir/pom.xml" -newer "$jar" -print -quit) ]]
}

if $rebuild || stale; then
  echo "building $jar ..." >&2
  cd "$root_dir"
  build=(./mvnw -q -B -pl idmint-core,idmint-bench -am package -DskipTests)
  # Offline first (fast, and the dependencies are usually cached); online if that fails.
  "${build[@]}" -o || "${build[@]}"
fi

if [[ $mode == sustained ]]; then
  server_jar=$root_dir/idmint-server/target/idmint-server.jar
  [[ -f $server_jar ]] || (cd "$root_dir" && ./mvnw -q -B -o -pl idmint-server -am package -DskipTests)
  seconds=${1:-20}
  port=${IDMINT_BENCH_PORT:-7392}
  work=$(mktemp -d)
  printf 'namespaces:\n  order: { strategy: snowflake }\n  invoice: { strategy: segment }\nlimits: { max-count: 100000 }\n' \
    > "$work/idmint.yaml"
  java -Xmx512m -jar "$server_jar" serve --port "$port" --data-dir "$work/data" \
    --config "$work/idmint.yaml" > "$work/node.log" 2>&1 &
  node_pid=$!
  trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; rm -rf "$work"' EXIT
  until curl -sf -X POST "http://127.0.0.1:$port/v1/namespaces/order/ids" > /dev/null 2>&1; do
    kill -0 $node_pid 2>/dev/null || { cat "$work/node.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ); cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # Each client figure beside the node's own batch throughput (bare stubs, same batch size).
  for ns in invoice order; do
    for threads in 1 2; do
      for how in client raw; do
        java -Xmx1g -Didmint.endpoint=127.0.0.1:$port -Didmint.nodePid=$node_pid \
          -cp "$jar" dev.idmint.bench.client.SustainedHarness $ns $threads "$seconds" $how
      done
    done
  done
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg) (invoice: segment; order: snowflake, capped at 4,096 IDs/ms)"
  exit 0
fi

if [[ $mode == smoke ]]; then
  jmh_opts=(-f 1 -wi 0 -i 1 -r 200ms)
  prefix=smoke
elif [[ $mode == short ]]; then
  # Iterations from the annotations: 2 x 1 s warm-up and 3 x 1 s for the generators, the client's
  # own short ones (its buffer must not run dry within an iteration).
  jmh_opts=(-f 1)
  prefix=jmh
else
  jmh_opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
  prefix=jmh
fi
out=$bench_dir/target
log=$out/$prefix-run.log

cd "$bench_dir"
{
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# cores: $(nproc); cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "# java: $(java -version 2>&1 | tr '\n' ' ')"
  echo "# idmint-core sources: sha256 $(cd "$root_dir" && find idmint-core/src/main -type f | sort |
    xargs cat | sha256sum | cut -c1-16), newest $(find "$root_dir/idmint-core/src/main" -type f \
    -printf '%TY-%Tm-%TdT%TH:%TM %p\n' | sort | tail -1 | sed "s|$root_dir/||")"
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
  echo "# command: java -cp target/benchmarks.jar dev.idmint.bench.Suite ${jmh_opts[*]}" \
    "-jvmArgsAppend '-Xms1g -Xmx1g' -rf json -rff target/$prefix-result.json $*"
} | tee "$log"
java -cp "$jar" dev.idmint.bench.Suite "${jmh_opts[@]}" \
  -jvmArgsAppend "-Xms1g -Xmx1g" \
  -rf json -rff "$out/$prefix-result.json" "$@" 2>&1 | tee -a "$log"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)" | tee -a "$log"

if grep -q '<failure>' "$log"; then
  echo "run.sh: at least one benchmark FAILED; see $log" >&2
  exit 1
fi
