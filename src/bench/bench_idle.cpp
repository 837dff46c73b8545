// `guildhall bench idle`: opens N authenticated WebSocket connections that then sit idle; measures connects per
// second and the server's resident memory per connection. Prints one JSON line.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "bench/bench_command.hpp"
#include "bench/process_stats.hpp"
#include "cli/session_login.hpp"
#include "client/client_connection.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace v1 = wire::v1;

namespace {
// Connections share a few accounts, as many devices of few users would; what is measured is the connection.
constexpr unsigned kAccounts = 50;
constexpr unsigned kConnectingAtOnce = 200;
}  // namespace

int run_bench_idle(const bench_options& options) {
  cli::raise_open_file_limit();
  auto url = target_server(options);
  if (!url) return 2;
  std::vector<std::string> tokens;
  for (unsigned i = 0; i < kAccounts; ++i) {
    auto session = cli::log_in(*url, "idle" + std::to_string(getpid()) + "x" + std::to_string(i), "");
    if (!session) return std::fprintf(stderr, "login failed: %s\n", session.error().message.c_str()), 1;
    tokens.push_back(session->token());
  }

  asio::io_context io;
  std::vector<std::shared_ptr<client::client_connection>> connections;
  unsigned started = 0, authenticated = 0, failed = 0;
  std::function<void()> open_next = [&] {
    if (started >= options.connections) return;
    const unsigned index = started++;
    auto connection = std::make_shared<client::client_connection>(io, *url);
    connections.push_back(connection);
    connection->on_closed([&](const std::string& reason) {
      if (++failed <= 3) std::fprintf(stderr, "connection closed: %s\n", reason.c_str());
    });
    connection->connect([&, connection, index](result<void> connected) {
      if (!connected) {
        ++failed;
        return open_next();
      }
      v1::Envelope hello;
      hello.mutable_authenticate()->set_token(tokens[index % tokens.size()]);
      connection->request(hello, [&](const v1::Envelope& reply) {
        if (reply.has_authenticated()) ++authenticated;
        else ++failed;
        open_next();
      });
    });
  };

  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the logins' allocations settle
  const auto before = read_process_stats(options.server_pid);
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < kConnectingAtOnce; ++i) open_next();
  while (authenticated + failed < options.connections) io.run_one();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Memory settles once every connection has finished its handshake and authentication.
  io.run_for(std::chrono::seconds(1));
  const auto after = read_process_stats(options.server_pid);

  std::printf("{\"server\":\"guildhall\",\"scenario\":\"idle\",\"connections\":%u,\"authenticated\":%u,\"failed\":%u,"
              "\"connects_per_s\":%.0f,\"server_rss_kb_per_connection\":%.3f}\n",
              options.connections, authenticated, failed, authenticated / seconds,
              authenticated ? static_cast<double>(after.rss_kb - before.rss_kb) / authenticated : 0.0);
  return failed ? 1 : 0;
}

}  // namespace guildhall::bench
