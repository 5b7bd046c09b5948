#!/usr/bin/env bash
# The fault campaign's long form: every fault, repeated at seeded random times, on every
# coordinator, for the given time. Reports: idmint-chaos/target/chaos/<round>/report.md and
# idmint-chaos/target/chaos/long-form-report.md. Needs PostgreSQL and MariaDB (see
# docs/reliability.md) and libfaketime (apt-get install -y faketime).
#
#   scripts/chaos/run.sh [--minutes 30] [--seeds 1,2,3] [--coordinators postgres,zookeeper,mariadb]
set -euo pipefail
minutes=30
seeds=1,2,3
coordinators=postgres,zookeeper,mariadb
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --coordinators) coordinators="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/../.."
exec ./mvnw -B -pl idmint-chaos -am verify \
  -Dtest=ChaosLongFormTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.form=long -Dchaos.minutes="$minutes" -Dchaos.seeds="$seeds" \
  -Dchaos.coordinators="$coordinators"
