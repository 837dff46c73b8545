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

source ./server.sh

result=$(timeout 600 "${load_cpu[@]}" node arena_load.js --server "ws://127.0.0.1:$port" --server-pid "$server_pid" \
  "${args[@]}")
server_survived
echo "$result"
