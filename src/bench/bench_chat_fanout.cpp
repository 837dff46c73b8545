// `guildhall bench chat-fanout`: M members in one channel or room, each sending R messages a second; measures
// delivery rate and latency at the clients, the server's CPU and memory through /proc, and this load generator's
// own CPU. Prints one JSON line. The server under test is `--peer`: only the members' protocol differs between
// peers (fanout_member.hpp), so every server is driven by the same schedule, the same sockets and the same counting.
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <random>

#include "bench/colyseus_fanout_member.hpp"
#include "bench/bench_command.hpp"
#include "bench/guildhall_fanout_member.hpp"
#include "bench/percentile.hpp"
#include "bench/process_stats.hpp"
#include "bench/open_file_limit.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

// Joins in flight at once (after member 0). It matters to server_rss_kb_per_member, since memory a server
// allocates while joining partly stays resident: 200, the default member count, joins a default run all at once
// as this benchmark always has, for every peer, and keeps a run with thousands of members from throwing
// thousands of HTTP calls at the server in one burst.
constexpr unsigned kJoiningAtOnce = 200;

std::int64_t now_ns() { return clock_type::now().time_since_epoch().count(); }

// This process's user + system time: a load generator near a full core would be measuring itself.
double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

result<std::unique_ptr<fanout_peer>> make_peer(asio::io_context& io, const bench_options& options) {
  if (options.peer == "guildhall") return make_guildhall_peer(io, options.server, options.tls);
  if (options.peer == "colyseus") return make_colyseus_peer(io, options.server);
  return fail(errc::invalid_argument, "unknown peer '" + options.peer + "' (guildhall, colyseus)");
}

// What the clock and /proc say at one edge of the measured window.
struct window_edge {
  std::int64_t at_ns = 0;
  process_stats server;
  double client_cpu_seconds = 0;

  static window_edge now(int server_pid) { return {now_ns(), read_process_stats(server_pid), own_cpu_seconds()}; }
};

struct fanout_run {
  const bench_options& options;
  asio::io_context io;  // first: the peer and the members use it until they are gone
  std::unique_ptr<fanout_peer> peer;
  std::vector<std::shared_ptr<fanout_member>> members;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  std::int64_t window_start_ns = 0;
  std::int64_t window_end_ns = 0;
  std::int64_t stop_sending_ns = 0;
  std::uint64_t sent_in_window = 0;
  std::uint64_t received_in_window = 0;  // deliveries of messages sent in the window: what `lost` counts against
  // Deliveries that arrived in the window, whenever sent: the work the server's CPU in the window paid for. The two
  // counts agree for a server that keeps up; one that falls seconds behind spends the window delivering messages
  // sent before it, and dividing its CPU by the first count would overstate its cost per delivery.
  std::uint64_t arrived_in_window = 0;
  std::uint64_t errors = 0;
  std::vector<double> latencies_ms;
  unsigned joining = 0;
  unsigned ready = 0;
  bool failed = false;

  explicit fanout_run(const bench_options& opts) : options(opts) {}

  void on_delivery(std::int64_t sent) {
    const std::int64_t now = now_ns();
    if (now >= window_start_ns && now < window_end_ns) ++arrived_in_window;
    if (sent < window_start_ns || sent >= window_end_ns) return;
    ++received_in_window;
    latencies_ms.push_back(static_cast<double>(now - sent) / 1e6);
  }

  fanout_member_events member_events() {
    return {
        .on_delivery = [this](std::int64_t stamp) { on_delivery(stamp); },
        .on_error =
            [this](const std::string& what) {
              if (errors++ == 0) std::fprintf(stderr, "first error: %s\n", what.c_str());
            },
        .on_closed =
            [this](const std::string& reason) {
              std::fprintf(stderr, "member disconnected: %s\n", reason.c_str());
              failed = true;
            },
    };
  }

  // Member 0 joins alone (on some servers it creates the room the others join); then the rest, kJoiningAtOnce at a
  // time.
  void join_more() {
    while (!failed && members.size() < options.members && joining < kJoiningAtOnce && (members.empty() || ready > 0)) {
      auto member = peer->make_member(static_cast<unsigned>(members.size()), member_events());
      members.push_back(member);
      timers.push_back(std::make_unique<asio::steady_timer>(io));
      ++joining;
      member->join([this](result<void> joined) {
        --joining;
        if (!joined) {
          std::fprintf(stderr, "join failed: %s\n", joined.error().message.c_str());
          failed = true;
          return;
        }
        ++ready;
        join_more();
      });
    }
  }

