#!/usr/bin/env bash
# The whole test suite: unit tests, actor and cluster tests, the packaged distribution, and the
# integration tests that run it (mvn verify). This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"
