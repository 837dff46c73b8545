#!/usr/bin/env bash
# Benchmarks (not tests). Each run starts a fresh server, drives it with `guildhall bench`, stops it and prints
# one JSON line. The server is pinned to CPU 0 and the load generator to CPU 1, as the peer benchmarks are, so
# CPU per delivery compares like with like.
#   bench/run.sh chat-fanout [--members M] [--rate R] [--seconds S]
#   bench/run.sh idle [--connections N]
#   bench/run.sh turns [--matches N] [--think-ms T] [--seconds S]   (random legal chess moves, durable moves/s)
#   bench/run.sh compare chat-fanout [--members M] [--rate R] [--seconds S]   (Guildhall vs Colyseus, one load generator)
#   bench/run.sh arena [--rooms K] [--players 8] [--hz 20] [--seconds S] [--transport websocket|ws|tcp|udp]
#   bench/run.sh arena-max [--players 8] [--hz 20] [--seconds S] [--from K] [--step K] [--max K]   (most rooms held)
#   bench/run.sh compare arena [--rooms K] [--seconds S] [--transport udp]   (8 players, 20 Hz, against Colyseus 0.16;
#       --transport udp: Guildhall over WebSocket and over UDP, against Colyseus over WebSocket, in one run)
#   bench/run.sh udp-echo [--clients N] [--rate R] [--seconds S]   (the UDP transport alone against a plain
#       sendmmsg/recvmmsg loop; one process: `guildhall bench udp-echo --help` says what it measures)
#   bench/run.sh sdk-python [--parts chat,ping,poll] [--transports websocket,tcp,udp] [--apis Client,AsyncClient]
#       [--messages N] [--pings N] [--window W] [--seconds S] [--profile FILE]   (one Python SDK client: chat and
#       ping messages/s, and poll() per 60 fps frame in an 8-fighter 20 Hz arena; bench/sdk_python.py --help)
# WINDOW_US=N sets the server's limits.write_batch_window_us for the run (default: the server's, 5000).
# TLS=1 runs the server with a fresh self-signed certificate (tls.cert_file, tls.key_file) and the load generator
# over wss:// trusting it (--ca-file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${GUILDHALL_BIN:-$root/build/guildhall}
[[ -x "$bin" ]] || { echo "build first: make build" >&2; exit 2; }

