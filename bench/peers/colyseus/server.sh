# Sourced by run.sh and run_arena.sh (from this folder): installs the npm packages once, picks the CPUs, starts
# server.js on a free loopback port and stops it on exit. Sets server_pid, port and load_cpu (the command prefix
# that pins a load generator to the other CPU).

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

# Port 0: the kernel picks a free loopback port and the server reports it, so two runs never race for a port.
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

# A server that crashed mid-run makes the figures meaningless, not merely bad.
server_survived() {
  kill -0 "$server_pid" 2>/dev/null || { echo "[run] server died during the run" >&2; return 1; }
}
