#!/usr/bin/env bash
# What a game developer does with the SDK: install it (into a temporary prefix, never /usr or the build tree),
# build a program against the installed package in its own CMake project, and run it against a real server.
# Usage: consumer_test.sh <build dir> <consumer source dir> <guildhall binary> <cmake> [<example dir>...]
# Each example dir (examples/sdk-chat) is configured and built against the same install, so none can rot.
set -euo pipefail
build=$1 consumer=$2 bin=$3 cmake=${4:-cmake}
shift 4 || shift $#
examples=("$@")
work=$(mktemp -d -t guildhall-sdk-consumer.XXXXXX)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$cmake" --install "$build" --prefix "$work/prefix" --component guildhall-client >"$work/install.log"
test -f "$work/prefix/include/guildhall/client.hpp"
test -f "$work/prefix/lib/cmake/guildhall-client/guildhall-clientConfigVersion.cmake"
# Only the SDK: no server headers, no internal ones.
if [[ -e "$work/prefix/include/guildhall/room.hpp" || -e "$work/prefix/bin" ]]; then
  echo "the SDK component installed more than the SDK"; find "$work/prefix"; exit 1
fi

"$cmake" -S "$consumer" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$work/consumer" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
for example in ${examples[@]+"${examples[@]}"}; do
  out="$work/example-$(basename "$example")"
  "$cmake" -S "$example" -B "$out" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >"$out.log" 2>&1 \
    && "$cmake" --build "$out" >>"$out.log" 2>&1 || { echo "example $example does not build:"; cat "$out.log"; exit 1; }
done
# The program links the installed library, not the build tree's.
ldd "$work/consumer/sdk_consumer" | grep "$work/prefix/lib/libguildhall-client.so" >/dev/null \
  || { echo "sdk_consumer does not load the installed library:"; ldd "$work/consumer/sdk_consumer"; exit 1; }

"$bin" serve --data "$work/data" --host 127.0.0.1 --http-port 0 --tcp-port 0 --log-level warn \
  >"$work/out" 2>>"$work/err" &
server_pid=$!
for _ in $(seq 100); do grep -q "native TCP" "$work/out" 2>/dev/null && break; sleep 0.1; done
http_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
[[ -n "$http_port" ]] || { echo "server did not start"; cat "$work/err"; exit 1; }

"$work/consumer/sdk_consumer" "ws://127.0.0.1:$http_port/ws"
