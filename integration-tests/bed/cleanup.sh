#!/bin/sh
# Removes everything the namespace test bed (dev.vigil.it.bed, docs/testbed.md) may have left
# behind, also after an interrupted run: every process in its network namespaces (vb-*), killed
# by the PIDs `ip netns pids` lists (only the bed starts processes there), then the namespaces
# (their veths and bridges go with them), the loop devices backed by its disk images, and its
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
  for img in "$root"/*/disk.img; do
    [ -e "$img" ] || continue
    for dev in $(losetup -j "$img" 2>/dev/null | cut -d: -f1); do
      losetup -d "$dev" 2>/dev/null
    done
  done
  rm -rf "$root"
fi
exit 0
