#include "bench/bench_command.hpp"

#include <cstdio>

#include "cli/commands.hpp"

namespace guildhall::bench {

namespace {

constexpr const char* kUdpEchoHelp =
    "udp-echo (no --server: it runs everything in this process) measures the UDP transport against the kernel.\n"
    "  1. Plain loop, --plain-seconds: one thread sends 120-byte datagrams in sendmmsg batches of 32 to a loopback\n"
    "     socket, pinned to CPU 0; another drains it with recvmmsg batches of 32, on CPU 1. Each thread's CPU clock\n"
    "     gives the kernel's cost of sending and of receiving one datagram (plain_us_per_packet: the two summed).\n"
    "  2. Transport, --seconds after --warmup: the server's net::udp_transport on one shard (thread pinned to CPU 0;\n"
    "     handshake, encryption, message layer, batched recvmmsg/sendmmsg) with a handler that sends every message\n"
    "     back unreliably; --clients SDK udp_client_connections on CPU 1 each send --echo-rate 120-byte messages a\n"
    "     second, unreliably. The shard thread's CPU clock over the window, per echo and per datagram (the\n"
    "     transport's own counters, guildhall_udp_datagrams_total); transport_over_plain divides it by what the plain\n"
    "     loop's kernel work would be for the same datagrams (received x receive cost + sent x send cost; target: at\n"
    "     most 2). client_cpu_pct near 100 means the clients, not the server, were the limit.";

}  // namespace

std::optional<client::server_url> target_server(const bench_options& options) {
  auto url = client::parse_server_url(options.server);
  if (!url) {
    std::fprintf(stderr, "%s\n", url.error().message.c_str());
    return std::nullopt;
  }
  url->tls = options.tls;
  return std::move(*url);
}

void add_bench_command(CLI::App& app, bench_options& options) {
  auto* bench = app.add_subcommand("bench", "Load generator for bench/run.sh");
  bench->add_option("scenario", options.scenario, "chat-fanout | idle | turns | arena | udp-echo")->required();
  bench->footer(kUdpEchoHelp);
  bench->add_option("--server", options.server, "Server URL")->capture_default_str();
  cli::add_tls_flags(bench, options.tls);
  bench->add_option("--peer", options.peer,
                    "chat-fanout: the server under test, guildhall or colyseus (a Colyseus 0.16 server such as "
                    "bench/peers/colyseus/server.js, at --server ws://IP:PORT)")
      ->check(CLI::IsMember({"guildhall", "colyseus"}))
      ->capture_default_str();
  bench->add_option("--members", options.members, "chat-fanout: members in the channel")->capture_default_str();
  bench->add_option("--rate", options.rate, "chat-fanout: messages per second per member")->capture_default_str();
  bench->add_option("--seconds", options.seconds, "chat-fanout, arena: measured seconds")->capture_default_str();
  bench->add_option("--warmup", options.warmup_seconds, "chat-fanout, arena: unmeasured seconds first")->capture_default_str();
  bench->add_option("--connections", options.connections, "idle: connections to open")->capture_default_str();
  bench->add_option("--matches", options.matches, "turns: chess matches played at once")->capture_default_str();
  bench->add_option("--think-ms", options.think_ms, "turns: each player's pause before a move")->capture_default_str();
  bench->add_option("--rooms", options.rooms, "arena: rooms")->capture_default_str();
  bench->add_option("--players", options.players, "arena: bot players per room")->capture_default_str();
  bench->add_option("--hz", options.hz, "arena: tick rate of the rooms and input rate of the players (1..128)")
      ->capture_default_str();
  bench->add_option("--clients", options.echo_clients, "udp-echo: UDP clients")->capture_default_str();
  bench->add_option("--echo-rate", options.echo_rate, "udp-echo: messages a second per client")->capture_default_str();
  bench->add_option("--plain-seconds", options.plain_seconds, "udp-echo: seconds of the plain sendmmsg loop")
      ->capture_default_str();
  bench->add_option("--server-pid", options.server_pid, "Server process to measure (CPU, memory)");
}

int run_bench_command(const bench_options& options) {
  if (options.scenario == "chat-fanout") return run_bench_chat_fanout(options);
  if (options.scenario == "idle") return run_bench_idle(options);
  if (options.scenario == "turns") return run_bench_turns(options);
  if (options.scenario == "arena") return run_bench_arena(options);
  if (options.scenario == "udp-echo") return run_bench_udp_echo(options);
  std::fprintf(stderr, "unknown scenario '%s' (chat-fanout, idle, turns, arena, udp-echo)\n", options.scenario.c_str());
  return 2;
}

}  // namespace guildhall::bench