  void send_loop(std::size_t index, clock_type::time_point when) {
    auto& timer = *timers[index];
    timer.expires_at(when);
    timer.async_wait([this, index, when](const boost::system::error_code& ec) {
      if (ec) return;
      const std::int64_t stamp = now_ns();
      if (stamp >= stop_sending_ns) return;
      if (stamp >= window_start_ns && stamp < window_end_ns) ++sent_in_window;
      members[index]->send(stamp);
      send_loop(index, when + std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / options.rate)));
    });
  }
};

}  // namespace

int run_bench_chat_fanout(const bench_options& options) {
  raise_open_file_limit();
  fanout_run run(options);
  auto peer = make_peer(run.io, options);
  if (!peer) return std::fprintf(stderr, "%s\n", peer.error().message.c_str()), 2;
  run.peer = std::move(*peer);
  const auto before = read_process_stats(options.server_pid);

  run.join_more();
  while (run.ready < options.members && !run.failed && run.io.run_one() > 0) {
  }
  if (run.failed || run.ready < options.members) return std::fprintf(stderr, "setup failed\n"), 1;
  const auto joined = read_process_stats(options.server_pid);

  const auto start = clock_type::now();
  run.window_start_ns = now_ns() + static_cast<std::int64_t>(options.warmup_seconds * 1e9);
  run.window_end_ns = run.window_start_ns + static_cast<std::int64_t>(options.seconds * 1e9);
  run.stop_sending_ns = run.window_end_ns + static_cast<std::int64_t>(0.5e9);
  run.latencies_ms.reserve(
      static_cast<std::size_t>(options.members * options.members * options.rate * options.seconds));
  std::mt19937 random(42);
  const auto period_ns = static_cast<std::int64_t>(1e9 / options.rate);
  for (std::size_t i = 0; i < run.members.size(); ++i) {
    run.send_loop(i,
                  start + std::chrono::nanoseconds(std::uniform_int_distribution<std::int64_t>(0, period_ns)(random)));
  }

  window_edge window_start, window_end;
  asio::steady_timer mark(run.io);
  mark.expires_at(start + std::chrono::nanoseconds(run.window_start_ns - now_ns()));
  mark.async_wait([&](const boost::system::error_code&) {
    window_start = window_edge::now(options.server_pid);
    mark.expires_at(clock_type::now() + std::chrono::nanoseconds(run.window_end_ns - now_ns()));
    mark.async_wait([&](const boost::system::error_code&) { window_end = window_edge::now(options.server_pid); });
  });
  // Run through the window, then give in-flight deliveries two seconds to land.
  run.io.run_until(clock_type::now() + std::chrono::nanoseconds(run.stop_sending_ns - now_ns()) +
                   std::chrono::seconds(2));

  const double deliveries = static_cast<double>(run.received_in_window);
  const double arrivals = static_cast<double>(run.arrived_in_window);
  const double expected = static_cast<double>(run.sent_in_window) * options.members;
  const double cpu_s = window_end.server.cpu_seconds - window_start.server.cpu_seconds;
  const double window_s = static_cast<double>(window_end.at_ns - window_start.at_ns) / 1e9;
  const auto percent_of_window = [window_s](double cpu_seconds) {
    return window_s > 0 ? 100 * cpu_seconds / window_s : 0.0;
  };
  std::printf(
      "{\"server\":\"%s\",\"scenario\":\"chat-fanout\",\"members\":%u,\"rate\":%g,\"seconds\":%g,"
      "\"deliveries_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"server_cpu_us_per_delivery\":%.3f,"
      "\"server_rss_kb_per_member\":%.2f,\"expected_deliveries\":%.0f,\"lost\":%.0f,\"errors\":%llu,"
      "\"server_cpu_pct\":%.1f,\"client_cpu_pct\":%.1f}\n",
      std::string(run.peer->name()).c_str(), options.members, options.rate, options.seconds,
      arrivals / options.seconds, percentile(run.latencies_ms, 0.5), percentile(run.latencies_ms, 0.99),
      arrivals > 0 ? cpu_s * 1e6 / arrivals : 0.0,
      static_cast<double>(joined.rss_kb - before.rss_kb) / options.members, expected, expected - deliveries,
      static_cast<unsigned long long>(run.errors), percent_of_window(cpu_s),
      percent_of_window(window_end.client_cpu_seconds - window_start.client_cpu_seconds));
  return run.failed ? 1 : 0;
}

}  // namespace guildhall::bench
