#include "cli/commands.hpp"

#include <cstdio>

namespace guildhall::cli {

void add_client_commands(CLI::App& app, command_set& commands) {
  auto* chat = app.add_subcommand("chat", "Terminal chat client");
  chat->add_option("--server", commands.chat.server, "Server URL: ws://HOST:PORT or tcp://HOST:PORT")->capture_default_str();
  chat->add_option("--user", commands.chat.user, "Username (a guest name is made up without --password)")->required();
  chat->add_option("--password", commands.chat.password, "Password: logs in, registering the account on first use");
  chat->add_option("--channel", commands.chat.channel, "Channel to join first")->capture_default_str();

  auto* bench = app.add_subcommand("bench", "Load generator for bench/run.sh");
  bench->add_option("scenario", commands.bench.scenario, "chat-fanout | idle | turns")->required();
  bench->add_option("--server", commands.bench.server, "Server URL")->capture_default_str();
  bench->add_option("--members", commands.bench.members, "chat-fanout: members in the channel")->capture_default_str();
  bench->add_option("--rate", commands.bench.rate, "chat-fanout: messages per second per member")->capture_default_str();
  bench->add_option("--seconds", commands.bench.seconds, "chat-fanout: measured seconds")->capture_default_str();
  bench->add_option("--warmup", commands.bench.warmup_seconds, "chat-fanout: unmeasured seconds first")->capture_default_str();
  bench->add_option("--connections", commands.bench.connections, "idle: connections to open")->capture_default_str();
  bench->add_option("--matches", commands.bench.matches, "turns: chess matches played at once")->capture_default_str();
  bench->add_option("--think-ms", commands.bench.think_ms, "turns: each player's pause before a move")->capture_default_str();
  bench->add_option("--server-pid", commands.bench.server_pid, "Server process to measure (CPU, memory)");
}

int run_client_command(const CLI::App& app, command_set& commands) {
  if (app.got_subcommand("chat")) return run_chat(commands.chat);
  if (app.got_subcommand("bench")) {
    if (commands.bench.scenario == "chat-fanout") return run_bench_chat_fanout(commands.bench);
    if (commands.bench.scenario == "idle") return run_bench_idle(commands.bench);
    if (commands.bench.scenario == "turns") return run_bench_turns(commands.bench);
    std::fprintf(stderr, "unknown scenario '%s' (chat-fanout, idle, turns)\n", commands.bench.scenario.c_str());
    return 2;
  }
  return 2;
}

}  // namespace guildhall::cli
