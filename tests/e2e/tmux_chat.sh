#!/usr/bin/env bash
# The terminal client as a person uses it: two `guildhall chat` sessions in tmux panes against a real server,
# typing with send-keys and reading the screens with capture-pane.
# Usage: tmux_chat.sh PATH/TO/guildhall
set -euo pipefail
bin=$1
work=$(mktemp -d -t guildhall-tmux.XXXXXX)
socket="guildhall-test-$$"
server_pid=""
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --data "$work/data" --host 127.0.0.1 --http-port 0 --tcp-port 0 --log-level warn >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 100); do grep -q "native TCP" "$work/out" 2>/dev/null && break; sleep 0.1; done
http_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
tcp_port=$(sed -n 's|.*native TCP: *127.0.0.1:\([0-9]*\).*|\1|p' "$work/out")
[[ -n "$http_port" && -n "$tcp_port" ]] || { echo "server did not start"; cat "$work/err"; exit 1; }

pane() { tmux -L "$socket" capture-pane -p -t "$1"; }
# Waits up to 10 s for `text` to appear in pane $1.
expect_screen() {
  local target=$1 text=$2
  for _ in $(seq 100); do
    pane "$target" | grep -qF -- "$text" && return 0
    sleep 0.1
  done
  echo "FAIL: pane $target never showed: $text"
  echo "--- pane $target:"; pane "$target"
  echo "--- other pane:"; pane "$([[ $target == "$alice" ]] && echo "$bob" || echo "$alice")"
  exit 1
}
type_line() { tmux -L "$socket" send-keys -t "$1" -l -- "$2"; tmux -L "$socket" send-keys -t "$1" Enter; }

tmux -L "$socket" new-session -d -s chat -x 160 -y 40 \
  "$bin chat --server ws://127.0.0.1:$http_port --user alice --password alice-secret; sleep 30"
tmux -L "$socket" split-window -t chat -v \
  "$bin chat --server tcp://127.0.0.1:$tcp_port?http_port=$http_port --user bobby --password bobby-secret; sleep 30"
alice=chat:0.0
bob=chat:0.1

expect_screen "$alice" "joined lobby"
expect_screen "$bob" "joined lobby"
type_line "$alice" "hello bobby, ça va?"
expect_screen "$bob" "[lobby] alice: hello bobby, ça va?"
expect_screen "$alice" "[lobby] alice: hello bobby, ça va?"

type_line "$bob" "/dm alice a secret"
expect_screen "$alice" "[dm] bobby: a secret"

type_line "$alice" "/who"
expect_screen "$alice" "in lobby: alice, bobby"

type_line "$bob" "/join side"
expect_screen "$bob" "joined side"
type_line "$bob" "in the side room"
expect_screen "$bob" "[side] bobby: in the side room"

type_line "$alice" "/nonsense"
expect_screen "$alice" "commands: /join NAME"

# A message arriving while alice is half-way through a line does not lose what she typed.
tmux -L "$socket" send-keys -t "$alice" -l "half typed"
sleep 0.3
type_line "$bob" "/join lobby"
expect_screen "$bob" "joined lobby (2 here)"
type_line "$bob" "interrupting"
expect_screen "$alice" "[lobby] bobby: interrupting"
type_line "$alice" " and finished"
expect_screen "$bob" "[lobby] alice: half typed and finished"

type_line "$bob" "/quit"
expect_screen "$alice" "bobby went offline from lobby"
echo "tmux chat test: 1 passed, 0 failed"
