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

source ./server.sh

# Bounded: joins, 2 s warm-up, the window and 2.5 s of drain take well under S + 60 s.
result=$(timeout $((seconds + 60)) "${load_cpu[@]}" "$bin" bench chat-fanout --peer colyseus \
  --server "ws://127.0.0.1:$port" --server-pid "$server_pid" --members "$members" --rate "$rate" --seconds "$seconds")
server_survived
echo "$result"
