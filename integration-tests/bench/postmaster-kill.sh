#!/bin/sh
# The postmaster-kill benchmark of docs/benchmarks.md: a Vigil daemon (in one JVM, real kits)
# protecting a real PostgreSQL 15 on 127.0.0.1; a client commits every 10 ms; each round SIGKILLs
# the postmaster and measures until the first successful commit sent after it. Prints every round,
# the median and the worst. Needs root and the Debian package postgresql (PostgreSQL 15).
#   usage: integration-tests/bench/postmaster-kill.sh [ROUNDS]     (default 10)
# Builds what it needs offline (mvn -o): core and kits (with the kits' test helpers), then the
# daemon's test classes; it is not part of the normal test run.
set -eu
cd "$(dirname -- "$0")/../.."
mvn -q -o install -pl modules/core,modules/kits -DskipTests
mvn -q -o test-compile -pl modules/daemon
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
mvn -q -o dependency:build-classpath -pl modules/daemon -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
java -cp "modules/daemon/target/test-classes:modules/daemon/target/classes:$(cat "$classpath")" \
    dev.vigil.daemon.bench.PostmasterKillBenchmark "$@"
