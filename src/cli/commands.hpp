#pragma once
// The client-side sub-commands of the guildhall binary: `chat` (terminal chat) and `play` (turn-based games in
// the terminal). The load generator, `bench`, is a library of its own (src/bench/).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "client/server_url.hpp"

namespace guildhall::cli {

// How long chat and play wait, and how often they ping: client::connection_options from the command line.
struct connection_flags {
  std::uint32_t timeout_ms = 5000;           // connect, TLS and WebSocket handshakes, HTTP login: each step
  std::uint32_t request_timeout_ms = 15000;  // one request's answer
  std::uint32_t ping_interval_ms = 20000;    // a Ping after this long without sending; the server's idle limit is 60 s
};

struct chat_options {
  std::string server = "ws://127.0.0.1:9700";
  connection_flags connection;
  std::string user;
  std::string password;
  std::string channel = "lobby";
  client::tls_options tls;  // --ca-file, --insecure (wss:// and tls:// servers)
};

struct play_options {
  std::string game;
  std::string server = "ws://127.0.0.1:9700";
  connection_flags connection;
  std::string user;
  std::string password;
  std::string vs = "open";
  std::uint64_t match_id = 0;
  std::string time;  // empty: any when joining, the game's default when creating
  std::string seat = "any";
  bool rated = false;
  bool unicode = false;
  client::tls_options tls;  // --ca-file, --insecure (wss:// and tls:// servers)
};

struct command_set {
  chat_options chat;
  play_options play;
};

// --ca-file and --insecure: how a client checks a wss:// or tls:// server's certificate (chat, play, bench).
void add_tls_flags(CLI::App* command, client::tls_options& tls);
void add_client_commands(CLI::App& app, command_set& commands);
int run_client_command(const CLI::App& app, command_set& commands);

int run_chat(const chat_options& options);
int run_play(const play_options& options);

}  // namespace guildhall::cli
