#!/bin/sh
# Removes everything the namespace test bed (dev.vigil.it.bed, docs/testbed.md) may have left
# behind, also after an interrupted run: every process in its network namespaces (vb-*), killed
# by the PIDs `ip netns pids` lists (only the bed starts processes there), then the namespaces
# (their veths and bridges go with them), the loop devices backed by its disk images (also those
# over a server's own path to the disk), the bindfs processes of those paths (by the PIDs in
# paths/*.pid; each one's mount is in a mount namespace of its own and goes with it), and its
# folder /var/tmp/vigil-bed. Safe to run any time, as often as you like. Needs root.
set -u
root=/var/tmp/vigil-bed
for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^vb-/ { print $1 }'); do
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    kill -KILL "$pid" 2>/dev/null
  done
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    # wait until the process is really gone (a zombie counts as gone: PID 1 reaps late here)
    i=0
    while [ -e "/proc/$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] && [ $i -lt 100 ]; do
      sleep 0.1; i=$((i + 1))
    done
  done
  ip netns del "$ns" 2>/dev/null
done
if [ -d "$root" ]; then
  # every loop device whose backing file is under the bed's folder, by the name the kernel keeps
  # (losetup -j would stat the file, which fails behind a path whose bindfs is gone)
  losetup -l -n -O NAME,BACK-FILE 2>/dev/null | while read -r dev file; do
    case "$file" in "$root"/*) losetup -d "$dev" 2>/dev/null ;; esac
  done
  for pidfile in "$root"/paths/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "^bindfs .* $root/"; then
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  rm -rf "$root"
fi
exit 0