usage() { sed -n '2,20p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
scenario=$1; shift

# The server under test on CPU 0: one shard, free loopback ports, data and output in the directory $1, a generous
# idle timeout so idle connections stay for the measurement, no per-address login or HTTP read limits; the rest of
# the arguments are more options. Sets the caller's `server` (its pid): the caller stops it, with a RETURN trap of
# its own (one set here would fire as this function returns).
start_server() {
  local work=$1; shift
  taskset -c 0 "$bin" serve --data "$work/data" --host 127.0.0.1 --http-port 0 --tcp-port 0 --udp-port 0 --shards 1 \
    --log-level warn --set limits.idle_timeout_ms=600000 --set limits.write_batch_window_us=${WINDOW_US:-5000} \
    --set auth.logins_per_ip_per_minute=0 --set http.reads_per_ip_per_minute=0 "$@" >"$work/out" 2>"$work/err" &
  server=$!
}

# Waits for start_server's listening lines in $1/out and sets the caller's `port` (HTTP/WebSocket), `tcp_port` and
# `udp_port`; fails, saying why, when the server did not start.
await_ports() {
  local work=$1
  for _ in $(seq 100); do grep -q "UDP:" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's|.*https\{0,1\}://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
  tcp_port=$(sed -n 's|.*native TCP: *127.0.0.1:\([0-9]*\).*|\1|p' "$work/out")
  udp_port=$(sed -n 's|.*UDP: *127.0.0.1:\([0-9]*\).*|\1|p' "$work/out")
  [[ -n "$port" && -n "$tcp_port" && -n "$udp_port" ]] || { echo "server did not start: $(cat "$work/err")" >&2; return 1; }
}

run_guildhall() {
  local scenario=$1; shift
  local work; work=$(mktemp -d -t guildhall-bench.XXXXXX)
  local tls_server=() tls_client=() scheme=ws
  if [[ "${TLS:-0}" == 1 ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
    tls_server=(--set "tls.cert_file=$work/tls.crt" --set "tls.key_file=$work/tls.key")
    tls_client=(--ca-file "$work/tls.crt")
    scheme=wss
  fi
  # Arena runs log thousands of guests in from one address (over UDP each also asks for a connect token, an HTTP
  # read) and may want more rooms than the default cap.
  local server port tcp_port udp_port
  start_server "$work" --set limits.max_connections_per_ip=0 --set limits.max_connections=1000000 \
    --set rooms.max_rooms=100000 "${tls_server[@]}"
  trap "kill $server 2>/dev/null; rm -rf '$work'" RETURN
  await_ports "$work" || return 1
  local url="$scheme://127.0.0.1:$port"
  if [[ "${TRANSPORT:-websocket}" == tcp ]]; then
    url="$([[ $scheme == wss ]] && echo tls || echo tcp)://127.0.0.1:$tcp_port?http_port=$port"
  elif [[ "${TRANSPORT:-websocket}" == udp ]]; then
    # The connect token comes over HTTP(S) (udps:// with TLS); the datagrams are encrypted either way.
    url="$([[ $scheme == wss ]] && echo udps || echo udp)://127.0.0.1:$udp_port?http_port=$port"
  fi
  # Not the function's last command: inside $(...) (compare) bash 5.2 would exec it in place of the subshell, and
  # the RETURN trap that stops the server would never run. `|| status=$?` also keeps set -e from skipping the trap.
  local status=0
  timeout 600 taskset -c 1 "$bin" bench "$scenario" --server "$url" --server-pid "$server" \
    "${tls_client[@]}" "$@" || status=$?
  return $status
}

# arena: --transport is this script's (it picks the URL); the rest go to `guildhall bench arena`.
run_arena() {
  local args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --transport) TRANSPORT=$2; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  [[ "${TRANSPORT:-}" == ws ]] && TRANSPORT=websocket
  [[ "${TRANSPORT:-websocket}" == websocket || "${TRANSPORT:-}" == tcp || "${TRANSPORT:-}" == udp ]] || usage
  TRANSPORT=${TRANSPORT:-websocket} run_guildhall arena "${args[@]}"
}

# arena-max: runs arena with more rooms each time until a run is not held: p99 tick time over the tick period,
# more than 1% of ticks late, players decoding fewer than 95% of the snapshots (the load generator or the server
# fell behind), or any error; prints each run's line and then the most rooms held.
run_arena_max() {
  local from=100 step=100 max=3000 hz=20 args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --from) from=$2; shift 2 ;;
      --step) step=$2; shift 2 ;;
      --max) max=$2; shift 2 ;;
      --hz) hz=$2; args+=("$1" "$2"); shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  local held=0 line rooms
  for ((rooms = from; rooms <= max; rooms += step)); do
    line=$(run_arena --rooms "$rooms" "${args[@]}") || { echo "arena-max: the run with $rooms rooms failed" >&2; break; }
    echo "$line"
    if ! python3 -c 'import json,sys; r=json.loads(sys.argv[1]); hz=float(sys.argv[2]); sys.exit(0 if r["p99_tick_ms"] < 1000/hz and r["late_ticks"] <= 0.01*r["room_ticks"] and r["snapshots_per_player_per_s"] >= 0.95*hz and r["decode_errors"] == 0 and r["errors"] == 0 else 1)' "$line" "$hz"; then
      break
    fi
    held=$rooms
  done
  echo "{\"scenario\":\"arena-max\",\"hz\":$hz,\"most_rooms_held\":$held}"
}

# compare arena: Guildhall over WebSocket (and with --transport udp also over UDP) against Colyseus over
# WebSocket, one after the other in one run; a ratio line per Guildhall transport.
compare_arena() {
  local args=() udp=0
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --transport) [[ "$2" == udp ]] && udp=1 || [[ "$2" == websocket || "$2" == ws ]] || usage; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  local ours theirs ours_udp=""
  ours=$(TRANSPORT=websocket run_arena --players 8 --hz 20 "${args[@]}")
  [[ $udp == 1 ]] && ours_udp=$(TRANSPORT=udp run_arena --players 8 --hz 20 "${args[@]}")
  theirs=$("$root/bench/peers/colyseus/run_arena.sh" "${args[@]}")
  echo "$ours"
  [[ -n "$ours_udp" ]] && echo "$ours_udp"
  echo "$theirs"
  local lines=("$ours")
  [[ -n "$ours_udp" ]] && lines+=("$ours_udp")
  for line in "${lines[@]}"; do
    python3 - "$line" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def ratio(key):
    return round(theirs[key] / ours[key], 2) if ours[key] else None
