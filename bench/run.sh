#!/usr/bin/env bash
# Benchmarks (not tests). Each run starts a fresh server, drives it with `guildhall bench`, stops it and prints
# one JSON line. The server is pinned to CPU 0 and the load generator to CPU 1, as the peer benchmarks are, so
# CPU per delivery compares like with like.
#   bench/run.sh chat-fanout [--members M] [--rate R] [--seconds S]
#   bench/run.sh idle [--connections N]
#   bench/run.sh turns [--matches N] [--think-ms T] [--seconds S]   (random legal chess moves, durable moves/s)
#   bench/run.sh compare chat-fanout [--members M] [--rate R] [--seconds S]   (Guildhall vs Colyseus, one load generator)
# WINDOW_US=N sets the server's limits.write_batch_window_us for the run (default: the server's, 5000).
# TLS=1 runs the server with a fresh self-signed certificate (tls.cert_file, tls.key_file) and the load generator
# over wss:// trusting it (--ca-file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${GUILDHALL_BIN:-$root/build/guildhall}
[[ -x "$bin" ]] || { echo "build first: make build" >&2; exit 2; }

usage() { sed -n '2,10p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
scenario=$1; shift

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
  # One shard on one core; a generous idle timeout so idle connections stay for the measurement.
  taskset -c 0 "$bin" serve --data "$work/data" --host 127.0.0.1 --http-port 0 --tcp-port 0 --shards 1 \
    --log-level warn --set limits.idle_timeout_ms=600000 --set limits.write_batch_window_us=${WINDOW_US:-5000} \
    --set limits.max_connections_per_ip=0 --set limits.max_connections=1000000 "${tls_server[@]}" >"$work/out" 2>"$work/err" &
  local server=$!
  trap "kill $server 2>/dev/null; rm -rf '$work'" RETURN
  for _ in $(seq 100); do grep -q "native TCP" "$work/out" 2>/dev/null && break; sleep 0.1; done
  local port; port=$(sed -n 's|.*https\{0,1\}://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
  [[ -n "$port" ]] || { echo "server did not start: $(cat "$work/err")" >&2; return 1; }
  # Not the function's last command: inside $(...) (compare) bash 5.2 would exec it in place of the subshell, and
  # the RETURN trap that stops the server would never run. `|| status=$?` also keeps set -e from skipping the trap.
  local status=0
  timeout 600 taskset -c 1 "$bin" bench "$scenario" --server "$scheme://127.0.0.1:$port" --server-pid "$server" \
    "${tls_client[@]}" "$@" || status=$?
  return $status
}

case "$scenario" in
  chat-fanout|idle|turns) run_guildhall "$scenario" "$@" ;;
  compare)
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
