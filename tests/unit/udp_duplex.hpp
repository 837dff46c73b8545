#pragma once
// Two message endpoints joined by two seeded network simulators (one per direction), with time advanced by hand:
// the whole UDP message layer under a chosen bad network, as a deterministic unit test.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/network_simulator.hpp"

namespace guildhall::wire::udp::testing {

// Sends each packet into a simulated link, numbered as a transport numbers it (the simulator carries the number to
// the receiver; endpoint_config::sequence_from_transport uses it, other endpoints ignore it). With `gaps`, every
// fifth number is skipped, as the connection layer's keep-alives take theirs between payloads.
class simulator_sink final : public packet_sink {
 public:
  simulator_sink(network_simulator<std::uint64_t>& link, std::uint64_t now_ms, std::uint64_t& next, bool gaps)
      : link_(link), now_ms_(now_ms), next_(next), gaps_(gaps) {}
  void packet(std::span<const std::uint8_t> packet) override {
    EXPECT_LE(packet.size(), kMaxPacket);
    link_.submit(packet, next_, now_ms_);
    ++next_;
    if (gaps_ && next_ % 5 == 0) ++next_;
  }
  std::optional<std::uint64_t> next_sequence() const override { return next_; }
  static constexpr std::size_t kMaxPacket = 1175;

 private:
  network_simulator<std::uint64_t>& link_;
  std::uint64_t now_ms_;
  std::uint64_t& next_;
  bool gaps_;
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
      : a(config), b(config), a_to_b(a_to_b_net), b_to_a(b_to_a_net), gaps(config.sequence_from_transport) {}

  // Advances time by `ms`: due packets arrive (each must decode), then both endpoints write; `tap_a`, when given,
  // sees a's packets on their way (it must pass them to the sink it is given).
  void step(std::uint64_t ms, const std::function<void(packet_sink&)>& write_a = nullptr) {
    now += ms;
    a_to_b.deliver_due(now, [&](const std::uint64_t& sequence, std::span<const std::uint8_t> p) {
      EXPECT_TRUE(b.receive_packet(p, now, sequence).has_value());
    });
    b_to_a.deliver_due(now, [&](const std::uint64_t& sequence, std::span<const std::uint8_t> p) {
      EXPECT_TRUE(a.receive_packet(p, now, sequence).has_value());
    });
    simulator_sink to_b(a_to_b, now, a_sequence, gaps), to_a(b_to_a, now, b_sequence, gaps);
    if (write_a) {
      write_a(to_b);
    } else {
      a.write_packets(now, to_b);
    }
    b.write_packets(now, to_a);
  }

  message_endpoint a, b;
  network_simulator<std::uint64_t> a_to_b, b_to_a;
  std::uint64_t now = 1000;
  std::uint64_t a_sequence = 1, b_sequence = 1;  // the transport's next packet number, per direction
  bool gaps;
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
