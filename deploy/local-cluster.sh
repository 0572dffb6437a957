#!/usr/bin/env bash
# A local Vigil cluster for trying things out: N daemons of the packaged distribution on
# loopback ports, each with its own configuration, state and logs under ./local-cluster/.
#
#   deploy/local-cluster.sh up [N]         build, write configs, start N servers (default 3), show status
#   deploy/local-cluster.sh status         lcdstatus -q on every server
#   deploy/local-cluster.sh kill SERVER    SIGKILL one daemon (a crash), by its pid file
#   deploy/local-cluster.sh start SERVER   lkstart one server again
#   deploy/local-cluster.sh stop SERVER    lkstop one server
#   deploy/local-cluster.sh action SERVER TAG ACTION   perform_action -t TAG -a ACTION on SERVER
#   deploy/local-cluster.sh down           lkstop every server
#
# The cluster protects one generic resource, app-demo (a marker file per server): n1 has the
# highest priority and brings it in service once the cluster has formed.
#
# Ports: server nI uses cluster port 27364+I, admin port 27464+I and, for its second comm path
# (network "lan2", UDP heartbeats), port 27564+I (override BASE_PORT).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/local-cluster"
base=${BASE_PORT:-27364}

dist() {
  local d
  d=$(ls -d "$root"/deploy/target/vigil-*/ 2>/dev/null | head -n 1)
  [ -n "$d" ] || { echo "local-cluster: no distribution in deploy/target; run: $0 up" >&2; exit 1; }
  echo "${d%/}"
}

servers() {
  [ -d "$work" ] || { echo "local-cluster: no cluster in $work; run: $0 up" >&2; exit 1; }
  ls "$work" | grep -E '^n[0-9]+$' | sort -V
}

cmd() { # cmd SERVER COMMAND ARGS...
  local s=$1; shift
  local c=$1; shift
  VIGIL_CONF="$work/$s/vigil.conf" "$(dist)/bin/$c" "$@"
}

write_configs() {
  local n=$1 i list="" prios="" lan2=""
  for i in $(seq 1 "$n"); do
    list+="      { name = n$i, host = \"127.0.0.1\", port = $((base + i)) }"$'\n'
    prios+="${prios:+, }n$i = $((i * 10))"
    lan2+="${lan2:+, }n$i = \"127.0.0.1:$((base + 200 + i))\""
  done
  for i in $(seq 1 "$n"); do
    local home="$work/n$i"
    mkdir -p "$home/scripts"
    # The demo application is a marker file: restore creates it, remove deletes it, quickCheck tests it.
    printf '#!/bin/sh\ntouch "%s"\n' "$home/app-demo.running" > "$home/scripts/restore"
    printf '#!/bin/sh\nrm -f "%s"\n' "$home/app-demo.running" > "$home/scripts/remove"
    printf '#!/bin/sh\ntest -e "%s"\n' "$home/app-demo.running" > "$home/scripts/quickCheck"
    chmod +x "$home/scripts/restore" "$home/scripts/remove" "$home/scripts/quickCheck"
    cat > "$home/vigil.conf" <<CONF
vigil {
  server = n$i
  state-dir = "$home/state"
  cluster {
    servers = [
$list    ]
    comm-paths = [ { name = lan2, addresses { $lan2 } } ]
  }
  admin.port = $((base + 100 + i))
  logs.dir = "$home/log"
  hierarchies = [
    {
      tag = "app-demo"
      priorities { $prios }
      resources = [
        { tag = "app-demo", type = generic, restore-script = "$home/scripts/restore",
          remove-script = "$home/scripts/remove", quick-check-script = "$home/scripts/quickCheck" }
      ]
    }
  ]
}
CONF
  done
}

status() {
  local s
  for s in $(servers); do
    echo "== $s: lcdstatus -q"
    cmd "$s" lcdstatus -q || true
    echo
  done
}

case "${1:-}" in
  up)
    n=${2:-3}
    (cd "$root" && mvn -q -B -ntp -DskipTests install)
    if [ -d "$work" ]; then "$0" down >/dev/null 2>&1 || true; rm -rf "$work"; fi
    write_configs "$n"
    for s in $(servers); do cmd "$s" lkstart; done
    sleep 2
    status
    ;;
  status) status ;;
  kill)
    s=${2:?usage: $0 kill SERVER}
    pid=$(cat "$work/$s/state/vigil.pid")
    kill -9 "$pid" && echo "killed the daemon of $s (pid $pid)"
    ;;
  start) cmd "${2:?usage: $0 start SERVER}" lkstart ;;
  stop) cmd "${2:?usage: $0 stop SERVER}" lkstop ;;
  action)
    [ $# -eq 4 ] || { echo "usage: $0 action SERVER TAG ACTION" >&2; exit 2; }
    cmd "$2" perform_action -t "$3" -a "$4"
    ;;
  down)
    for s in $(servers); do cmd "$s" lkstop || true; done
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
