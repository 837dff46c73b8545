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
A lost connection or a server restart is retried ("connection lost ..., reconnecting in 2 s", then
"back online"), and the game goes on in place with the moves played meanwhile.
Without --password you play as a guest: the server names you (guest-...), the same name for the
same --user each time.)";

constexpr const char* kServerHelp =
    "Server URL: ws://HOST:PORT, tcp://HOST:PORT or udp://HOST:PORT (wss://, tls://, udps:// with TLS)";

void add_connection_flags(CLI::App* command, connection_flags& flags) {
  command->add_option("--timeout-ms", flags.timeout_ms, "Give up a connect, TLS or WebSocket handshake, or login after this long")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();
  command->add_option("--request-timeout-ms", flags.request_timeout_ms, "Give up waiting for an answer after this long")
      ->check(CLI::Range(1u, 3'600'000u))
      ->capture_default_str();
  command->add_option("--ping-interval-ms", flags.ping_interval_ms,
                      "Ping the server after this long without sending (keeps an idle connection open and "
                      "finds a dead one)")
      ->check(CLI::Range(100u, 3'600'000u))
      ->capture_default_str();
}

}  // namespace

void add_client_commands(CLI::App& app, command_set& commands) {
  auto* chat = app.add_subcommand("chat", "Terminal chat client");
  chat->add_option("--server", commands.chat.server, kServerHelp)->capture_default_str();
  chat->add_option("--user", commands.chat.user, "Username (a guest name is made up without --password)")->required();
  chat->add_option("--password", commands.chat.password, "Password: logs in, registering the account on first use");
  chat->add_option("--channel", commands.chat.channel, "Channel to join first")->capture_default_str();
  add_connection_flags(chat, commands.chat.connection);
  add_tls_flags(chat, commands.chat.tls);

  auto* play = app.add_subcommand("play", "Play a turn-based game (chess, tictactoe) in the terminal");
  play->add_option("game", commands.play.game, "chess | tictactoe")->required();
  play->add_option("--server", commands.play.server, kServerHelp)->capture_default_str();
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
  add_connection_flags(play, commands.play.connection);
  add_tls_flags(play, commands.play.tls);
  play->footer(kPlayHelp);
}

int run_client_command(const CLI::App& app, command_set& commands) {
  if (app.got_subcommand("chat")) return run_chat(commands.chat);
  if (app.got_subcommand("play")) return run_play(commands.play);
  return 2;
}

}  // namespace guildhall::cli
