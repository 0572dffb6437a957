#!/bin/bash
# Side-by-side idle CPU of two Vigil builds or settings (docs/benchmarks.md, "Comparing two builds").
# The footprint of failover.sh varies by ±0.3 % of a core from one run to the next on a VM: the
# same wake-ups cost more or less. This runs two `vigil demo` clusters at the same time (three
# daemons each on 127.0.0.1, a PostgreSQL in service on one of them), A on ports 30000-30033 and
# B on 31000-31033, so both see the same machine in the same windows, and prints every daemon's
# CPU per window, then A minus B for the daemons running the hierarchy and for the other two.
#   usage: integration-tests/bench/idle-ab.sh DIST_A DIST_B [SETTLE_S [WINDOWS [WINDOW_S]]]
#   DIST_*: an unpacked distribution (deploy/target/vigil-<version>/ of a build);
#   VIGIL_AB_OPTS_A / VIGIL_AB_OPTS_B: JVM options (VIGIL_JAVA_OPTS) for A / B;
#   defaults: 90 s settle, 6 windows of 30 s.
# Needs PostgreSQL's server programs (as `vigil demo`); as root, PostgreSQL runs as `postgres`.
# Stops both demos at the end, also when interrupted; each demo removes its directory.
set -eu
[ $# -ge 2 ] || { sed -n 2,13p "$0" >&2; exit 2; }
dist_a=$(cd "$1" && pwd); dist_b=$(cd "$2" && pwd)
settle=${3:-90}; windows=${4:-6}; window=${5:-30}
work=$(mktemp -d /var/tmp/vigil-idle-ab.XXXXXX)
chmod 755 "$work" # PostgreSQL runs as its own OS user when this runs as root
pids=()
stop() {
    # TERM: a background job's SIGINT is ignored; the demo stops on TERM as on Ctrl-C.
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for _ in $(seq 1 90); do
        alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break; sleep 1
    done
    rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM
start() { # side dist opts base-port
    VIGIL_JAVA_OPTS="$3" setsid "$2/bin/vigil" demo --dir "$work/$1" --base-port "$4" \
        > "$work/$1.out" 2>&1 < /dev/null &
    pids+=($!)
}
start a "$dist_a" "${VIGIL_AB_OPTS_A:-}" 30000
start b "$dist_b" "${VIGIL_AB_OPTS_B:-}" 31000
for _ in $(seq 1 90); do
    grep -q "is in service on" "$work/a.out" 2>/dev/null && grep -q "is in service on" "$work/b.out" 2>/dev/null && break
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { cat "$work/a.out" "$work/b.out" >&2; exit 1; }; done
    sleep 2
done
owner_a=$(grep -o "is in service on n[0-9]" "$work/a.out" | head -n 1 | awk '{print $NF}')
owner_b=$(grep -o "is in service on n[0-9]" "$work/b.out" | head -n 1 | awk '{print $NF}')
[ -n "$owner_a" ] && [ -n "$owner_b" ] || { echo "idle-ab: a demo did not bring its hierarchy in service" >&2; exit 1; }
echo "A: $dist_a ${VIGIL_AB_OPTS_A:-}"
echo "B: $dist_b ${VIGIL_AB_OPTS_B:-}"
echo "in service: A on $owner_a, B on $owner_b; measuring after $settle s"
sleep "$settle"
python3 - "$work" "$windows" "$window" "$owner_a" "$owner_b" <<'PY'
import os, re, statistics, sys, time
work, windows, window, owner_a, owner_b = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
hz = os.sysconf('SC_CLK_TCK')
daemons = {}
for p in filter(str.isdigit, os.listdir('/proc')):
    try:
        args = open(f'/proc/{p}/cmdline').read().split('\0')
    except OSError:
        continue
    m = re.search(re.escape(work) + r'/(a|b)/(n\d)/', ' '.join(args))
    if 'dev.vigil.daemon.Main' in args and m:
        daemons[m.group(1) + '-' + m.group(2)] = p
def cpu(p):
    f = open(f'/proc/{p}/stat').read()
    f = f[f.rindex(')') + 2:].split()
    return int(f[11]) + int(f[12])
res = {k: [] for k in daemons}
for w in range(windows):
    before = {k: cpu(p) for k, p in daemons.items()}
    time.sleep(window)
    after = {k: cpu(p) for k, p in daemons.items()}
    for k in daemons:
        res[k].append(100.0 * (after[k] - before[k]) / hz / window)
    print(f"window {w + 1} ({window:.0f} s): " + '  '.join(f"{k} {res[k][-1]:.2f} %" for k in sorted(daemons)), flush=True)
for k in sorted(daemons):
    print(f"{k}: median {statistics.median(res[k]):.2f} %, worst {max(res[k]):.2f} % of one core")
def compare(what, a, b):
    diff = [x - y for x, y in zip(a, b)]
    print(f"{what}: A - B per window {' '.join('%+.2f' % d for d in diff)}; mean {statistics.mean(diff):+.2f} % of one core")
compare(f"hierarchy's daemon (a-{owner_a} - b-{owner_b})", res['a-' + owner_a], res['b-' + owner_b])
others_a = [k for k in sorted(daemons) if k.startswith('a-') and k != 'a-' + owner_a]
others_b = [k for k in sorted(daemons) if k.startswith('b-') and k != 'b-' + owner_b]
compare("the other two, summed", [sum(res[k][i] for k in others_a) for i in range(windows)],
        [sum(res[k][i] for k in others_b) for i in range(windows)])
PY
