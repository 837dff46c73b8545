#!/usr/bin/env bash
# The terminal client as a person uses it: two `guildhall chat` sessions in tmux panes against a real server,
# typing with send-keys and reading the screens with capture-pane. The server closes connections idle for 1.5 s,
# and the clients ping every 0.5 s: the whole session shows that keep-alive works, and an idle stretch at the end
# proves it. Then the server restarts under a client, which reconnects, says so, and shows what it missed.
# Usage: tmux_chat.sh PATH/TO/guildhall
set -euo pipefail
bin=$1
socket="guildhall-test-$$"
server_args=(--set limits.idle_timeout_ms=1500)
source "$(dirname "$0")/tmux_harness.sh"
# A password login registers on first use, and hashing waits its turn on a busy machine: more than the 5 s default.
client_flags="--ping-interval-ms 500 --timeout-ms 15000"

alice=$(tmux_ new-session -d -s chat -x 160 -y 40 -P -F '#{pane_id}' \
  "$bin chat --server ws://127.0.0.1:$http_port --user alice --password alice-secret $client_flags; echo exit status \$?; sleep 60")
bob=$(tmux_ split-window -t "$alice" -v -P -F '#{pane_id}' \
  "$bin chat --server tcp://127.0.0.1:$tcp_port?http_port=$http_port --user bobby --password bobby-secret $client_flags; echo exit status \$?; sleep 60")