print(json.dumps({"scenario": "arena", "guildhall_transport": ours["transport"], "rooms": ours["rooms"],
                  "players": ours["players"], "hz": ours["hz"],
                  "colyseus_user_cpu_per_room_tick_over_guildhall": ratio("server_user_us_per_room_tick"),
                  "colyseus_cpu_per_room_tick_over_guildhall": ratio("server_cpu_us_per_room_tick"),
                  "colyseus_bytes_per_player_over_guildhall": ratio("bytes_per_player_per_s"),
                  "colyseus_rss_per_room_over_guildhall": ratio("server_rss_kb_per_room"),
                  "guildhall_p99_tick_ms": ours["p99_tick_ms"],
                  "guildhall_client_cpu_pct": ours["client_cpu_pct"], "colyseus_client_cpu_pct": theirs["client_cpu_pct"]}))
PY
  done
}

# udp-echo: no server process; the load generator measures both loops itself, the measured side pinned to CPU 0 and
# the driving side to CPU 1 (the sub-command pins its threads).
run_udp_echo() {
  timeout 600 "$bin" bench udp-echo "$@"
}

# sdk-python: the server on CPU 0 as above, bench/sdk_python.py (Debian's Python 3.11, the SDK from the tree) on
# CPU 1, given the WebSocket, TCP and UDP URLs. The chat rate limit (chat.messages_per_second 10, burst 20, per
# user) would cap the throughput this measures at 10 a second, so it is lifted for this server alone.
SDK_PYTHON_LIMITS=(--set chat.messages_per_second=1000000 --set chat.message_burst=1000000)
run_sdk_python() {
  local work; work=$(mktemp -d -t guildhall-bench.XXXXXX)
  local server port tcp_port udp_port
  start_server "$work" "${SDK_PYTHON_LIMITS[@]}"
  trap "kill $server 2>/dev/null; rm -rf '$work'" RETURN
  await_ports "$work" || return 1
  local status=0
  timeout 1200 taskset -c 1 /usr/bin/python3 "$root/bench/sdk_python.py" --websocket "ws://127.0.0.1:$port/ws" \
    --tcp "tcp://127.0.0.1:$tcp_port?http_port=$port" --udp "udp://127.0.0.1:$udp_port?http_port=$port" \
    --note "server: ${SDK_PYTHON_LIMITS[*]}" "$@" || status=$?
  return $status
}

case "$scenario" in
  chat-fanout|idle|turns) run_guildhall "$scenario" "$@" ;;
  sdk-python) run_sdk_python "$@" ;;
  arena) run_arena "$@" ;;
  arena-max) run_arena_max "$@" ;;
  udp-echo) run_udp_echo "$@" ;;
  compare)
    [[ "${1:-}" == "arena" ]] && { shift; compare_arena "$@"; exit; }
    [[ "${1:-}" == "chat-fanout" ]] || usage
    shift
    ours=$(run_guildhall chat-fanout "$@")
    theirs=$("$root/bench/peers/colyseus/run.sh" "$@")
    echo "$ours"
    echo "$theirs"
    python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = theirs["server_cpu_us_per_delivery"] / ours["server_cpu_us_per_delivery"]
print(json.dumps({"scenario": "chat-fanout", "members": ours["members"], "rate": ours["rate"],
                  "colyseus_cpu_per_delivery_over_guildhall": round(ratio, 2),
                  "guildhall_p99_ms": ours["p99_ms"], "colyseus_p99_ms": theirs["p99_ms"],
                  "guildhall_lost": ours["lost"], "colyseus_lost": theirs["lost"],
                  # The one load generator's CPU against each: near 100 % it, not the server, would be measured.
                  "guildhall_client_cpu_pct": ours["client_cpu_pct"], "colyseus_client_cpu_pct": theirs["client_cpu_pct"]}))
PY
    ;;
  *) usage ;;
esac
