#!/usr/bin/env bash
# Measures how long a command takes from exec to exit, the figure docs/benchmarks.md
# ("Command start-up") records: runs it N times (default 20, after 2 unrecorded warm-up runs)
# and prints the median and worst wall time, and the median CPU time (user + system), which
# varies less than wall time on a busy machine. The command's output is discarded; a run that
# exits non-zero stops the measurement, so a broken command cannot look fast.
#   usage: deploy/bench/startup.sh [-n RUNS] COMMAND [ARGS...]
#   e.g.   deploy/bench/startup.sh -n 20 /opt/vigil/bin/lcdstatus -q
set -euo pipefail
runs=20
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
if [ $# -eq 0 ]; then echo "usage: $0 [-n RUNS] COMMAND [ARGS...]" >&2; exit 2; fi

TIMEFORMAT='%R %U %S'
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
for i in $(seq -2 "$runs"); do
  if ! t=$( { time "$@" >/dev/null 2>&1; } 2>&1 ); then
    echo "run $i of '$*' failed (exit code non-zero); output of one more run:" >&2
    "$@" >&2 || true
    exit 1
  fi
  [ "$i" -ge 1 ] && echo "$t" >>"$samples"
done
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall_median=$(awk '{ print $1 }' "$samples" | median)
cpu_median=$(awk '{ print $2 + $3 }' "$samples" | median)
best=$(awk '{ print $1 }' "$samples" | sort -n | head -1)
worst=$(awk '{ print $1 }' "$samples" | sort -n | tail -1)
echo "$*: $runs runs, wall median $wall_median s, best $best s, worst $worst s; cpu (user+sys) median $cpu_median s"
