#include "cli/commands.hpp"

#include <cstdio>

namespace guildhall::cli {
namespace {

constexpr const char* kPlayHelp = R"(
Whom you play (--vs):
  open  (the default) join the oldest open match of the game that someone else created and that fits
        --time and --rated; when there is none, create one and wait for an opponent.
  bot   play the server's bot (never rated).
  USER  when USER has invited you, accept by joining their match; else create a match only USER may
        join, and wait. USER is notified.
  With bot or USER, an unfinished match you already have against them is resumed, not doubled.
--match ID resumes one of your matches (after /quit or a lost connection: the server keeps the game),
joins an open match that has a seat for you, or watches anyone else's match.

At the prompt (the board redraws as the opponent moves; what you are typing stays):
  a move    chess: UCI (e2e4, e7e8q) or SAN (Nf3, exd5, O-O); tictactoe: an empty cell's number, 0-8
  /draw     offer a draw, or accept the offer your opponent made
  /decline  refuse a draw offer
  /resign   give up the game (type it twice)
  /abort    cancel the game before both players have moved
  /moves    list your legal moves
  /help     these commands
  /quit     leave (also ^C, ^D). A game in progress goes on and so does your clock: come back with
            --match ID. An open match you were waiting in is cancelled; an invitation stays open.
Without --password you play as a guest: the server names you (guest-...), the same name for the
same --user each time.)";

// How a client checks a wss:// or tls:// server's certificate (client::tls_options).
void add_tls_flags(CLI::App* command, client::tls_options& tls) {
  command->add_option("--ca-file", tls.ca_file, "wss:// and tls://: also trust the certificates in this PEM file "
                                                "(a self-signed development certificate)");
  command->add_flag("--insecure", tls.insecure, "wss:// and tls://: accept any server certificate (development only: "
                                                "encrypted but not authenticated)");
}

}  // namespace

void add_client_commands(CLI::App& app, command_set& commands) {
  auto* chat = app.add_subcommand("chat", "Terminal chat client");
  chat->add_option("--server", commands.chat.server, "Server URL: ws://HOST:PORT or tcp://HOST:PORT (wss://, tls:// over TLS)")->capture_default_str();
  chat->add_option("--user", commands.chat.user, "Username (a guest name is made up without --password)")->required();
  chat->add_option("--password", commands.chat.password, "Password: logs in, registering the account on first use");
  chat->add_option("--channel", commands.chat.channel, "Channel to join first")->capture_default_str();
  add_tls_flags(chat, commands.chat.tls);

  auto* play = app.add_subcommand("play", "Play a turn-based game (chess, tictactoe) in the terminal");
  play->add_option("game", commands.play.game, "chess | tictactoe")->required();
  play->add_option("--server", commands.play.server, "Server URL: ws://HOST:PORT or tcp://HOST:PORT (wss://, tls:// over TLS)")->capture_default_str();
  play->add_option("--user", commands.play.user, "Username (a guest name is made up without --password)")->required();
  play->add_option("--password", commands.play.password, "Password: logs in, registering the account on first use");
  auto* vs = play->add_option("--vs", commands.play.vs, "open | bot | USER (see below)")->capture_default_str();
  play->add_option("--match", commands.play.match_id, "Resume, join or watch this match")->excludes(vs);
  play->add_option("--time", commands.play.time,
                   "Clock: MINUTES each + SECONDS added per move (5+3), or 0 for none. Without it new matches get "
                   "10+5 (chess) or 1+0 (tictactoe), and --vs open joins any clock");
  play->add_option("--seat", commands.play.seat, "For a new match: any, first (white, X) or second (black, O)")
      ->capture_default_str();
  play->add_flag("--rated", commands.play.rated, "A rated match (ratings change when it ends); not with the bot");
  play->add_flag("--unicode", commands.play.unicode, "Chess pieces as symbols instead of letters");
  add_tls_flags(play, commands.play.tls);
  play->footer(kPlayHelp);

  auto* bench = app.add_subcommand("bench", "Load generator for bench/run.sh");
  bench->add_option("scenario", commands.bench.scenario, "chat-fanout | idle | turns")->required();
  bench->add_option("--server", commands.bench.server, "Server URL")->capture_default_str();
  add_tls_flags(bench, commands.bench.tls);
  bench->add_option("--peer", commands.bench.peer,
                    "chat-fanout: the server under test, guildhall or colyseus (a Colyseus 0.16 server such as "
                    "bench/peers/colyseus/server.js, at --server ws://IP:PORT)")
      ->check(CLI::IsMember({"guildhall", "colyseus"}))
      ->capture_default_str();
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
  if (app.got_subcommand("play")) return run_play(commands.play);
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
