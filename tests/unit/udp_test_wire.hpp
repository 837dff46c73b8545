#pragma once
// An in-memory "wire" for the UDP connection layer tests: a server_protocol and any number of client_protocols
// exchange datagrams through vectors, and the test moves the clock by hand. Every datagram the server sends to an
// address that was not connected when the datagram that caused it arrived is checked against that datagram's
// size: the server must never amplify before the handshake completes.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <vector>

#include "wire/udp/client_protocol.hpp"
#include "wire/udp/connect_token.hpp"
#include "wire/udp/server_protocol.hpp"

namespace guildhall::wire::udp::testing {

using bytes = std::vector<std::uint8_t>;

struct datagram {
  peer_address to;
  bytes data;
};

struct recording_sink : datagram_sink {
  std::vector<datagram> sent;
  void send(const peer_address& to, std::span<const std::uint8_t> data) override {
    sent.push_back({to, bytes(data.begin(), data.end())});
  }
};

struct recorded_server_events : server_protocol_events {
  struct connection {
    client_handle handle;
    peer_address from;
    token_identity identity;
  };
  std::vector<connection> connected;
  std::vector<std::pair<client_handle, bytes>> payloads;
  std::vector<std::uint64_t> sequences;
  std::vector<std::pair<client_handle, disconnect_reason>> disconnected;
  std::set<std::pair<std::uint32_t, std::uint32_t>> live;

  void on_connected(client_handle client, const peer_address& from, const token_identity& identity) override {
    connected.push_back({client, from, identity});
    live.insert({client.slot, client.generation});
  }
  void on_payload(client_handle client, std::uint64_t sequence, std::span<const std::uint8_t> payload) override {
    payloads.emplace_back(client, bytes(payload.begin(), payload.end()));
    sequences.push_back(sequence);
  }
  void on_disconnected(client_handle client, disconnect_reason reason) override {
    disconnected.emplace_back(client, reason);
    live.erase({client.slot, client.generation});
  }
};

struct recorded_client_events : client_protocol_events {
  std::vector<bytes> payloads;
  std::vector<std::uint64_t> sequences;
  void on_payload(std::uint64_t sequence, std::span<const std::uint8_t> payload) override {
    payloads.emplace_back(payload.begin(), payload.end());
    sequences.push_back(sequence);
  }
};

inline peer_address v4(std::uint8_t last, std::uint16_t port) { return peer_address::ipv4({10, 0, 0, last}, port); }

inline constexpr std::uint64_t kProtocolId = 0x4755494c44484131ull;
inline constexpr std::uint64_t kStartMs = 1'800'000'000'000ull;  // Unix ms, 2027

inline key fixed_key(std::uint8_t seed) {
  key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 7);
  return k;
}

struct test_client {
  peer_address address;
  client_protocol protocol;
  recorded_client_events events;
};

class udp_test_wire {
 public:
  explicit udp_test_wire(server_protocol_config config) : config_(config), server(std::move(config), events) {}

  static server_protocol_config default_config() {
    server_protocol_config config;
    config.protocol_id = kProtocolId;
    config.connect_token_key = fixed_key(1);
    config.public_addresses = {v4(1, 9702)};
    config.max_clients = 4;
    return config;
  }

  // A token for `user`, naming `addresses` (default: the server's first public address).
  issued_connect_token token(std::uint64_t user, std::vector<peer_address> addresses = {},
                             std::uint32_t lifetime_s = 30, std::uint32_t timeout_s = kDefaultTimeoutSeconds,
                             std::uint64_t protocol_id = kProtocolId) const {
    connect_token_private claims;
    claims.client_id = user;
    claims.timeout_seconds = timeout_s;
    claims.server_addresses = addresses.empty() ? config_.public_addresses : addresses;
    claims.user_data = *pack_identity({user, "player" + std::to_string(user), user * 100});
    return *issue_connect_token(claims, protocol_id, now_ms / 1000, lifetime_s, config_.connect_token_key);
  }

  test_client& add_client(std::uint8_t last_octet) {
    clients.push_back(std::make_unique<test_client>());
    clients.back()->address = v4(last_octet, 50000);
    return *clients.back();
  }

  // Hands one datagram to the server as if from `from`, checks the no-amplification rule on its replies, and
  // returns them.
  std::vector<datagram> to_server(const peer_address& from, const bytes& data) {
    const bool was_connected = connected_address(from);
    recording_sink sink;
    server.receive(from, data, now_ms, sink);
    for (const auto& reply : sink.sent) {
      if (!was_connected) {
        EXPECT_LE(reply.data.size(), data.size()) << "amplification before the handshake";
      }
    }
    return sink.sent;
  }

  // One round: every client updates, its datagrams reach the server, the server's replies reach their clients;
  // then the server updates and its datagrams reach their clients. `drop_up` / `drop_down` lose traffic.
  void step(bool drop_up = false, bool drop_down = false) {
    std::vector<datagram> down;
    for (auto& client : clients) {
      recording_sink sink;
      client->protocol.update(now_ms, sink);
      for (auto& d : sink.sent) {
        ++up_count;
        if (drop_up || d.to != server_address()) continue;  // other addresses are a black hole
        for (auto& reply : to_server(client->address, d.data)) down.push_back(std::move(reply));
      }
    }
    recording_sink server_sink;
    server.update(now_ms, server_sink);
    for (auto& d : server_sink.sent) down.push_back(std::move(d));
    if (!drop_down) deliver(down);
  }

  void deliver(const std::vector<datagram>& down) {
    for (const auto& d : down) {
      ++down_count;
      for (auto& client : clients) {
        if (client->address == d.to) client->protocol.receive(server_address(), d.data, now_ms, client->events);
      }
    }
  }

  // Advances time in 10 ms steps for `ms` milliseconds.
  void run(std::uint64_t ms, bool drop_up = false, bool drop_down = false) {
    for (std::uint64_t t = 0; t < ms; t += 10) {
      now_ms += 10;
      step(drop_up, drop_down);
    }
  }

  peer_address server_address() const { return config_.public_addresses.front(); }

  bool connected_address(const peer_address& address) const {
    for (const auto& c : events.connected) {
      if (c.from == address && events.live.contains({c.handle.slot, c.handle.generation})) return true;
    }
    return false;
  }

  server_protocol_config config_;
  recorded_server_events events;
  server_protocol server;
  std::vector<std::unique_ptr<test_client>> clients;
  std::uint64_t now_ms = kStartMs;
  std::size_t up_count = 0;
  std::size_t down_count = 0;
};

}  // namespace guildhall::wire::udp::testing
