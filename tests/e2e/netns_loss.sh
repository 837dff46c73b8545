#!/usr/bin/env bash
# Black-box loss: `guildhall serve` in one network namespace, the UDP clients of the integration test
# BadNetwork.ChatArrivesExactlyOnceInOrderFromAnExternalServer in another, joined by a veth pair on which
# nftables drops 5% of the UDP packets at random in each direction (`numgen random mod 100 < 5`; tc netem is not
# in this kernel). No impairment layer is involved: the loss is the kernel's. The test passes when every reliable
# chat message arrives exactly once and in order and both connections hold; the drop counters are printed.
# Only UDP is dropped: the transport under test is UDP, and the HTTP login and connect-token calls (TCP) would only
# add retransmission waits.
#
# Needs root and working network namespaces (and nf_tables); otherwise it SKIPs with exit code 77 (ctest's
# SKIP_RETURN_CODE), with the reason on stdout. Everything it creates is removed on exit (trap).
# Usage: netns_loss.sh GUILDHALL_BIN INTEGRATION_TESTS_BIN
set -euo pipefail
bin=$1
tests=$2
readonly kLossPercent=5
tag=$$  # names unique to this run: two runs (or two checkouts) do not collide
srv_ns=gh-srv-$tag
cli_ns=gh-cli-$tag
srv_if=ghs$tag  # interface names: at most 15 characters
cli_if=ghc$tag
srv_ip=10.231.$((tag % 250)).1
cli_ip=10.231.$((tag % 250)).2
work=$(mktemp -d -t guildhall-netns.XXXXXX)
server_pid=""

skip() {
  echo "SKIP: $*"
  exit 77
}
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  # Deleting a namespace deletes the veth end inside it, and with it the peer.
  ip netns del "$cli_ns" 2>/dev/null || true
  ip netns del "$srv_ns" 2>/dev/null || true
  ip link del "$srv_if" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces (run as root, e.g. in CI)"
command -v ip >/dev/null || skip "ip (iproute2) is not installed: scripts/install-deps.sh --test"
command -v nft >/dev/null || skip "nft (nftables) is not installed: scripts/install-deps.sh --test"
ip netns add "$srv_ns" 2>"$work/err" || skip "ip netns is not permitted here: $(cat "$work/err")"
ip netns add "$cli_ns" 2>"$work/err" || skip "ip netns is not permitted here: $(cat "$work/err")"
ip netns exec "$srv_ns" true 2>"$work/err" || skip "ip netns exec is not permitted here: $(cat "$work/err")"
ip link add "$srv_if" type veth peer name "$cli_if" 2>"$work/err" || skip "no veth pairs here: $(cat "$work/err")"
ip link set "$srv_if" netns "$srv_ns"
ip link set "$cli_if" netns "$cli_ns"
ip -n "$srv_ns" addr add "$srv_ip/24" dev "$srv_if"
ip -n "$cli_ns" addr add "$cli_ip/24" dev "$cli_if"
for ns in "$srv_ns" "$cli_ns"; do
  ip -n "$ns" link set lo up
done
ip -n "$srv_ns" link set "$srv_if" up
ip -n "$cli_ns" link set "$cli_if" up

# Each namespace drops kLossPercent of the UDP packets arriving on its veth end: both directions are lossy.
drop_rules() {
  cat <<EOF
table inet guildhall_loss {
  chain input {
    type filter hook input priority 0; policy accept;
    iifname "$1" meta l4proto udp numgen random mod 100 < $kLossPercent counter drop
  }
}
EOF
}
drop_rules "$srv_if" | ip netns exec "$srv_ns" nft -f - 2>"$work/err" || skip "nftables is not usable here: $(cat "$work/err")"
drop_rules "$cli_if" | ip netns exec "$cli_ns" nft -f - 2>"$work/err" || skip "nftables is not usable here: $(cat "$work/err")"

ip netns exec "$srv_ns" "$bin" serve --data "$work/data" --host "$srv_ip" --http-port 9700 --tcp-port 9701 \
  --udp-port 9702 --log-level "${GUILDHALL_NETNS_LOG:-warn}" --set chat.messages_per_second=1000 --set chat.message_burst=1000 \
  >"$work/out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q "UDP:" "$work/out" 2>/dev/null && break; sleep 0.1; done
grep -q "UDP:" "$work/out" || { echo "FAIL: the server did not start"; cat "$work/out" "$work/server.err"; exit 1; }

status=0
ip netns exec "$cli_ns" env GUILDHALL_BADNET_SERVER="$srv_ip:9700:9702" "$tests" \
  --gtest_filter='BadNetwork.ChatArrivesExactlyOnceInOrderFromAnExternalServer' \
  | tee "$work/client" || status=$?

dropped() { ip netns exec "$1" nft list table inet guildhall_loss | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }
echo "netns_loss: nftables dropped $(dropped "$srv_ns") UDP packets on the way to the server, $(dropped "$cli_ns") on the way to the client"
grep -q "\[  PASSED  \] 1 test" "$work/client" || status=1
grep -q "\[  SKIPPED \]" "$work/client" && { echo "FAIL: the client test skipped"; status=1; }
kill -0 "$server_pid" 2>/dev/null || { echo "FAIL: the server died"; cat "$work/server.err"; status=1; }
[[ $status -eq 0 ]] && echo "netns_loss: OK" || { echo "netns_loss: FAIL; the server said:"; tail -20 "$work/server.err"; }
exit $status
