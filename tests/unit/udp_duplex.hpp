#pragma once
// Two message endpoints joined by two seeded network simulators (one per direction), with time advanced by hand:
// the whole UDP message layer under a chosen bad network, as a deterministic unit test.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/network_simulator.hpp"

namespace guildhall::wire::udp::testing {

struct no_tag {};

class simulator_sink final : public packet_sink {
 public:
  simulator_sink(network_simulator<no_tag>& link, std::uint64_t now_ms) : link_(link), now_ms_(now_ms) {}
  void packet(std::span<const std::uint8_t> packet) override {
    EXPECT_LE(packet.size(), kMaxPacket);
    link_.submit(packet, no_tag{}, now_ms_);
  }
  static constexpr std::size_t kMaxPacket = 1175;

 private:
  network_simulator<no_tag>& link_;
  std::uint64_t now_ms_;
};

class collecting_sink final : public message_sink {
 public:
  struct received {
    channel on;
    std::vector<std::uint8_t> bytes;
  };
  void message(channel on, std::span<const std::uint8_t> message) override {
    messages.push_back({on, {message.begin(), message.end()}});
  }
  std::vector<received> messages;
};

struct duplex {
  duplex(const endpoint_config& config, const impairment_config& a_to_b_net, const impairment_config& b_to_a_net)
      : a(config), b(config), a_to_b(a_to_b_net), b_to_a(b_to_a_net) {}

  // Advances time by `ms`: due packets arrive (each must decode), then both endpoints write.
  void step(std::uint64_t ms) {
    now += ms;
    a_to_b.deliver_due(now, [&](const no_tag&, std::span<const std::uint8_t> p) {
      EXPECT_TRUE(b.receive_packet(p, now).has_value());
    });
    b_to_a.deliver_due(now, [&](const no_tag&, std::span<const std::uint8_t> p) {
      EXPECT_TRUE(a.receive_packet(p, now).has_value());
    });
    simulator_sink to_b(a_to_b, now), to_a(b_to_a, now);
    a.write_packets(now, to_b);
    b.write_packets(now, to_a);
  }

  message_endpoint a, b;
  network_simulator<no_tag> a_to_b, b_to_a;
  std::uint64_t now = 1000;
};

// 150 ms RTT +- 20 ms jitter, 5% loss, 1% duplication, 2% reordering in this direction.
inline impairment_config bad_network(std::uint64_t seed) {
  impairment_config net;
  net.latency_ms = 75;
  net.jitter_ms = 10;
  net.loss_percent = 5;
  net.duplicate_percent = 1;
  net.reorder_percent = 2;
  net.reorder_delay_ms = 40;
  net.seed = seed;
  return net;
}

}  // namespace guildhall::wire::udp::testing
