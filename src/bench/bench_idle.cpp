// `guildhall bench idle`: opens N authenticated connections (one SDK client each, over the --server URL's
// transport) that then sit idle; measures connects per second and the server's resident memory per connection.
// Prints one JSON line.
//
// connects_per_s means what it always has: connect, handshake and authentication with a token, without the HTTP
// login: the connections share kAccounts guest logins done before the clock starts (set_session), as many devices of
// few users would. Each SDK client is its own event loop (an epoll, an eventfd and a timerfd beside its socket), so
// the process holds about four descriptors per connection.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "bench/bench_command.hpp"
#include "bench/client_pump.hpp"
#include "bench/process_stats.hpp"
#include "bench/sdk_setup.hpp"
#include "bench/open_file_limit.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace sdk = guildhall::client;

namespace {
// Connections share a few accounts, as many devices of few users would; what is measured is the connection.
constexpr unsigned kAccounts = 50;
constexpr unsigned kConnectingAtOnce = 200;
// Clients still connecting are polled round after round, as fast as the loop goes (a period of 0): each step of a
// connection (TCP, the upgrade, the authentication) waits for a poll, and the generator's core has nothing else to
// do meanwhile, so a wait between rounds would be the load generator, not the server, setting the connect rate.
constexpr std::chrono::microseconds kConnectingPollPeriod{0};
// Connected clients only answer keep-alives (every 20 s): a sweep a second is plenty.
constexpr std::chrono::microseconds kIdlePollPeriod{1'000'000};
// Descriptors an SDK client holds: its socket, and its event loop's epoll, eventfd and timerfd.
constexpr unsigned kDescriptorsPerClient = 4;
constexpr unsigned kSpareDescriptors = 64;

bool enough_descriptors(unsigned connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return true;
  const auto wanted = rlim_t{connections} * kDescriptorsPerClient + kSpareDescriptors;
  if (limit.rlim_cur == RLIM_INFINITY || wanted <= limit.rlim_cur) return true;
  std::fprintf(stderr, "idle: %u connections need about %llu descriptors (%u per SDK client); the limit is %llu\n",
               connections, static_cast<unsigned long long>(wanted), kDescriptorsPerClient,
               static_cast<unsigned long long>(limit.rlim_cur));
  return false;
}

// The kAccounts logins, before anything is measured: their tokens, or the first failure (printed).
std::optional<std::vector<sdk::login_session>> log_in_accounts(const sdk::client_options& options) {
  asio::io_context io;
  std::vector<std::unique_ptr<sdk::client>> clients;
  client_pump pump(io, kConnectingPollPeriod);
  std::vector<sdk::login_session> tokens;
  bool failed = false;
  for (unsigned i = 0; i < kAccounts; ++i) {
    clients.push_back(std::make_unique<sdk::client>(options));
    pump.add(*clients.back());
    clients.back()->login_guest("cli-device-idle" + std::to_string(getpid()) + "x" + std::to_string(i),
                                [&](sdk::client_result<sdk::login_session> in) {
                                  if (!in && !failed) std::fprintf(stderr, "%s\n", said(in.error(), "login").c_str());
                                  if (!in) failed = true;
                                  else tokens.push_back(std::move(*in));
                                });
  }
  while (!failed && tokens.size() < kAccounts) io.run_one();
  pump.stop();
  for (auto& client : clients) pump.remove(*client);
  if (failed) return std::nullopt;
  return tokens;
}

struct idle_run {
  const sdk::client_options& options;
  const std::vector<sdk::login_session>& tokens;
  unsigned wanted;
  asio::io_context io;
  std::vector<std::unique_ptr<sdk::client>> clients;  // before the pumps: they hold the clients
  client_pump connecting{io, kConnectingPollPeriod};
  client_pump settled{io, kIdlePollPeriod};
  unsigned authenticated = 0, failed = 0;

  idle_run(const sdk::client_options& opts, const std::vector<sdk::login_session>& t, unsigned n)
      : options(opts), tokens(t), wanted(n) {}

  void open_next() {
    if (clients.size() >= wanted) return;
    const std::size_t index = clients.size();
    clients.push_back(std::make_unique<sdk::client>(options));
    auto& client = *clients.back();
    client.set_handlers({.on_connection = [this](const sdk::connection_event& event) {
      if (event.what == sdk::connection_event::kind::disconnected && ++failed <= 3) {
        std::fprintf(stderr, "%s\n", said(event.error, "connection closed").c_str());
      }
    }});
    client.set_session(tokens[index % tokens.size()]);
    connecting.add(client);
    client.connect([this, &client](sdk::client_result<sdk::connected_info> connected) {
      connecting.remove(client);
      if (connected) {
        ++authenticated;
        settled.add(client);
      } else if (++failed <= 3) {
        std::fprintf(stderr, "%s\n", said(connected.error(), "connect").c_str());
      }
      open_next();
    });
  }
};

}  // namespace

int run_bench_idle(const bench_options& options) {
  raise_open_file_limit();
  const auto sdk_opts = sdk_options(options);
  if (!sdk_opts) return 2;
  if (!enough_descriptors(options.connections)) return 2;
  const auto tokens = log_in_accounts(*sdk_opts);
  if (!tokens) return 1;

  idle_run run(*sdk_opts, *tokens, options.connections);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the logins' allocations settle
  const auto before = read_process_stats(options.server_pid);
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < kConnectingAtOnce; ++i) run.open_next();
  while (run.authenticated + run.failed < options.connections) run.io.run_one();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.connecting.stop();  // its rounds spin; nothing is connecting any more
  // Memory settles once every connection has finished its handshake and authentication.
  run.io.run_for(std::chrono::seconds(1));
  const auto after = read_process_stats(options.server_pid);
  run.settled.stop();

  std::printf("{\"server\":\"guildhall\",\"scenario\":\"idle\",\"connections\":%u,\"authenticated\":%u,\"failed\":%u,"
              "\"connects_per_s\":%.0f,\"server_rss_kb_per_connection\":%.3f}\n",
              options.connections, run.authenticated, run.failed, run.authenticated / seconds,
              run.authenticated ? static_cast<double>(after.rss_kb - before.rss_kb) / run.authenticated : 0.0);
  return run.failed ? 1 : 0;
}

}  // namespace guildhall::bench
