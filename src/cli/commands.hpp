#pragma once
// The client-side sub-commands of the guildhall binary: `chat` (terminal chat) and `play` (turn-based games in
// the terminal). The load generator, `bench`, is a library of its own (src/bench/).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>


namespace guildhall::cli {

// How long chat and play wait, and how often they ping: the SDK's client_options from the command line.
struct connection_flags {
  std::uint32_t timeout_ms = 5000;           // connect, TLS and WebSocket handshakes, HTTP login: each step
  std::uint32_t request_timeout_ms = 15000;  // one request's answer
  std::uint32_t ping_interval_ms = 20000;    // a Ping after this long without sending; the server's idle limit is 60 s
};

// --ca-file and --insecure: how a client checks a wss:// or tls:// server's certificate.
struct tls_flags {
  std::string ca_file;    // PEM file of certificates to trust as well (a self-signed development certificate)
  bool insecure = false;  // development only: accept any certificate
};

struct chat_options {
  std::string server = "ws://127.0.0.1:9700";
  connection_flags connection;
  std::string user;
  std::string password;
  std::string channel = "lobby";
  tls_flags tls;
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
  tls_flags tls;
};

struct command_set {
  chat_options chat;
  play_options play;
};

// --ca-file and --insecure on `command`, into any settings with those two fields: tls_flags (chat, play) or the
// load generator's own.
template <typename Tls>
void add_tls_flags(CLI::App* command, Tls& tls) {
  command->add_option("--ca-file", tls.ca_file, "wss:// and tls://: also trust the certificates in this PEM file "
                                                "(a self-signed development certificate)");
  command->add_flag("--insecure", tls.insecure, "wss:// and tls://: accept any server certificate (development only: "
                                                "encrypted but not authenticated)");
}
void add_client_commands(CLI::App& app, command_set& commands);
int run_client_command(const CLI::App& app, command_set& commands);

int run_chat(const chat_options& options);
int run_play(const play_options& options);

}  // namespace guildhall::cli
