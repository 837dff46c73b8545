// `guildhall bench turns`: N chess matches at once between pairs of guest players, each playing random legal
// moves after a think time; a finished match is replaced by a new one. Measures durable moves a second (moves
// acknowledged: the server acknowledges only once a move is committed) and the time from sending a move to its
// acknowledgement. Prints one JSON line.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <unistd.h>

#include "bench/bench_command.hpp"
#include "bench/percentile.hpp"
#include "bench/process_stats.hpp"
#include "cli/session_login.hpp"
#include "client/client_connection.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace v1 = wire::v1;
using clock_type = std::chrono::steady_clock;

namespace {

struct player {
  std::shared_ptr<client::client_connection> connection;
  std::unique_ptr<asio::steady_timer> think;
};

struct turns_run {
  const bench_options& options;
  asio::io_context io;
  std::vector<player> players;  // pair i: players[2i] creates, players[2i+1] joins
  std::mt19937_64 random{7};
  clock_type::time_point window_start, window_end;
  std::uint64_t acknowledged = 0;
  std::uint64_t refused = 0;
  std::uint64_t games_finished = 0;
  std::vector<double> latencies_ms;
  unsigned ready = 0;
  bool failed = false;

  explicit turns_run(const bench_options& opts) : options(opts) {}

  bool measuring(clock_type::time_point t) const { return t >= window_start && t < window_end; }

  void start_match(std::size_t pair) {
    v1::Envelope create;
    create.mutable_create_match()->set_game("chess");
    create.mutable_create_match()->set_seat(v1::SEAT_FIRST);
    players[2 * pair].connection->request(create, [this, pair](const v1::Envelope& reply) {
      if (!reply.has_match_snapshot()) return fail_with("create", reply);
      v1::Envelope join;
      join.mutable_join_match()->set_match_id(reply.match_snapshot().info().match_id());
      players[2 * pair + 1].connection->request(join, [this](const v1::Envelope& joined) {
        if (!joined.has_match_snapshot()) fail_with("join", joined);
      });
    });
  }

  void fail_with(const char* what, const v1::Envelope& reply) {
    std::fprintf(stderr, "%s failed: %s\n", what, reply.ShortDebugString().c_str());
    failed = true;
  }

  // Every push to player `index`: when it is their move, think, then play a random legal move.
  void on_push(std::size_t index, const v1::Envelope& push) {
    if (!push.has_match_event()) return;
    const auto& event = push.match_event();
    const auto& info = event.info();
    if (info.status() == v1::MatchInfo::FINISHED || info.status() == v1::MatchInfo::ABORTED) {
      if (index % 2 == 0) {
        ++games_finished;
        start_match(index / 2);
      }
      return;
    }
    if (event.legal_moves_size() == 0) return;  // not this player's move
    std::string move = event.legal_moves(static_cast<int>(random() % static_cast<std::uint64_t>(event.legal_moves_size())));
    auto& timer = *players[index].think;
    timer.expires_after(std::chrono::milliseconds(options.think_ms));
    timer.async_wait([this, index, match_id = info.match_id(), ply = info.ply(), move = std::move(move)](
                         const boost::system::error_code& ec) {
      if (!ec) send_move(index, match_id, ply, move);
    });
  }

  void send_move(std::size_t index, std::uint64_t match_id, std::uint32_t ply, const std::string& move) {
    v1::Envelope request;
    request.mutable_make_move()->set_match_id(match_id);
    request.mutable_make_move()->set_move(move);
    request.mutable_make_move()->set_ply(ply);
    const auto sent = clock_type::now();
    players[index].connection->request(request, [this, sent](const v1::Envelope& reply) {
      if (!reply.has_move_accepted()) {
        ++refused;
        return;
      }
      if (!measuring(sent)) return;
      ++acknowledged;
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - sent).count());
    });
  }
};

}  // namespace

int run_bench_turns(const bench_options& options) {
  cli::raise_open_file_limit();
  auto url = target_server(options);
  if (!url) return 2;
  turns_run run(options);
  const std::size_t player_count = std::size_t{options.matches} * 2;
  for (std::size_t i = 0; i < player_count; ++i) {
    auto session = cli::log_in(*url, "turns" + std::to_string(getpid()) + "x" + std::to_string(i), "");
    if (!session) return std::fprintf(stderr, "login failed: %s\n", session.error().message.c_str()), 1;
    auto connection = std::make_shared<client::client_connection>(run.io, *url);
    connection->on_push([&run, i](const v1::Envelope& push) { run.on_push(i, push); });
    connection->on_closed([&run](const std::string& reason) {
      std::fprintf(stderr, "player disconnected: %s\n", reason.c_str());
      run.failed = true;
    });
    connection->connect([&run, connection, token = session->token()](result<void> connected) {
      if (!connected) {
        std::fprintf(stderr, "%s\n", connected.error().message.c_str());
        run.failed = true;
        return;
      }
      v1::Envelope hello;
      hello.mutable_authenticate()->set_token(token);
      connection->request(hello, [&run](const v1::Envelope& reply) {
        if (!reply.has_authenticated()) run.failed = true;
        ++run.ready;
      });
    });
    run.players.push_back(player{std::move(connection), std::make_unique<asio::steady_timer>(run.io)});
  }
  while (run.ready < player_count && !run.failed) run.io.run_one();
  if (run.failed) return std::fprintf(stderr, "setup failed\n"), 1;

  const auto start = clock_type::now();
  run.window_start = start + std::chrono::milliseconds(static_cast<std::int64_t>(options.warmup_seconds * 1000));
  run.window_end = run.window_start + std::chrono::milliseconds(static_cast<std::int64_t>(options.seconds * 1000));
  for (std::size_t pair = 0; pair < options.matches; ++pair) run.start_match(pair);

  process_stats at_start, at_end;
  asio::steady_timer mark(run.io);
  mark.expires_at(run.window_start);
  mark.async_wait([&](const boost::system::error_code&) {
    at_start = read_process_stats(options.server_pid);
    mark.expires_at(run.window_end);
    mark.async_wait([&](const boost::system::error_code&) { at_end = read_process_stats(options.server_pid); });
  });
  // Acknowledgements of moves sent in the window may land a little after it.
  run.io.run_until(run.window_end + std::chrono::seconds(1));

  const double cpu_s = at_end.cpu_seconds - at_start.cpu_seconds;
  std::printf(
      "{\"server\":\"guildhall\",\"scenario\":\"turns\",\"matches\":%u,\"think_ms\":%u,\"seconds\":%g,"
      "\"durable_moves_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"server_cpu_us_per_move\":%.2f,"
      "\"games_finished\":%llu,\"refused\":%llu}\n",
      options.matches, options.think_ms, options.seconds, static_cast<double>(run.acknowledged) / options.seconds,
      percentile(run.latencies_ms, 0.5), percentile(run.latencies_ms, 0.99),
      run.acknowledged ? cpu_s * 1e6 / static_cast<double>(run.acknowledged) : 0.0,
      static_cast<unsigned long long>(run.games_finished), static_cast<unsigned long long>(run.refused));
  return run.failed ? 1 : 0;
}

}  // namespace guildhall::bench
