#include "udp_client.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <array>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "client/http_login.hpp"
#include "client/udp_client_connection.hpp"
#include "wire/codec.hpp"
#include "wire/udp/guildhall_endpoint_config.hpp"
#include "wire/udp/payload_sinks.hpp"

namespace guildhall::testing {
namespace udp = wire::udp;

wire::udp::issued_connect_token fetch_connect_token(std::uint16_t http_port, const std::string& access_token) {
  boost::asio::io_context io;
  client::server_url server;
  server.host = "127.0.0.1";
  server.http_port = http_port;
  result<v1::ConnectToken> answer = fail(errc::internal, "not called");
  client::async_fetch_connect_token(io, server, access_token, 5000,
                                    [&](result<v1::ConnectToken> got) { answer = std::move(got); });
  io.run();
  if (!answer) throw std::runtime_error("connect token refused: " + answer.error().message);
  auto token = client::to_connect_token(*answer);
  if (!token) throw std::runtime_error("bad connect token: " + token.error().message);
  return *token;
}

udp_client::udp_client(udp::issued_connect_token token, bool offline)
    : offline_(offline), token_(std::move(token)), endpoint_(udp::guildhall_endpoint_config()) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("cannot open a UDP socket");
}

udp_client::~udp_client() { ::close(fd_); }

std::uint64_t udp_client::now_ms() const {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

bool udp_client::connect(std::chrono::milliseconds timeout) {
  protocol_.connect(token_, now_ms());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    turn(5ms);
    if (protocol_.state() == udp::client_state::connected) return true;
    if (!protocol_.connecting()) return false;
  }
  return false;
}

void udp_client::start() {
  protocol_.connect(token_, now_ms());
  protocol_.update(now_ms(), *this);
}

void udp_client::feed(std::span<const std::uint8_t> datagram) {
  protocol_.receive(token_.server_addresses.at(0), datagram, now_ms(), *this);
  protocol_.update(now_ms(), *this);
}

void udp_client::send(const udp::peer_address& to, std::span<const std::uint8_t> bytes) {
  sent_.emplace_back(bytes.begin(), bytes.end());
  if (offline_) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(to.port);
  std::memcpy(&address.sin_addr, to.bytes.data(), 4);
  ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&address), sizeof address);
}

void udp_client::send_raw(std::span<const std::uint8_t> bytes) { send(token_.server_addresses.at(0), bytes); }

void udp_client::turn(std::chrono::milliseconds wait) {
  pollfd readable{fd_, POLLIN, 0};
  ::poll(&readable, 1, static_cast<int>(wait.count()));
  std::array<std::uint8_t, 2048> buffer;
  sockaddr_in from{};
  socklen_t from_length = sizeof from;
  ssize_t n;
  while ((n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_length)) > 0) {
    std::array<std::uint8_t, 4> octets;
    std::memcpy(octets.data(), &from.sin_addr, 4);
    protocol_.receive(udp::peer_address::ipv4(octets, ntohs(from.sin_port)),
                      {buffer.data(), static_cast<std::size_t>(n)}, now_ms(), *this);
    from_length = sizeof from;
  }
  const auto now = now_ms();
  protocol_.update(now, *this);
  if (protocol_.state() == udp::client_state::connected) {
    udp::client_payload_sink sink(protocol_, now, *this);
    endpoint_.write_packets(now, sink);
  }
}

void udp_client::on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) {
  if (!endpoint_.receive_packet(payload, now_ms(), sequence)) return;
  struct collect final : udp::message_sink {
    udp_client& self;
    explicit collect(udp_client& owner) : self(owner) {}
    void message(udp::channel, std::span<const std::uint8_t> bytes) override {
      v1::Envelope envelope;
      if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
      if (envelope.has_closing()) self.closing_code = envelope.closing().code();
      (envelope.cid() != 0 ? self.answers_ : self.pushes).push_back(std::move(envelope));
    }
  } into{*this};
  endpoint_.drain(into);
}

void udp_client::send(const v1::Envelope& message) {
  const std::string bytes = message.SerializeAsString();
  endpoint_.send(udp::channel::reliable, {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  turn(0ms);
}

void udp_client::send_unreliable(const v1::Envelope& message) {
  const std::string bytes = message.SerializeAsString();
  endpoint_.send_latest({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, 1);
  turn(0ms);
}

v1::Envelope udp_client::call(v1::Envelope request, std::chrono::milliseconds timeout) {
  const std::uint32_t cid = next_cid_++;
  request.set_cid(cid);
  send(request);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto it = answers_.begin(); it != answers_.end(); ++it) {
      if (it->cid() != cid) continue;
      v1::Envelope answer = std::move(*it);
      answers_.erase(it);
      return answer;
    }
    turn(5ms);
  }
  v1::Envelope none;
  none.mutable_error()->set_message("no answer within the timeout");
  return none;
}

std::optional<v1::Envelope> udp_client::next_push(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pushes.empty() && std::chrono::steady_clock::now() < deadline) turn(5ms);
  if (pushes.empty()) return std::nullopt;
  v1::Envelope push = std::move(pushes.front());
  pushes.pop_front();
  return push;
}

void udp_client::pump(std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) turn(5ms);
}

void udp_client::disconnect() { protocol_.disconnect(*this); }

}  // namespace guildhall::testing
