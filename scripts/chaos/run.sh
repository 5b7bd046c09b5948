#!/usr/bin/env bash
# The fault campaign's long form: every fault, repeated at seeded random times, on every
# coordinator, for the given time. Reports: idmint-chaos/target/chaos/<round>/report.md and
# idmint-chaos/target/chaos/long-form-report.md. Needs the PostgreSQL and MariaDB binaries (the
# campaign runs private instances of both, which the database faults kill and restore), the shared
# PostgreSQL for the PRIMARY KEY ledger (see docs/reliability.md) and libfaketime
# (apt-get install -y faketime). Heavy: on a shared machine run it under the build lock.
#
#   scripts/chaos/run.sh [--minutes 30] [--seeds 1,2,3]
#                        [--coordinators postgres-private,zookeeper,mariadb-private,zookeeper-ensemble]
#                        [--raw-count 10] [--heap 512m] [--faults pause-over-ttl,kill-restart]
#
# --raw-count: IDs per REST and gRPC call of the load (1..10000). 10 by default; the billion-ID runs
# of docs/reliability.md use 1000. --heap: the campaign JVM's heap, which holds every acknowledged
# ID of a round twice (16 bytes an ID) while it checks it: 150 million IDs a round need about 4g.
# The PRIMARY KEY ledger then fills about 10 GB of the shared PostgreSQL per 150 million IDs for the
# time of its check (an UNLOGGED table, dropped once it refused nothing). --faults: only these
# faults (ids as in docs/reliability.md), each where the coordinator can undergo it; all by default.
#
# Coordinators: postgres-private and mariadb-private (every fault, the database faults included),
# zookeeper, zookeeper-ensemble (three servers; its leader is killed too), redis-private (a
# redis-server without persistence: each database fault restarts it empty; not in the default
# list, it is the weakest), and postgres / mariadb (a schema in the shared engine, which is never
# stopped: every fault but the database ones).
set -euo pipefail
minutes=30
seeds=1,2,3
coordinators=postgres-private,zookeeper,mariadb-private,zookeeper-ensemble
raw_count=10
heap=512m
faults=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --coordinators) coordinators="$2"; shift 2 ;;
    --raw-count) raw_count="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --faults) faults="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ $raw_count =~ ^[0-9]+$ ]] || (( raw_count < 1 || raw_count > 10000 )); then
  echo "error: --raw-count must be a whole number in [1, 10000]: $raw_count" >&2; exit 2
fi
cd "$(dirname "$0")/../.."
exec ./mvnw -B -pl idmint-chaos -am verify \
  -Dtest=ChaosLongFormTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.form=long -Dchaos.minutes="$minutes" -Dchaos.seeds="$seeds" \
  -Dchaos.coordinators="$coordinators" -Dchaos.rawCount="$raw_count" -Dchaos.heap="$heap" \
  -Dchaos.faults="$faults"
