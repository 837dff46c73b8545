# Sourced by the tmux end-to-end tests (tmux_chat.sh, tmux_play.sh): a real `guildhall serve` on ephemeral
# loopback ports in a temp folder, a private tmux server, and helpers to drive and read its panes.
# Before sourcing, set $bin (the guildhall binary) and $socket (a tmux socket name of this test's own), and
# optionally the array $server_args (more `serve` arguments, such as --set limits.idle_timeout_ms=1500).
# Afterwards $work, $http_port and $tcp_port are set; on exit the panes and the server stop and $work goes.
# restart_server stops the server with SIGTERM and starts it again on the same ports and data folder.
work=$(mktemp -d -t guildhall-tmux.XXXXXX)
server_pid=""
extra_pids=()  # helpers a test started (a proxy): stopped at exit too
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  for pid in ${extra_pids[@]+"${extra_pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the server on ports $1 and $2 (0: the kernel picks) and sets $server_pid, $http_port and $tcp_port.
start_server() {
  "$bin" serve --data "$work/data" --host 127.0.0.1 --http-port "$1" --tcp-port "$2" --udp-port 0 --log-level warn \
    ${server_args[@]+"${server_args[@]}"} >"$work/out" 2>>"$work/err" &
  server_pid=$!
  for _ in $(seq 100); do grep -q "native TCP" "$work/out" 2>/dev/null && break; sleep 0.1; done
  http_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
  tcp_port=$(sed -n 's|.*native TCP: *127.0.0.1:\([0-9]*\).*|\1|p' "$work/out")
  [[ -n "$http_port" && -n "$tcp_port" ]] || { echo "server did not start"; cat "$work/err"; exit 1; }
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}
restart_server() {
  stop_server
  start_server "$http_port" "$tcp_port"
}
start_server 0 0

# Panes are addressed by their ids (%N), never by index: when a client exits, an index would name another pane.
tmux_() { tmux -L "$socket" "$@"; }
pane() { tmux_ capture-pane -p -J -t "$1"; }  # -J: a wrapped line as one
# Every pane's screen, for a failure message.
dump_panes() {
  local target
  for target in $(tmux_ list-panes -a -F '#{session_name}:#{window_index}.#{pane_index}'); do
    echo "--- pane $target:"; pane "$target"
  done
}
# Waits up to 15 s for the command after `what` to succeed; fails the test with `what` and every screen otherwise.
wait_for() {
  local what=$1; shift
  for _ in $(seq 150); do
    "$@" && return 0
    sleep 0.1
  done
  echo "FAIL: $what"
  dump_panes
  exit 1
}
shows() { pane "$1" | grep -F -- "$2" >/dev/null; }
# Waits up to 15 s for `text` in pane $1.
expect_screen() { wait_for "pane $1 never showed: $2" shows "$1" "$2"; }
type_line() { tmux_ send-keys -t "$1" -l -- "$2"; tmux_ send-keys -t "$1" Enter; }
