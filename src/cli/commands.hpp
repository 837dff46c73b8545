#pragma once
// The client-side sub-commands of the guildhall binary: `chat` (terminal chat), `play` (turn-based games in the
// terminal) and `bench` (load generator).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "client/server_url.hpp"

namespace guildhall::cli {

struct chat_options {
  std::string server = "ws://127.0.0.1:9700";
  std::string user;
  std::string password;
  std::string channel = "lobby";
  client::tls_options tls;  // --ca-file, --insecure (wss:// and tls:// servers)
};

struct play_options {
  std::string game;
  std::string server = "ws://127.0.0.1:9700";
  std::string user;
  std::string password;
  std::string vs = "open";
  std::uint64_t match_id = 0;
  std::string time;  // empty: any when joining, the game's default when creating
  std::string seat = "any";
  bool rated = false;
  bool unicode = false;
  client::tls_options tls;
};

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
  int server_pid = 0;
  client::tls_options tls;
};

struct command_set {
  chat_options chat;
  play_options play;
  bench_options bench;
};

void add_client_commands(CLI::App& app, command_set& commands);
int run_client_command(const CLI::App& app, command_set& commands);

int run_chat(const chat_options& options);
int run_play(const play_options& options);
int run_bench_chat_fanout(const bench_options& options);
int run_bench_idle(const bench_options& options);
int run_bench_turns(const bench_options& options);

}  // namespace guildhall::cli
