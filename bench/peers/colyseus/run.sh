#!/usr/bin/env bash
# Runs the chat-fanout scenario against Colyseus 0.16 and prints one JSON line on stdout.
# Usage: bench/peers/colyseus/run.sh [--members M] [--rate R] [--seconds S]
# The load generator is Guildhall's own (`guildhall bench chat-fanout --peer colyseus`), the one that drives
# Guildhall in bench/run.sh, so only the server differs between the two runs. The server is pinned to CPU 0 and
# the load generator to CPU 1, as bench/run.sh does for Guildhall.
# GUILDHALL_BIN names the guildhall binary (default: build/guildhall of this checkout).
set -euo pipefail
cd "$(dirname "$0")"
bin=${GUILDHALL_BIN:-$(cd ../../.. && pwd)/build/guildhall}
[ -x "$bin" ] || { echo "[run] $bin missing: make build first" >&2; exit 2; }

members=200 rate=5 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --members) members=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: $0 [--members M] [--rate R] [--seconds S]" >&2; exit 2 ;;
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
    # Colyseus shuts down gracefully on SIGTERM; give it 5 s before forcing.
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -f "$ready"
}
trap cleanup EXIT

# Port 0: the kernel picks a free loopback port and the server reports it, so two runs
# never race for a port.
NODE_ENV=production "${server_cpu[@]}" node server.js 0 >"$ready" &
server_pid=$!  # taskset execs node, so this is the server's own pid

port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$ready")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "[run] server exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "[run] server did not listen within 10 s" >&2; exit 1; }
echo "[run] colyseus server pid $server_pid on port $port" >&2

# Bounded: joins, 2 s warm-up, the window and 2.5 s of drain take well under S + 60 s.
result=$(timeout $((seconds + 60)) "${load_cpu[@]}" "$bin" bench chat-fanout --peer colyseus \
  --server "ws://127.0.0.1:$port" --server-pid "$server_pid" --members "$members" --rate "$rate" --seconds "$seconds")
# A server that crashed mid-run makes the figures meaningless, not merely bad.
kill -0 "$server_pid" 2>/dev/null || { echo "[run] server died during the run" >&2; exit 1; }
echo "$result"
