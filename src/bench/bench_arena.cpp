// `guildhall bench arena`: K arena rooms of P headless bot clients (bench/run.sh arena). Player 0 of each room
// creates it (bots=0, tick_hz=--hz) and the others join it by id; then every player sends one input per tick
// period, on its own timer with a random phase, and decodes every snapshot (arena_player.hpp: one SDK client each,
// polled every kPollPeriod by a client_pump on the run's io_context). Over the measured
// window it takes the server's CPU (user and system, /proc), the room ticks, late ticks and tick time histogram
// (/metrics), and the bytes the players read off their sockets. Prints one JSON line (arena_report.hpp).
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <random>

#include "bench/arena_player.hpp"
#include "bench/arena_report.hpp"
#include "bench/bench_command.hpp"
#include "bench/client_pump.hpp"
#include "bench/metrics_scrape.hpp"
#include "bench/metrics_text.hpp"
#include "bench/process_stats.hpp"
#include "bench/sdk_setup.hpp"
#include "bench/open_file_limit.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

// Rooms being set up at once: each costs P logins and joins in flight. Enough to keep the set-up of 1,000 rooms
// short without throwing thousands of requests at the server in one burst.
constexpr unsigned kRoomsJoiningAtOnce = 8;
// A match outlasts any run; the arena's own limit.
constexpr const char* kMatchSeconds = "3600";
// How often every player's SDK client is polled: a snapshot waits at most this long in the socket before it is
// decoded, well under the 50 ms tick period of 20 Hz; each round costs one poll() per player (client_pump.hpp).
constexpr std::chrono::microseconds kPollPeriod{2000};

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What the clock, /proc, /metrics and the players say at one edge of the window.
struct window_edge {
  clock_type::time_point at;
  process_stats server;
  double client_cpu_seconds = 0;
  double poll_seconds = 0;  // CPU in the pump's rounds so far
  metrics_samples metrics;
  bool have_metrics = false;
  std::uint64_t bytes = 0;
  std::uint64_t snapshots = 0;
};

struct arena_run {
  const bench_options& options;
  client::server_url url;
  asio::io_context io;  // first: the pump's and the input timers use it until they are gone
  std::vector<std::unique_ptr<arena_player>> players;  // before the pump: it holds their clients
  client_pump pump{io, kPollPeriod};
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  unsigned next_room = 0;
  unsigned rooms_ready = 0;
  unsigned rooms_joining = 0;
  std::uint64_t errors = 0;
  bool failed = false;
  bool measuring_over = false;

  arena_run(const bench_options& opts, client::server_url server) : options(opts), url(std::move(server)) {}

  arena_player_events events() {
    return {
        .on_error =
            [this](const std::string& what) {
              if (errors++ == 0) std::fprintf(stderr, "first error: %s\n", what.c_str());
            },
        .on_closed =
            [this](const std::string& reason) {
              if (measuring_over) return;
              std::fprintf(stderr, "player lost: %s\n", reason.c_str());
              failed = true;
            },
    };
  }

  std::string user(unsigned index) const { return "arena" + std::to_string(getpid()) + "x" + std::to_string(index); }

  void setup_failed(const std::string& what) {
    if (!failed) std::fprintf(stderr, "set-up failed: %s\n", what.c_str());
    failed = true;
  }

  // Room `room`: its first player connects and creates it, then the others connect and join it by id.
  void start_room(unsigned room) {
    ++rooms_joining;
    auto& creator = *players[std::size_t(room) * options.players];
    pump.add(creator.sdk());
    creator.connect(user(room * options.players), [this, room, &creator](result<void> connected) {
      if (!connected) return setup_failed(connected.error().message);
      const room_options created{{"bots", "0"}, {"tick_hz", std::to_string(options.hz)}, {"duration_s", kMatchSeconds}};
      creator.create_room(created, [this, room](result<std::uint64_t> id) {
        if (!id) return setup_failed(id.error().message);
        auto seated = std::make_shared<unsigned>(1);
        if (*seated == options.players) return room_ready();
        for (unsigned p = 1; p < options.players; ++p) join_room(room, p, *id, seated);
      });
    });
  }

  void join_room(unsigned room, unsigned p, std::uint64_t id, std::shared_ptr<unsigned> seated) {
    const unsigned index = room * options.players + p;
    auto& player = *players[index];
    pump.add(player.sdk());
    player.connect(user(index), [this, &player, id, seated](result<void> connected) {
      if (!connected) return setup_failed(connected.error().message);
      player.join_room(id, [this, seated](result<void> joined) {
        if (!joined) return setup_failed(joined.error().message);
        if (++*seated == options.players) room_ready();
      });
    });
  }

  void room_ready() {
    --rooms_joining;
    ++rooms_ready;
    start_more_rooms();
  }

  void start_more_rooms() {
    while (!failed && next_room < options.rooms && rooms_joining < kRoomsJoiningAtOnce) start_room(next_room++);
  }

