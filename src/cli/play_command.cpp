// `guildhall play`: turn-based games in the terminal, on the C++ SDK. The network (and everything that draws)
// runs on its own thread; the main thread reads keys and lines from the terminal and posts them over.
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/play_session.hpp"
#include "cli/session_login.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;

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
    plan.time_control = *time_control;
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
  auto login = sign_in(options.server, options.user, options.password, options.connection.timeout_ms, options.tls);
  if (!login) return login.error();

  asio::io_context io;
  line_input input(line_input::editing::local);
  terminal_screen screen(input.edits_locally() && isatty(STDOUT_FILENO));
  play_session play(io, std::move(*plan), screen, input);
  auto session = std::make_shared<client::session>(
      io, login->url, login->session, session_options_from(options.connection),
      events_for(play));
  play.attach(session);
  auto finished = play.finished();
  input.on_edit([&](const std::string& typed, std::size_t cursor) {
    asio::post(io, [&play, typed, cursor] { play.on_typed(typed, cursor); });
  });
  asio::post(io, [&] { session->start(); });
  auto keep_running = asio::make_work_guard(io);
  std::thread network([&] { io.run(); });

  while (auto line = input.next_line()) {
    asio::post(io, [&play, line = std::move(*line)] { play.on_line(line); });
  }
  asio::post(io, [&play] { play.quit(); });
  const int exit_code = finished.wait_for(kLeaveTimeout) == std::future_status::ready ? finished.get() : 0;
  asio::post(io, [&] { session->close(); });
  keep_running.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the close frame go out
  io.stop();
  network.join();
  return exit_code;
}

}  // namespace guildhall::cli
