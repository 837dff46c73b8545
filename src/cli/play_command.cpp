// `guildhall play`: turn-based games in the terminal, on the C++ SDK. The SDK (and everything that draws) runs on
// a client_loop's thread; the main thread reads keys and lines from the terminal and posts them over.
#include <unistd.h>

#include <iostream>

#include "cli/client_loop.hpp"
#include "cli/client_setup.hpp"
#include "cli/commands.hpp"
#include "cli/play_session.hpp"

namespace guildhall::cli {

namespace {

// How long leaving may take (cancelling an open match is one request) before the client goes anyway.
constexpr auto kLeaveTimeout = std::chrono::seconds(3);

result<play_plan> make_plan(const play_options& options) {
  play_plan plan;
  plan.game = options.game;
  plan.against = parse_opponent(options.vs);
  plan.match_id = options.match_id;
  plan.rated = options.rated;
  plan.unicode = options.unicode;
  if (!options.time.empty()) {
    auto time_control = parse_time_control(options.time);
    if (!time_control) return std::unexpected(time_control.error());
    plan.clock = *time_control;
  }
  auto seat = parse_seat(options.seat);
  if (!seat) return std::unexpected(seat.error());
  plan.seat = *seat;
  if (plan.rated && plan.against.is == opponent::kind::bot) {
    return fail(errc::invalid_argument, "games against the bot are never rated: drop --rated");
  }
  return plan;
}

}  // namespace

int run_play(const play_options& options) {
  auto plan = make_plan(options);
  if (!plan) {
    std::cerr << plan.error().message << "\n";
    return 2;
  }
  auto client_options = client_options_from(options.server, options.connection, options.tls);
  if (!client_options) {
    std::cerr << client_options.error() << "\n";
    return 2;
  }

  // The loop first: the play session's clock timer runs on the loop's io_context and goes before it.
  client_loop loop;
  line_input input(line_input::editing::local);
  terminal_screen screen(input.edits_locally() && isatty(STDOUT_FILENO));
  play_session play(loop.io(), std::move(*plan), screen, input);
  auto finished = play.finished();
  input.on_edit([&](const std::string& typed, std::size_t cursor) {
    loop.post([&play, typed, cursor] { play.on_typed(typed, cursor); });
  });
  loop.start(std::move(*client_options),
             [&](client::client& net) { play.begin(net, options.user, options.password); });

  while (auto line = input.next_line()) {
    loop.post([&play, line = std::move(*line)] { play.on_line(line); });
  }
  loop.post([&play] { play.quit(); });
  const int exit_code = finished.wait_for(kLeaveTimeout) == std::future_status::ready ? finished.get() : 0;
  loop.stop();
  return exit_code;
}

}  // namespace guildhall::cli
