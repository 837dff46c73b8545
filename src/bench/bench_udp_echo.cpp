// `guildhall bench udp-echo` (bench/run.sh udp-echo): the UDP transport alone against the kernel's floor, in one
// process and one run.
//  1. The plain loop (plain_udp_loop.hpp): sendmmsg batches of 32 x 120-byte datagrams to a loopback socket that
//     a second thread drains with recvmmsg; the CPU per datagram of each side, from the threads' CPU clocks.
//  2. The transport: a net::udp_transport on one shard (the server's own code: connection layer with encryption,
//     message layer, batched recvmmsg/sendmmsg) whose connection handler sends every message back unreliably, and
//     --clients udp_client_connection clients (the SDK's) each sending --echo-rate unreliable messages a second,
//     each an Envelope of 120 bytes. The shard thread is pinned to CPU 0 and its CPU clock read over the window;
//     its datagrams are the transport's own counters (guildhall_udp_datagrams_total). The clients run on this
//     thread, pinned to CPU 1; their CPU is reported so a saturated load generator is seen.
// The figure compared: the shard's CPU over the window against the plain loop's cost of the same datagrams
// (received x receive cost + sent x send cost): transport_over_plain, 1 when the transport adds nothing to the
// kernel's work. The server may put several echoes in one datagram (it writes a connection's queue once per pass
// and on its tick), so per echo and per datagram figures are both given. Prints one JSON line.
#include <pthread.h>


#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <future>
#include <random>

#include "bench/bench_command.hpp"
#include "bench/plain_udp_loop.hpp"
#include "client/udp_client_connection.hpp"
#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "net/udp/udp_metrics.hpp"
#include "net/udp/udp_transport.hpp"
#include "wire/udp/connect_token.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace udp = wire::udp;
using clock_type = std::chrono::steady_clock;

namespace {

// The measured side on CPU 0 and the driving side on CPU 1, as bench/run.sh pins server and load generator.
constexpr int kServerCpu = 0;
constexpr int kClientCpu = 1;
constexpr std::size_t kEchoMessageBytes = kPlainDatagramBytes;  // the Envelope each client sends, encoded
constexpr std::uint32_t kTokenLifetimeS = 60;
constexpr auto kConnectWait = std::chrono::seconds(10);

// Sends every message back on the unreliable channel (slot 0: nothing replaces anything), as a room's snapshots go.
class echo_handler final : public net::connection_handler {
 public:
  explicit echo_handler(std::shared_ptr<net::connection> connection) : connection_(std::move(connection)) {}
  void on_authenticated_by_transport(const net::transport_identity&) override {}
  void on_frame(std::string_view payload, wire::payload_format) override {
    auto message = std::make_shared<wire::encoded_message>();
    message->binary.assign(payload);
    connection_->send_latest(std::move(message), 0);
  }
  void on_closed() override { connection_.reset(); }

 private:
  std::shared_ptr<net::connection> connection_;
};

// A RoomInput whose binary encoding is exactly kEchoMessageBytes.
v1::Envelope echo_message() {
  v1::Envelope message;
  auto* input = message.mutable_room_input();
  input->set_room_id(1);
  auto* frame = input->add_inputs();
  frame->set_sequence(1);
  std::size_t data = kEchoMessageBytes;
  for (int tries = 0; tries < 8; ++tries) {  // the length prefixes grow with the data: converge on the size
    frame->set_data(std::string(data, 'x'));
    const auto size = message.ByteSizeLong();
    if (size == kEchoMessageBytes) break;
    data = data + kEchoMessageBytes - size;
  }
  return message;
}

struct server_edge {
  double cpu_seconds = 0;
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
};

struct echo_run {
  const bench_options& options;
  asio::io_context io;
  net::shard_pool shards{1};
  udp::key token_key = udp::generate_key();
  std::optional<net::udp_transport> transport;
  clockid_t shard_clock{};
  std::vector<std::shared_ptr<client::udp_client_connection>> clients;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  v1::Envelope message = echo_message();
  unsigned connected = 0;
  std::uint64_t echoes = 0;
  std::uint64_t errors = 0;
  bool over = false;

