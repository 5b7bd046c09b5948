#!/usr/bin/env bash
# Insert rate into PostgreSQL and MariaDB by primary-key type as the tables grow (issue 17).
#
#   idmint-bench-insert/run.sh                      full run: 20 M rows per table, no time limit
#   idmint-bench-insert/run.sh --budget 45m         stop cleanly after 45 min (charts still written)
#   idmint-bench-insert/run.sh --rows 20000 --chunk 5000      a tiny run: does it work?
#
# Options (all optional):
#   --rows N          rows each table grows to (default 20,000,000)
#   --chunk N         rows per turn of a table = the sampling interval (default 1,000,000)
#   --batch N         rows per JDBC batch, one transaction each (default 1,000)
#   --budget D        wall-time budget, e.g. 90s, 45m, 2h (default: none)
#   --engines LIST    postgresql,mariadb (default both)
#   --keys LIST       snowflake,segment,serial,uuid_v4,uuid_v7,public_id (default all)
#   --database NAME   the benchmark's own database on each engine (default idmint_insert_bench);
#                     dropped and recreated at the start, dropped at the end
#   --keep-database   do not drop it at the end
#   --out DIR         where the CSV, the markdown and the PNG charts go
#                     (default idmint-bench-insert/target/insert-bench)
#   --rebuild         rebuild the jar first even if it looks current
#
#   idmint-bench-insert/run.sh --merge OUT RUN_DIR...   join runs that went side by side (each with
#                     its own --keys, --database and --out) into one CSV, markdown and chart set
#
# Engines: PostgreSQL as postgres at IDMINT_PG_HOST:IDMINT_PG_PORT (default 127.0.0.1:5432), MariaDB
# as root at IDMINT_MARIADB_HOST:IDMINT_MARIADB_PORT (default 127.0.0.1:3306). Needs disk: the full
# run writes tens of GB (see docs/benchmarks.md). On a shared machine run it as
#   nice -n 19 ionice -c3 idmint-bench-insert/run.sh --budget 45m
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(dirname "$bench_dir")
jar=$bench_dir/target/insert-bench.jar

rebuild=false
args=()
out_given=false
for arg in "$@"; do
  case $arg in
    --rebuild) rebuild=true ;;
    -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --out) out_given=true; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
if ! $out_given; then
  args+=(--out "$bench_dir/target/insert-bench")
fi

stale() {
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$bench_dir/src/main" "$bench_dir/pom.xml" "$root_dir/pom.xml" \
      "$root_dir/idmint-core/src/main" "$root_dir/idmint-client/src/main" \
      "$root_dir/idmint-server/src/main" -newer "$jar" -print -quit) ]]
}

if $rebuild || stale; then
  echo "building $jar ..." >&2
  cd "$root_dir"
  build=(./mvnw -q -B -pl idmint-bench-insert -am package -DskipTests)
  "${build[@]}" -o || "${build[@]}"
fi

cd "$root_dir"
if [[ ${args[0]:-} == --merge ]]; then
  merge=("$@")
  exec java -Djava.awt.headless=true -cp "$jar" dev.idmint.bench.insert.MergedReport "${merge[@]:1}"
fi
exec java -Xms1g -Xmx1g -Djava.awt.headless=true \
  "-Dinsertbench.command=idmint-bench-insert/run.sh $*" \
  -jar "$jar" "${args[@]}"
