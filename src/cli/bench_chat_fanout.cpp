// `guildhall bench chat-fanout`: M members in one channel, each sending R messages a second; measures delivery
// rate and latency at the clients and the server's CPU and memory through /proc. Prints one JSON line.
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <random>

#include "cli/commands.hpp"
#include "cli/percentile.hpp"
#include "cli/process_stats.hpp"
#include "cli/session_login.hpp"
#include "client/client_connection.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;
namespace v1 = wire::v1;
using clock_type = std::chrono::steady_clock;

namespace {

std::int64_t now_ns() { return clock_type::now().time_since_epoch().count(); }

struct fanout_run {
  const bench_options& options;
  asio::io_context io;
  std::vector<std::shared_ptr<client::client_connection>> members;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  std::string channel = "fanout-" + std::to_string(getpid());
  std::int64_t window_start_ns = 0;
  std::int64_t window_end_ns = 0;
  std::int64_t stop_sending_ns = 0;
  std::uint64_t sent_in_window = 0;
  std::uint64_t received_in_window = 0;  // deliveries of messages sent in the window
  std::uint64_t errors = 0;
  std::vector<double> latencies_ms;
  unsigned ready = 0;
  bool failed = false;

  explicit fanout_run(const bench_options& opts) : options(opts) {}

  void on_delivery(const v1::Envelope& push) {
    if (!push.has_chat_message()) return;
    const std::int64_t sent = std::strtoll(push.chat_message().text().c_str(), nullptr, 10);
    if (sent < window_start_ns || sent >= window_end_ns) return;
    ++received_in_window;
    latencies_ms.push_back(static_cast<double>(now_ns() - sent) / 1e6);
  }

  void send_loop(std::size_t index, clock_type::time_point when) {
    auto& timer = *timers[index];
    timer.expires_at(when);
    timer.async_wait([this, index, when](const boost::system::error_code& ec) {
      if (ec) return;
      const std::int64_t stamp = now_ns();
      if (stamp >= stop_sending_ns) return;
      if (stamp >= window_start_ns && stamp < window_end_ns) ++sent_in_window;
      v1::Envelope request;
      request.mutable_send_message()->set_channel(channel);
      request.mutable_send_message()->set_text(std::to_string(stamp));
      members[index]->request(request, [this](const v1::Envelope& reply) {
        if (reply.has_error()) ++errors;
      });
      send_loop(index, when + std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / options.rate)));
    });
  }
};

}  // namespace

int run_bench_chat_fanout(const bench_options& options) {
  raise_open_file_limit();
  auto url = client::parse_server_url(options.server);
  if (!url) return std::fprintf(stderr, "%s\n", url.error().message.c_str()), 2;
  fanout_run run(options);
  const auto before = read_process_stats(options.server_pid);

  for (unsigned i = 0; i < options.members; ++i) {
    auto session = log_in(*url, "bench" + std::to_string(getpid()) + "x" + std::to_string(i), "");
    if (!session) return std::fprintf(stderr, "login failed: %s\n", session.error().message.c_str()), 1;
    auto member = std::make_shared<client::client_connection>(run.io, *url);
    member->on_push([&run](const v1::Envelope& push) { run.on_delivery(push); });
    member->on_closed([&run](const std::string& reason) {
      std::fprintf(stderr, "member disconnected: %s\n", reason.c_str());
      run.failed = true;
    });
    member->connect([&run, member, token = session->token()](result<void> connected) {
      if (!connected) {
        std::fprintf(stderr, "%s\n", connected.error().message.c_str());
        run.failed = true;
        return;
      }
      v1::Envelope hello;
      hello.mutable_authenticate()->set_token(token);
      member->request(hello, [&run, member](const v1::Envelope&) {
        v1::Envelope join;
        join.mutable_join_channel()->set_channel(run.channel);
        member->request(join, [&run](const v1::Envelope& reply) {
          if (reply.has_error()) run.failed = true;
          ++run.ready;
        });
      });
    });
    run.members.push_back(std::move(member));
    run.timers.push_back(std::make_unique<asio::steady_timer>(run.io));
  }
  while (run.ready < options.members && !run.failed) run.io.run_one();
  if (run.failed) return std::fprintf(stderr, "setup failed\n"), 1;
  const auto joined = read_process_stats(options.server_pid);

  const auto start = clock_type::now();
  run.window_start_ns = now_ns() + static_cast<std::int64_t>(options.warmup_seconds * 1e9);
  run.window_end_ns = run.window_start_ns + static_cast<std::int64_t>(options.seconds * 1e9);
  run.stop_sending_ns = run.window_end_ns + static_cast<std::int64_t>(0.5e9);
  run.latencies_ms.reserve(static_cast<std::size_t>(options.members * options.members * options.rate * options.seconds));
  std::mt19937 random(42);
  const auto period_ns = static_cast<std::int64_t>(1e9 / options.rate);
  for (std::size_t i = 0; i < run.members.size(); ++i) {
    run.send_loop(i, start + std::chrono::nanoseconds(std::uniform_int_distribution<std::int64_t>(0, period_ns)(random)));
  }

  process_stats window_start_stats, window_end_stats;
  asio::steady_timer mark(run.io);
  mark.expires_at(start + std::chrono::nanoseconds(run.window_start_ns - now_ns()));
  mark.async_wait([&](const boost::system::error_code&) {
    window_start_stats = read_process_stats(options.server_pid);
    mark.expires_at(clock_type::now() + std::chrono::nanoseconds(run.window_end_ns - now_ns()));
    mark.async_wait([&](const boost::system::error_code&) { window_end_stats = read_process_stats(options.server_pid); });
  });
  // Run through the window, then give in-flight deliveries two seconds to land.
  run.io.run_until(clock_type::now() + std::chrono::nanoseconds(run.stop_sending_ns - now_ns()) + std::chrono::seconds(2));

  const double deliveries = static_cast<double>(run.received_in_window);
  const double expected = static_cast<double>(run.sent_in_window) * options.members;
  const double cpu_s = window_end_stats.cpu_seconds - window_start_stats.cpu_seconds;
  std::printf(
      "{\"server\":\"guildhall\",\"scenario\":\"chat-fanout\",\"members\":%u,\"rate\":%g,\"seconds\":%g,"
      "\"deliveries_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"server_cpu_us_per_delivery\":%.3f,"
      "\"server_rss_kb_per_member\":%.2f,\"expected_deliveries\":%.0f,\"lost\":%.0f,\"errors\":%llu}\n",
      options.members, options.rate, options.seconds, deliveries / options.seconds, percentile(run.latencies_ms, 0.5),
      percentile(run.latencies_ms, 0.99), deliveries > 0 ? cpu_s * 1e6 / deliveries : 0.0,
      static_cast<double>(joined.rss_kb - before.rss_kb) / options.members, expected, expected - deliveries,
      static_cast<unsigned long long>(run.errors));
  return run.failed ? 1 : 0;
}

}  // namespace guildhall::cli