  explicit echo_run(const bench_options& o) : options(o) {}

  result<void> start_server() {
    transport.emplace(shards, net::udp_transport_config{"127.0.0.1", 0, {}, token_key, 200, 64 * 1024},
                      [](std::shared_ptr<net::connection> c) { return std::make_unique<echo_handler>(std::move(c)); });
    if (auto listening = transport->listen(); !listening) return listening;
    shards.start();
    std::promise<clockid_t> clock;
    shards.post(0, [&clock] {
      pin_this_thread(kServerCpu);
      clockid_t id{};
      ::pthread_getcpuclockid(::pthread_self(), &id);
      clock.set_value(id);
    });
    shard_clock = clock.get_future().get();
    transport->start();
    return {};
  }

  result<void> connect_client(unsigned index) {
    udp::connect_token_private claims;
    claims.client_id = index + 1;
    claims.server_addresses = {udp::peer_address::ipv4({127, 0, 0, 1}, transport->port())};
    auto identity = udp::pack_identity({index + 1, "echo" + std::to_string(index), 0});
    if (!identity) return std::unexpected(identity.error());
    claims.user_data = *identity;
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    auto token = udp::issue_connect_token(claims, net::kUdpProtocolId, std::uint64_t(now_s), kTokenLifetimeS, token_key);
    if (!token) return std::unexpected(token.error());
    auto url = client::parse_server_url("udp://127.0.0.1:" + std::to_string(transport->port()));
    if (!url) return std::unexpected(url.error());
    auto connection = std::make_shared<client::udp_client_connection>(io, *url, std::move(*token));
    connection->on_push([this](const v1::Envelope& push) {
      if (push.has_room_input()) ++echoes;
    });
    connection->on_closed([this](const std::string& reason) {
      if (!over && errors++ == 0) std::fprintf(stderr, "client lost: %s\n", reason.c_str());
    });
    connection->connect([this](result<void> done) {
      if (done) ++connected;
      else if (errors++ == 0) std::fprintf(stderr, "connect failed: %s\n", done.error().message.c_str());
    });
    clients.push_back(std::move(connection));
    return {};
  }

  void send_loop(std::size_t index, clock_type::time_point when, clock_type::duration period) {
    auto& timer = *timers[index];
    timer.expires_at(when);
    timer.async_wait([this, index, when, period](const boost::system::error_code& ec) {
      if (ec || over) return;
      clients[index]->notify_unreliable(message);
      send_loop(index, when + period, period);
    });
  }

  server_edge edge() const {
    timespec cpu{};
    ::clock_gettime(shard_clock, &cpu);
    const auto& datagrams = net::udp_network_metrics().datagrams;
    return {double(cpu.tv_sec) + double(cpu.tv_nsec) / 1e9, datagrams.value(0), datagrams.value(1)};
  }

