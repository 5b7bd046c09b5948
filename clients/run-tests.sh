#!/usr/bin/env bash
# Runs one client's test suite against real nodes: ./clients/run-tests.sh typescript|python
# Maven runs both in the integration-test phase (clients/pom.xml), so `./mvnw -B verify` does.
# Without Node.js 20+/npm or Python 3.9+ with pytest it skips with how to install them, except
# under CI=true, where it fails instead.
set -euo pipefail
cd "$(dirname "$0")"

skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true, so the $1 client tests may not skip: $2" >&2
    exit 1
  fi
  echo "SKIPPED: the $1 client tests: $2"
  exit 0
}

case "${1:-}" in
  typescript)
    command -v node >/dev/null && command -v npm >/dev/null ||
      skip typescript "no node/npm on PATH (Debian: apt-get install nodejs npm; Node 20+)"
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
      skip typescript "Node $(node --version) is older than 20"
    cd typescript
    npm ci --no-audit --no-fund --loglevel=error
    npm run --silent build
    npm test
    ;;
  python)
    # Debian's python3 (where .ci/run installs python3-pytest) unless PYTHON names another.
    python="${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}"
    command -v "$python" >/dev/null || skip python "no $python on PATH (Python 3.9+)"
    "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
      skip python "$("$python" --version 2>&1) is older than 3.9"
    "$python" -c 'import pytest' 2>/dev/null ||
      skip python "$python has no pytest (Debian: apt-get install python3-pytest)"
    cd python
    "$python" -m pytest -q -p no:cacheprovider tests
    ;;
  *)
    echo "usage: $0 typescript|python" >&2
    exit 2
    ;;
esac
