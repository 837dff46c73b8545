// `guildhall bench turns`: N chess matches at once between pairs of guest players, each playing random legal
// moves after a think time; a finished match is replaced by a new one. Each player is one SDK client (polled every
// kPollPeriod by a client_pump). Measures durable moves a second (moves acknowledged: the server acknowledges only
// once a move is committed) and the time from sending a move to its acknowledgement, as the player's game sees it
// (so up to one poll period more than the socket does). Prints one JSON line.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <unistd.h>

#include "bench/bench_command.hpp"
#include "bench/client_pump.hpp"
#include "bench/percentile.hpp"
#include "bench/process_stats.hpp"
#include "bench/sdk_setup.hpp"
#include "bench/open_file_limit.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace sdk = guildhall::client;
using clock_type = std::chrono::steady_clock;

namespace {

// A move's acknowledgement waits at most this long in the socket; small beside the think time and the commit.
constexpr std::chrono::microseconds kPollPeriod{1000};
// Logins in flight at once while setting up (an HTTP call each), so that a thousand matches do not throw two
// thousand logins at the server in one burst.
constexpr unsigned kSigningInAtOnce = 64;

struct player {
  explicit player(const sdk::client_options& options, asio::io_context& io) : client(options), think(io) {}
  sdk::client client;
  asio::steady_timer think;
};

struct turns_run {
  const bench_options& options;
  asio::io_context io;
  std::vector<std::unique_ptr<player>> players;  // pair i: players[2i] creates, players[2i+1] joins
  client_pump pump{io, kPollPeriod};             // after the players: holds their clients
  std::mt19937_64 random{7};
  clock_type::time_point window_start, window_end;
  std::uint64_t acknowledged = 0;
  std::uint64_t refused = 0;
  std::uint64_t games_finished = 0;
  std::vector<double> latencies_ms;
  std::size_t next_sign_in = 0;
  unsigned signing_in = 0;
  unsigned ready = 0;
  bool failed = false;

  explicit turns_run(const bench_options& opts) : options(opts) {}

  bool measuring(clock_type::time_point t) const { return t >= window_start && t < window_end; }

  void fail_with(const std::string& what) {
    if (!failed) std::fprintf(stderr, "%s\n", what.c_str());
    failed = true;
  }

  void sign_in_more() {
    while (!failed && next_sign_in < players.size() && signing_in < kSigningInAtOnce) {
      const std::size_t index = next_sign_in++;
      ++signing_in;
      auto& client = players[index]->client;
      client.set_handlers(handlers(index));
      pump.add(client);
      sign_in(client, "cli-device-turns" + std::to_string(getpid()) + "x" + std::to_string(index),
              [this](result<void> in) {
                --signing_in;
                if (!in) return fail_with(in.error().message);
                ++ready;
                sign_in_more();
              });
    }
  }

  sdk::event_handlers handlers(std::size_t index) {
    sdk::event_handlers out;
    out.on_match_event = [this, index](const sdk::match_event& event) { on_event(index, event); };
    out.on_connection = [this](const sdk::connection_event& event) {
      if (event.what == sdk::connection_event::kind::disconnected) fail_with(said(event.error, "player disconnected"));
    };
    return out;
  }

  void start_match(std::size_t pair) {
    sdk::match_settings settings{.game = "chess", .seat = sdk::match_settings::seat_choice::first};
    players[2 * pair]->client.create_match(settings, [this, pair](sdk::client_result<sdk::match_snapshot> created) {
      if (!created) return fail_with(said(created.error(), "create match"));
      players[2 * pair + 1]->client.join_match(created->info.match_id,
                                               [this](sdk::client_result<sdk::match_snapshot> joined) {
                                                 if (!joined) fail_with(said(joined.error(), "join match"));
                                               });
    });
  }

  // Every match event of player `index`: when it is their move, think, then play a random legal move.
  void on_event(std::size_t index, const sdk::match_event& event) {
    using status = sdk::match_info::status;
    const auto& info = event.info;
    if (info.state == status::finished || info.state == status::aborted) {
      if (index % 2 == 0) {
        ++games_finished;
        start_match(index / 2);
      }
      return;
    }
    if (event.legal_moves.empty()) return;  // not this player's move
    std::string move = event.legal_moves[random() % event.legal_moves.size()];
    auto& timer = players[index]->think;
    timer.expires_after(std::chrono::milliseconds(options.think_ms));
    timer.async_wait([this, index, match_id = info.match_id, ply = info.ply, move = std::move(move)](
                         const boost::system::error_code& ec) {
      if (!ec) send_move(index, match_id, ply, move);
    });
  }

  void send_move(std::size_t index, std::uint64_t match_id, std::uint32_t ply, const std::string& move) {
    const auto sent = clock_type::now();
    players[index]->client.make_move(match_id, move, ply, [this, sent](sdk::client_result<sdk::move_record> done) {
      if (!done) {
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
  raise_open_file_limit();
  const auto sdk_opts = sdk_options(options);
  if (!sdk_opts) return 2;
  turns_run run(options);
  const std::size_t player_count = std::size_t{options.matches} * 2;
  for (std::size_t i = 0; i < player_count; ++i) run.players.push_back(std::make_unique<player>(*sdk_opts, run.io));
  run.sign_in_more();
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
  run.pump.stop();

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
