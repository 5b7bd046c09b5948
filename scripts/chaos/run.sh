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
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --coordinators) coordinators="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/../.."
exec ./mvnw -B -pl idmint-chaos -am verify \
  -Dtest=ChaosLongFormTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.form=long -Dchaos.minutes="$minutes" -Dchaos.seeds="$seeds" \
  -Dchaos.coordinators="$coordinators"