  void input_loop(std::size_t index, clock_type::time_point when, clock_type::duration period) {
    auto& timer = *timers[index];
    timer.expires_at(when);
    timer.async_wait([this, index, when, period](const boost::system::error_code& ec) {
      if (ec || measuring_over) return;
      players[index]->send_input();
      input_loop(index, when + period, period);
    });
  }

  window_edge edge() {
    window_edge out{clock_type::now(), read_process_stats(options.server_pid), own_cpu_seconds(),
                    pump.totals().busy_seconds, {}, false, 0, 0};
    if (auto text = fetch_metrics(url)) {
      out.metrics = parse_metrics_text(*text);
      out.have_metrics = true;
    }
    for (const auto& player : players) {
      out.bytes += player->bytes_received();
      out.snapshots += player->counts().snapshots;
    }
    return out;
  }
};

arena_report report_from(const arena_run& run, const window_edge& start, const window_edge& end,
                         const process_stats& before, const process_stats& joined) {
  const auto& o = run.options;
  arena_report r;
  using scheme = client::server_url::scheme;
  r.transport = run.url.kind == scheme::tcp ? "tcp" : run.url.kind == scheme::udp ? "udp" : "websocket";
  r.rooms = o.rooms;
  r.players = o.players;
  r.hz = o.hz;
  r.seconds = std::chrono::duration<double>(end.at - start.at).count();
  r.server_cpu_seconds = end.server.cpu_seconds - start.server.cpu_seconds;
  r.server_user_seconds = end.server.user_seconds - start.server.user_seconds;
  r.server_cpu_pct = 100 * r.server_cpu_seconds / r.seconds;
  r.client_cpu_pct = 100 * (end.client_cpu_seconds - start.client_cpu_seconds) / r.seconds;
  r.client_poll_pct = 100 * (end.poll_seconds - start.poll_seconds) / r.seconds;
  r.bytes_received = end.bytes - start.bytes;
  r.snapshots = end.snapshots - start.snapshots;
  r.server_rss_kb_added = double(joined.rss_kb - before.rss_kb);
  r.errors = run.errors;
  for (const auto& player : run.players) r.decode_errors += player->counts().decode_errors;
  r.room_ticks = std::uint64_t(double(o.rooms) * o.hz * r.seconds + 0.5);
  if (start.have_metrics && end.have_metrics) {
    const auto counted = [&](std::string_view series) {
      return std::uint64_t(sample_or_zero(end.metrics, series) - sample_or_zero(start.metrics, series));
    };
    r.room_ticks = counted("guildhall_room_ticks_total");
    r.room_ticks_counted = true;
    r.late_ticks = counted("guildhall_room_late_ticks_total");
    const auto ticks = bucket_delta(histogram_buckets(start.metrics, "guildhall_room_tick_seconds"),
                                    histogram_buckets(end.metrics, "guildhall_room_tick_seconds"));
    r.p99_tick_ms = histogram_quantile(ticks, 0.99) * 1e3;
  }
  return r;
}

}  // namespace

int run_bench_arena(const bench_options& options) {
  raise_open_file_limit();
  auto url = target_server(options);
  if (!url) return 2;
  if (options.rooms == 0 || options.players == 0 || options.hz < 1 || options.hz > 128) {
    return std::fprintf(stderr, "arena: --rooms and --players must be positive and --hz 1..128\n"), 2;
  }
  const auto sdk = sdk_options(options);
  if (!sdk) return 2;
  arena_run run(options, *url);
  std::mt19937_64 random(42);
  for (unsigned i = 0; i < options.rooms * options.players; ++i) {
    run.players.push_back(std::make_unique<arena_player>(*sdk, random(), run.events()));
    run.timers.push_back(std::make_unique<asio::steady_timer>(run.io));
  }
  const auto before = read_process_stats(options.server_pid);
  run.start_more_rooms();
  while (run.rooms_ready < options.rooms && !run.failed && run.io.run_one() > 0) {
  }
  if (run.failed || run.rooms_ready < options.rooms) return std::fprintf(stderr, "set-up failed\n"), 1;
  const auto joined = read_process_stats(options.server_pid);

  const auto period = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(1.0 / options.hz));
  const auto start = clock_type::now();
  for (std::size_t i = 0; i < run.players.size(); ++i) {
    run.input_loop(i, start + clock_type::duration(std::uniform_int_distribution<std::int64_t>(0, period.count())(random)),
                   period);
  }
  run.io.run_for(std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(options.warmup_seconds)));
  const auto window_start = run.edge();
  run.io.run_for(std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(options.seconds)));
  const auto window_end = run.edge();
  run.measuring_over = true;
  run.pump.stop();

  const auto report = report_from(run, window_start, window_end, before, joined);
  std::fputs(format_arena_line(report).c_str(), stdout);
  return run.failed || report.decode_errors > 0 ? 1 : 0;
}

}  // namespace guildhall::bench
