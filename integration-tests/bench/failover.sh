#!/bin/sh
# The failover benchmark of docs/benchmarks.md, on the namespace test bed (docs/testbed.md):
# servers n1 and n2 (and the witness n3) running the packaged daemons, the hierarchy virtual IP +
# ext4 on a shared loop device + PostgreSQL 15, a client committing every 10 ms through the
# virtual IP. Each round injects one fault and measures the outage the client sees (the largest
# gap between acknowledged commits from the fault on); prints every round, then a table with the
# median and the worst, lost acknowledged commits and double-active samples.
#   usage: integration-tests/bench/failover.sh [-n ROUNDS] [SCENARIO...]      (default: -n 5)
#   scenarios: postmaster-kill, power-off, power-off-lease, switchover, lkstop-n, disk-path (n1's own
#   path to the shared disk cut under the mounted filesystem: failover to n2; needs bindfs), footprint
#   (idle RSS, CPU and wake-ups of the daemons over 60 s, n1 + n2 with the disk lease),
#   footprint-witness (the same with the witness n3, quorum only); default: postmaster-kill footprint
# VIGIL_BENCH_CONF=HOCON adds settings to every server's configuration (to compare settings);
# VIGIL_BENCH_SETTLE=SECONDS: how long the daemons run before the footprint is measured (90);
# VIGIL_JAVA_OPTS reaches the daemons' JVMs.
# Needs root and the Debian packages of .ci/run. Builds what it needs offline (mvn -o package);
# not part of the normal test run. Cleans the bed up at the end, also when interrupted
# (or run integration-tests/bed/cleanup.sh).
set -eu
cd "$(dirname -- "$0")/../.."
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
mvn -q -o package dependency:build-classpath -DskipTests -pl integration-tests -am \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
dist=$(ls -d deploy/target/vigil-*/ | head -n 1)
java -cp "integration-tests/target/test-classes:$(cat "$classpath")" \
    -Dvigil.dist="$dist" -Dvigil.bed.cleanup="$PWD/integration-tests/bed/cleanup.sh" \
    dev.vigil.it.bed.FailoverBenchmark "$@"
