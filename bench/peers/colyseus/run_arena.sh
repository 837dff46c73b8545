#!/usr/bin/env bash
# Runs the arena scenario against Colyseus 0.16 and prints one JSON line on stdout.
# Usage: bench/peers/colyseus/run_arena.sh [--rooms K] [--players P] [--hz H] [--seconds S]
# The server (server.js, room "arena": arena_room.js) is pinned to CPU 0 and the load generator, Node with
# Colyseus's own client (arena_load.js), to CPU 1, as bench/run.sh does for Guildhall.
set -euo pipefail
cd "$(dirname "$0")"

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rooms|--players|--hz|--seconds|--warmup) args+=("$1" "$2"); shift 2 ;;
    --transport) [ "$2" = websocket ] || { echo "Colyseus speaks WebSocket only" >&2; exit 2; }; shift 2 ;;
    *) echo "usage: $0 [--rooms K] [--players P] [--hz H] [--seconds S]" >&2; exit 2 ;;
  esac
done

if [ ! -d node_modules ]; then
  # --legacy-peer-deps: @colyseus/core's optional peer @pm2/io is not needed here.
  timeout 300 npm ci --legacy-peer-deps --no-audit --no-fund >&2
fi

server_cpu=() load_cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0) load_cpu=(taskset -c 1)
else
  echo "[run] taskset or a second CPU missing: running unpinned, CPU figures are noisier" >&2
fi

ready=$(mktemp)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -f "$ready"
}
trap cleanup EXIT

NODE_ENV=production "${server_cpu[@]}" node server.js 0 >"$ready" &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$ready")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "[run] server exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "[run] server did not listen within 10 s" >&2; exit 1; }
echo "[run] colyseus server pid $server_pid on port $port" >&2

result=$(timeout 600 "${load_cpu[@]}" node arena_load.js --server "ws://127.0.0.1:$port" --server-pid "$server_pid" \
  "${args[@]}")
kill -0 "$server_pid" 2>/dev/null || { echo "[run] server died during the run" >&2; exit 1; }
echo "$result"