# The pane's lines without trailing spaces: capture-pane -J keeps those of a row cleared after a longer line.
trimmed_pane() { pane "$1" | sed 's/ *$//'; }
shows_line_times() { [[ $(trimmed_pane "$1" | grep -cxF -- "$2") == "$3" ]]; }
# True when the last non-empty lines of pane $1 are the lines given (one argument each).
ends_with_lines() {
  local target=$1; shift
  [[ $(trimmed_pane "$target" | grep -v '^$' | tail -n $#) == "$(printf '%s\n' "$@")" ]]
}
cursor_in_column() { [[ $(tmux_ display-message -p -t "$1" '#{cursor_x}') == "$2" ]]; }
# True when at least $3 lines of pane $1 start with $2.
shows_line_times_prefix() { [[ $(trimmed_pane "$1" | grep -c "^$2") -ge "$3" ]]; }
# Each waits up to 15 s.
expect_line_count() { wait_for "pane $1 never showed $3 times the line: $2" shows_line_times "$@"; }
expect_last_lines() { wait_for "pane $1 did not end with: ${*:2}" ends_with_lines "$@"; }
expect_cursor_column() { wait_for "pane $1: the cursor never reached column $2" cursor_in_column "$@"; }

expect_screen "$alice" "joined lobby"
expect_screen "$bob" "joined lobby"
type_line "$alice" "hello bobby, ça va?"
expect_screen "$bob" "[lobby] alice: hello bobby, ça va?"
expect_screen "$alice" "[lobby] alice: hello bobby, ça va?"

# Up brings the last line back; Enter sends it again.
tmux_ send-keys -t "$alice" Up
expect_last_lines "$alice" "#lobby> hello bobby, ça va?"
tmux_ send-keys -t "$alice" Enter
expect_line_count "$bob" "[lobby] alice: hello bobby, ça va?" 2
# Up again, typing at its end, sends the edited copy.
tmux_ send-keys -t "$alice" Up
tmux_ send-keys -t "$alice" -l " again"
tmux_ send-keys -t "$alice" Enter
expect_screen "$bob" "[lobby] alice: hello bobby, ça va? again"

# Editing inside the line: Left, Home and End move the cursor, and the terminal's cursor follows.
tmux_ send-keys -t "$alice" -l "spel it"
tmux_ send-keys -t "$alice" Left Left Left
expect_cursor_column "$alice" 12
tmux_ send-keys -t "$alice" -l "l"
tmux_ send-keys -t "$alice" Home
expect_cursor_column "$alice" 8
tmux_ send-keys -t "$alice" -l "I "
tmux_ send-keys -t "$alice" End
tmux_ send-keys -t "$alice" -l "!"
expect_last_lines "$alice" "#lobby> I spell it!"
tmux_ send-keys -t "$alice" Enter
expect_screen "$bob" "[lobby] alice: I spell it!"

# Down past the newest line gives back the one being typed before the walk; ^U erases it.
tmux_ send-keys -t "$alice" -l "a draft"
tmux_ send-keys -t "$alice" Up Up
expect_last_lines "$alice" "#lobby> hello bobby, ça va? again"
tmux_ send-keys -t "$alice" Down Down
expect_last_lines "$alice" "#lobby> a draft"
tmux_ send-keys -t "$alice" C-u
expect_last_lines "$alice" "#lobby>"

type_line "$bob" "/dm alice a secret"
expect_screen "$alice" "[dm] bobby: a secret"
expect_screen "$bob" "[dm → alice] bobby: a secret"

type_line "$alice" "/who"
expect_screen "$alice" "in lobby: alice, bobby"

type_line "$bob" "/join side"
expect_screen "$bob" "joined side"
expect_last_lines "$bob" "#side>"
type_line "$bob" "in the side room"
expect_screen "$bob" "[side] bobby: in the side room"

type_line "$alice" "/nonsense"
expect_screen "$alice" "commands: /join NAME"

# A message arriving while alice is half-way through a line prints above her prompt, which still shows what
# she typed, with the cursor where it was.
tmux_ send-keys -t "$alice" -l "half typed"
sleep 0.3
type_line "$bob" "/join lobby"
expect_screen "$bob" "joined lobby (2 here)"
type_line "$bob" "interrupting"
expect_screen "$alice" "[lobby] bobby: interrupting"
expect_last_lines "$alice" "[lobby] bobby: interrupting" "#lobby> half typed"
expect_cursor_column "$alice" 18
type_line "$alice" " and finished"
expect_screen "$bob" "[lobby] alice: half typed and finished"


# Rejoining shows the history with times, then a line between it and what is live.
history_then_live() {
  trimmed_pane "$bob" | grep -E '^[0-9]{2}:[0-9]{2} \[lobby\] alice: hello bobby, ça va\?$' >/dev/null &&
    trimmed_pane "$bob" | grep -F -- "------ live ------" >/dev/null
}
wait_for "bob's history has no times or no separator" history_then_live

# Idle for more than twice the server's idle timeout: the pings keep both connected, with nothing lost.
sleep 4
if pane "$alice" | grep -F "connection lost" >/dev/null || pane "$bob" | grep -F "connection lost" >/dev/null; then
  echo "FAIL: an idle client lost its connection"; dump_panes; exit 1
fi
type_line "$alice" "still here after a quiet moment"
expect_screen "$bob" "[lobby] alice: still here after a quiet moment"

type_line "$bob" "/quit"
expect_screen "$alice" "bobby went offline from lobby"
tmux_ kill-pane -t "$bob"

# The server stops (3001) and stays down through two failed retries; alice says she is reconnecting.
stop_server
expect_screen "$alice" "connection lost (closed by the server: 3001"
expect_screen "$alice" "reconnecting in 2 s"
wait_for "alice never retried twice" shows_line_times_prefix "$alice" "still no connection" 2
# Back on the same ports and data: carol says something while alice waits for her next retry (6 s or more away).
start_server "$http_port" "$tcp_port"
carol=$(tmux_ split-window -t "$alice" -v -P -F '#{pane_id}' \
  "$bin chat --server ws://127.0.0.1:$http_port --user carol --password carol-secret $client_flags; sleep 60")
expect_screen "$carol" "joined lobby"
type_line "$carol" "said while alice was away"
expect_screen "$carol" "[lobby] carol: said while alice was away"
expect_line_count "$alice" "back" 1
# Shown as missed history (with its time), not live: alice was away when carol said it.
expect_screen "$alice" "missed in lobby:"
missed_line_shown() { trimmed_pane "$alice" | grep -E '^[0-9]{2}:[0-9]{2} \[lobby\] carol: said while alice was away$' >/dev/null; }
wait_for "alice did not show carol's message as missed" missed_line_shown
type_line "$alice" "and I am back"
expect_screen "$carol" "[lobby] alice: and I am back"
type_line "$alice" "/quit"
expect_screen "$alice" "exit status 0"
echo "tmux chat test: 1 passed, 0 failed"
