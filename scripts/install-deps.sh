#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing Guildhall needs.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the test suite needs (browser, tmux, node)
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libssl-dev
  libprotobuf-dev protobuf-compiler
  libsodium-dev libsqlite3-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libmsgpuck-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  procps ca-certificates
  stockfish
  libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
)
# prometheus: for promtool, which the integration tests run over a scrape of /metrics.
# xvfb, xauth: the SDL2 arena client's e2e test draws into a virtual X server (xvfb-run).
# iproute2, nftables: the black-box loss test (tests/e2e/netns_loss.sh) joins two network namespaces with a veth
# pair and drops packets at random with nftables (tc netem is not in every kernel).
# python3-*: the Python SDK (sdk/python) uses protobuf for the envelope and nacl for the UDP transport's encryption;
# pytest runs its tests, pygame its examples, and venv + pip + setuptools install it as a user would
# (`pip install ./sdk/python`, offline); mypy checks its type hints (ctest python.types).
test_packages=(tmux chromium curl python3 prometheus xvfb xauth iproute2 nftables
  python3-protobuf python3-nacl python3-pytest python3-pygame python3-venv python3-pip python3-setuptools mypy)

wanted=("${build_packages[@]}")
# Node and npm build the TypeScript SDK, which the web page loads (web/vendor/guildhall-client.js), and run the
# node tests. Node may come from another apt source (which bundles npm); only ask Debian when it is absent.
command -v node >/dev/null || wanted+=(nodejs)
command -v npm >/dev/null || wanted+=(npm)
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
fi

sudo_cmd=()
(( EUID == 0 )) || sudo_cmd=(sudo)

# The tests connect to "localhost" (host-name resolution, certificates made out to localhost). Every Debian install
# names it in /etc/hosts, but a minimal chroot or container may have no /etc/hosts at all: add the standard lines.
if [[ "${1:-}" == "--test" ]] && ! getent hosts localhost >/dev/null; then
  echo "install-deps: /etc/hosts does not name localhost; adding it"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' | "${sudo_cmd[@]}" tee -a /etc/hosts >/dev/null
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