  void stop() {
    over = true;
    for (auto& timer : timers) timer->cancel();
    for (auto& c : clients) c->close();
    io.run_for(std::chrono::milliseconds(100));
    if (transport) transport->drain(std::chrono::milliseconds(300));
    shards.stop();
  }
};

double round_to(double value, double unit) { return std::round(value / unit) * unit; }

void print_line(const bench_options& o, const plain_loop_figures& plain, double seconds, const server_edge& from,
                const server_edge& to, std::uint64_t echoes, double client_cpu, std::uint64_t errors) {
  const double cpu = to.cpu_seconds - from.cpu_seconds;
  const auto received = to.received - from.received, sent = to.sent - from.sent;
  const double datagrams = double(received + sent);
  // What the plain loop's kernel work would be for exactly these datagrams.
  const double floor_seconds =
      (double(received) * plain.receive_us_per_datagram() + double(sent) * plain.send_us_per_datagram()) / 1e6;
  double load[3] = {0, 0, 0};
  ::getloadavg(load, 3);
  std::printf(
      "{\"scenario\":\"udp-echo\",\"clients\":%u,\"rate\":%g,\"message_bytes\":%zu,"
      "\"plain_send_us_per_datagram\":%.3f,\"plain_receive_us_per_datagram\":%.3f,\"plain_us_per_packet\":%.3f,"
      "\"plain_datagrams_per_s\":%.0f,\"plain_dropped\":%llu,"
      "\"seconds\":%.2f,\"server_datagrams_received\":%llu,\"server_datagrams_sent\":%llu,\"echoes_per_s\":%.0f,"
      "\"server_cpu_pct\":%.1f,\"server_us_per_datagram\":%.3f,\"server_us_per_echo\":%.3f,"
      "\"server_echoes_per_core_s\":%.0f,\"transport_over_plain\":%.2f,\"client_cpu_pct\":%.1f,\"errors\":%llu,"
      "\"loadavg_1m\":%.2f}\n",
      o.echo_clients, o.echo_rate, kEchoMessageBytes, plain.send_us_per_datagram(), plain.receive_us_per_datagram(),
      plain.us_per_packet(), plain.seconds > 0 ? double(plain.sent) / plain.seconds : 0,
      static_cast<unsigned long long>(plain.sent - plain.received), seconds,
      static_cast<unsigned long long>(received), static_cast<unsigned long long>(sent), double(echoes) / seconds,
      100 * cpu / seconds, datagrams > 0 ? 1e6 * cpu / datagrams : 0, echoes ? 1e6 * cpu / double(echoes) : 0,
      cpu > 0 ? double(echoes) / cpu : 0, floor_seconds > 0 ? round_to(cpu / floor_seconds, 0.01) : 0,
      100 * client_cpu / seconds, static_cast<unsigned long long>(errors), load[0]);
}

}  // namespace

int run_bench_udp_echo(const bench_options& options) {
  if (options.echo_clients == 0 || options.echo_rate <= 0 || options.seconds <= 0) {
    return std::fprintf(stderr, "udp-echo: --clients, --echo-rate and --seconds must be positive\n"), 2;
  }
  auto plain = run_plain_udp_loop(options.plain_seconds, kServerCpu, kClientCpu);
  if (!plain) return std::fprintf(stderr, "plain loop: %s\n", plain.error().message.c_str()), 1;

  pin_this_thread(kClientCpu);
  echo_run run(options);
  if (auto started = run.start_server(); !started) {
    return std::fprintf(stderr, "udp transport: %s\n", started.error().message.c_str()), 1;
  }
  for (unsigned i = 0; i < options.echo_clients; ++i) {
    if (auto made = run.connect_client(i); !made) {
      run.stop();
      return std::fprintf(stderr, "client: %s\n", made.error().message.c_str()), 1;
    }
    run.timers.push_back(std::make_unique<asio::steady_timer>(run.io));
  }
  const auto deadline = clock_type::now() + kConnectWait;
  while (run.connected + run.errors < options.echo_clients && clock_type::now() < deadline) {
    run.io.run_for(std::chrono::milliseconds(10));
  }
  if (run.connected < options.echo_clients) {
    run.stop();
    return std::fprintf(stderr, "udp-echo: %u of %u clients connected\n", run.connected, options.echo_clients), 1;
  }
  std::mt19937_64 random(42);
  const auto period = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(1 / options.echo_rate));
  const auto start = clock_type::now();
  for (std::size_t i = 0; i < run.clients.size(); ++i) {
    run.send_loop(i, start + clock_type::duration(std::uniform_int_distribution<std::int64_t>(0, period.count())(random)),
                  period);
  }
  const auto span = [](double s) {
    return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
  };
  run.io.run_for(span(options.warmup_seconds));
  const auto from = run.edge();
  const auto echoes_before = run.echoes;
  const double client_before = this_thread_cpu_seconds();
  const auto began = clock_type::now();
  run.io.run_for(span(options.seconds));
  const auto to = run.edge();
  const double seconds = std::chrono::duration<double>(clock_type::now() - began).count();
  const double client_cpu = this_thread_cpu_seconds() - client_before;
  const auto echoes = run.echoes - echoes_before;
  run.stop();
  print_line(options, *plain, seconds, from, to, echoes, client_cpu, run.errors);
  return run.errors > 0 ? 1 : 0;
}

}  // namespace guildhall::bench
