#!/usr/bin/env bash
# Fails when a test run left something behind: a process that carries the run's label in its environment
# (WAVELET_RUN_ID=<label>, inherited by everything the run started: PostgreSQL servers and their watchdogs, engines,
# data planes, operators) or a PostgreSQL folder whose owner file names the run. Waits up to 30 s first, since a
# server's watchdog finishes its fast shutdown just after its owner has exited.
# usage: env -u WAVELET_RUN_ID bash scripts/check-leftovers.sh <label> [pid to ignore, e.g. the caller's]
set -uo pipefail
label=${1:?usage: check-leftovers.sh <run label> [pid to ignore]}
ignore=${2:-}
if [ "${WAVELET_RUN_ID:-}" = "$label" ]; then
  echo "check-leftovers: run me without WAVELET_RUN_ID=$label in my environment (env -u WAVELET_RUN_ID ...)" >&2
  exit 2
fi

processes() {
  local file pid
  for file in $(grep -lxz "WAVELET_RUN_ID=$label" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${file#/proc/}
    pid=${pid%/environ}
    [ "$pid" = "$ignore" ] && continue
    echo "  $pid ($(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')): $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
  done
}

folders() {
  local owner
  for owner in "${TMPDIR:-/tmp}"/wavelet-pg-*/owner; do
    [ -f "$owner" ] && grep -qx "run=$label" "$owner" 2>/dev/null && echo "  $(dirname "$owner")"
  done
}

for _ in $(seq 30); do
  left_processes=$(processes)
  left_folders=$(folders)
  [ -z "$left_processes$left_folders" ] && { echo "check-leftovers: run $label left no process and no PostgreSQL folder"; exit 0; }
  sleep 1
done
echo "check-leftovers: run $label left these behind:" >&2
[ -n "$left_processes" ] && printf 'processes:\n%s\n' "$left_processes" >&2
[ -n "$left_folders" ] && printf 'folders:\n%s\n' "$left_folders" >&2
exit 1
