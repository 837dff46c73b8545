#pragma once
// `guildhall bench <scenario>`: the load generator behind bench/run.sh. A library of its own so that the
// scenarios, and the Colyseus client they measure the peer with, stay out of the server's code.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "client/server_url.hpp"

namespace guildhall::bench {

struct bench_options {
  std::string scenario;
  std::string server = "ws://127.0.0.1:9700";
  std::string peer = "guildhall";  // chat-fanout: the server under test, guildhall or colyseus
  unsigned members = 200;
  double rate = 5;
  double seconds = 10;
  double warmup_seconds = 2;
  unsigned connections = 10000;
  unsigned matches = 1000;
  unsigned think_ms = 150;
  unsigned rooms = 100;   // arena
  unsigned players = 8;   // arena, per room
  int hz = 20;            // arena: the rooms' tick rate and each player's input rate
  unsigned echo_clients = 64;  // udp-echo: clients of the in-process transport
  double echo_rate = 200;      // udp-echo: messages a second per client
  double plain_seconds = 3;    // udp-echo: length of the plain sendmmsg/recvmmsg loop
  int server_pid = 0;
  client::tls_options tls;  // --ca-file, --insecure (a wss:// or tls:// --server)
};

// The --server URL with the TLS flags (--ca-file, --insecure) applied, or nullopt with the reason printed.
std::optional<client::server_url> target_server(const bench_options& options);

// Adds the `bench` sub-command to `app`; `options` must outlive the parse.
void add_bench_command(CLI::App& app, bench_options& options);
// Runs the parsed scenario; the process exit status.
int run_bench_command(const bench_options& options);

int run_bench_chat_fanout(const bench_options& options);
int run_bench_idle(const bench_options& options);
int run_bench_turns(const bench_options& options);
int run_bench_arena(const bench_options& options);
int run_bench_udp_echo(const bench_options& options);

}  // namespace guildhall::bench
