// libFuzzer target: every UDP packet type through the connection layer's receive paths (wire/udp/). A
// server_protocol with fixed keys (udp_fuzz_fixture.hpp) takes datagrams from three addresses, and a
// client_protocol holding a fixed token takes datagrams from the server's address; the clock moves as the input
// says. Whatever arrives, the server must never answer an unconnected address with more bytes than it received,
// never exceed its caps, never send a datagram over kMaxDatagramBytes, and report each connection's end once.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>

#include "udp_fuzz_fixture.hpp"
#include "wire/udp/client_protocol.hpp"

namespace {

using namespace udp_fuzz;

struct size_checking_sink : datagram_sink {
  std::size_t limit = kMaxDatagramBytes;
  void send(const peer_address&, std::span<const std::uint8_t> bytes) override {
    if (bytes.size() > kMaxDatagramBytes || bytes.size() > limit) std::abort();
  }
};

struct server_events : server_protocol_events {
  std::map<std::uint32_t, peer_address> live;  // slot -> address
  server_protocol* server = nullptr;
  size_checking_sink echo_sink;
  std::uint64_t now = kStartMs;

  void on_connected(client_handle client, const peer_address& from, const token_identity& identity) override {
    if (identity.username.size() > kMaxUsernameBytes || live.contains(client.slot)) std::abort();
    live.emplace(client.slot, from);
  }
  void on_payload(client_handle client, std::uint64_t, std::span<const std::uint8_t> payload) override {
    if (payload.empty() || payload.size() > kMaxPayloadBytes) std::abort();
    // Echo, as a game would: sending from inside a callback must be safe.
    if (!server->send_payload(client, payload, now, echo_sink)) std::abort();
  }
  void on_disconnected(client_handle client, disconnect_reason) override {
    if (live.erase(client.slot) != 1) std::abort();
  }
  bool connected(const peer_address& address) const {
    for (const auto& [slot, from] : live) {
      if (from == address) return true;
    }
    return false;
  }
};

struct client_events : client_protocol_events {
  void on_payload(std::uint64_t, std::span<const std::uint8_t> payload) override {
    if (payload.empty() || payload.size() > kMaxPayloadBytes) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  server_events events;
  server_protocol server(config(), events);
  events.server = &server;
  client_protocol client;
  client_events client_events;
  client.connect(token(kClientUser), events.now);
  size_checking_sink unlimited;

  std::span<const std::uint8_t> input(data, size);
  while (input.size() >= 3) {
    const unsigned who = input[0];
    const std::size_t length = std::min<std::size_t>(input[1] | (std::size_t{input[2]} << 8), input.size() - 3);
    const auto datagram = input.subspan(3, length);
    input = input.subspan(3 + length);
    events.now += 100 * (who >> 2);
    if ((who & 3) == 3) {
      client.receive(server_address(), datagram, events.now, client_events);
    } else {
      const auto from = sender(who & 3);
      size_checking_sink replies;
      // Before the handshake with `from` completes, no reply may be larger than what it sent.
      if (!events.connected(from)) replies.limit = datagram.size();
      server.receive(from, datagram, events.now, replies);
    }
    server.update(events.now, unlimited);
    client.update(events.now, unlimited);
    if (server.client_count() > 2 || server.pending_count() > 2 || server.token_entry_count() > 4) std::abort();
    if (server.client_count() != events.live.size()) std::abort();
  }
  return 0;
}
