#!/usr/bin/env bash
# The terminal client as a person uses it: two `guildhall chat` sessions in tmux panes against a real server,
# typing with send-keys and reading the screens with capture-pane.
# Usage: tmux_chat.sh PATH/TO/guildhall
set -euo pipefail
bin=$1
socket="guildhall-test-$$"
source "$(dirname "$0")/tmux_harness.sh"

tmux_ new-session -d -s chat -x 160 -y 40 \
  "$bin chat --server ws://127.0.0.1:$http_port --user alice --password alice-secret; sleep 30"
tmux_ split-window -t chat -v \
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
tmux_ send-keys -t "$alice" -l "half typed"
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
