// What the UDP message layer measures about the link (src/wire/udp/link_estimator.hpp through message_endpoint):
// RTT and loss close to what the simulator does, and a congestion budget that shrinks under heavy loss and
// grows back when the loss stops.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "udp_duplex.hpp"

namespace {

using namespace guildhall::wire::udp;
using namespace guildhall::wire::udp::testing;
using bytes = std::vector<std::uint8_t>;

// Keeps a's reliable queue topped up with 4 KB messages and b's drained.
void busy(duplex& link, int steps, std::uint64_t step_ms) {
  collecting_sink sink;
  for (int i = 0; i < steps; ++i) {
    while (link.a.stats().reliable_in_flight < 200) {
      ASSERT_EQ(link.a.send(channel::reliable, bytes(4096, 1)), send_result::queued);
    }
    link.step(step_ms);
    link.b.drain(sink);
    sink.messages.clear();
  }
}

TEST(UdpMessageLink, RttEstimateIsCloseToTheSimulatedRtt) {
  // 150 ms RTT +- 20 ms, 5% loss each way; 5 ms steps add up to 5 ms of rounding each way.
  duplex link(endpoint_config{}, bad_network(11), bad_network(12));
  busy(link, 2000, 5);
  const auto a = link.a.stats();
  EXPECT_NEAR(a.rtt_ms, 155, 20);
  EXPECT_GE(a.min_rtt_ms, 125);
  // b only receives: its RTT comes from a's acks of b's ack-only packets, ack delay excluded.
  EXPECT_NEAR(link.b.stats().rtt_ms, 155, 25);
}

TEST(UdpMessageLink, LossEstimateIsCloseToTheSimulatedLoss) {
  impairment_config net = bad_network(21);
  net.loss_percent = 10;
  duplex link(endpoint_config{}, net, bad_network(22));
  busy(link, 4000, 5);
  const auto a = link.a.stats();
  EXPECT_NEAR(a.packet_loss, 0.10, 0.035);
  const double counted = static_cast<double>(a.packets_lost) / static_cast<double>(a.packets_lost + a.packets_acked);
  EXPECT_NEAR(counted, 0.10, 0.02);
  // Below the 10% threshold on the other side: b's own loss is 5%.
  EXPECT_NEAR(link.b.stats().packet_loss, 0.0, 0.02);  // b sends only ack-only packets, left out of loss
}

TEST(UdpMessageLink, TheBudgetShrinksUnderHeavyLossAndRecovers) {
  impairment_config net;
  net.latency_ms = 40;
  net.seed = 31;
  duplex link(endpoint_config{}, net, net);
  busy(link, 600, 5);  // 3 s clean: the rate grows while data waits on it
  const double clean = link.a.stats().send_rate_bytes_per_second;
  EXPECT_GT(clean, endpoint_config{}.initial_send_rate_bytes_per_second);

  net.loss_percent = 30;
  link.a_to_b.reconfigure(net);
  busy(link, 800, 5);  // 4 s at 30% loss
  const double lossy = link.a.stats().send_rate_bytes_per_second;
  EXPECT_LT(lossy, clean / 4);
  EXPECT_GE(lossy, endpoint_config{}.min_send_rate_bytes_per_second);
  EXPECT_NEAR(link.a.stats().packet_loss, 0.3, 0.1);

  net.loss_percent = 0;
  link.a_to_b.reconfigure(net);
  busy(link, 1000, 5);  // 5 s clean again
  const double recovered = link.a.stats().send_rate_bytes_per_second;
  EXPECT_GT(recovered, lossy * 4);
  EXPECT_GT(link.a.stats().acked_kbps, 0);
}

TEST(UdpMessageLink, TheBudgetHoldsReliableDataButNeverSnapshots) {
  endpoint_config config;  // a fixed 32 KB/s
  config.max_send_rate_bytes_per_second = config.min_send_rate_bytes_per_second;
  config.initial_send_rate_bytes_per_second = config.min_send_rate_bytes_per_second;
  duplex link(config, impairment_config{}, impairment_config{});
  for (int i = 0; i < 100; ++i) ASSERT_EQ(link.a.send(channel::reliable, bytes(1000, 2)), send_result::queued);
  collecting_sink got;
  for (int tick = 0; tick < 100; ++tick) {  // one second of 200-byte snapshots at 100 Hz: 20 KB/s
    ASSERT_EQ(link.a.send_latest(bytes(200, 3), 1), send_result::queued);
    link.step(10);
    link.b.drain(got);
  }
  std::size_t reliable = 0, unreliable = 0;
  for (const auto& m : got.messages) (m.on == channel::reliable ? reliable : unreliable)++;
  EXPECT_GE(unreliable, 99u);  // every snapshot went at once
  EXPECT_GT(reliable, 5u);     // the rest of the budget carried reliable data...
  EXPECT_LT(reliable, 30u);    // ...about 12 KB of it: the backlog waits
  EXPECT_EQ(link.a.stats().dropped(drop_reason::unreliable_over_budget), 0u);

  // Snapshots alone above the budget (60 KB/s): they overdraw it up to the debt limit, then some are dropped.
  got.messages.clear();
  for (int tick = 0; tick < 300; ++tick) {
    ASSERT_EQ(link.a.send_latest(bytes(600, 3), 1), send_result::queued);
    link.step(10);
    link.b.drain(got);
  }
  const auto dropped = link.a.stats().dropped(drop_reason::unreliable_over_budget);
  EXPECT_GT(dropped, 50u);
  EXPECT_GT(got.messages.size(), 100u);
}

}  // namespace

namespace {

struct captured final : packet_sink {
  void packet(std::span<const std::uint8_t> p) override { packets.emplace_back(p.begin(), p.end()); }
  std::vector<bytes> packets;
};

TEST(UdpMessageLink, WantsToSendMatchesWhatWritePacketsDoes) {
  message_endpoint a(endpoint_config{});  // no peer: nothing is ever acked
  captured out;
  std::uint64_t now = 5000;
  EXPECT_FALSE(a.wants_to_send(now));
  ASSERT_EQ(a.send(channel::reliable, bytes(10, 1)), send_result::queued);
  EXPECT_TRUE(a.wants_to_send(now));
  a.write_packets(now, out);
  ASSERT_EQ(out.packets.size(), 1u);
  // Not acked: due again after 1.25 x the initial 100 ms RTT, not before.
  EXPECT_FALSE(a.wants_to_send(now + 124));
  a.write_packets(now + 124, out);
  EXPECT_EQ(out.packets.size(), 1u);
  EXPECT_TRUE(a.wants_to_send(now + 125));
  a.write_packets(now + 125, out);
  EXPECT_EQ(out.packets.size(), 2u);
  EXPECT_EQ(a.stats().fragments_resent, 1u);

  // The receiving side owes an ack at once (it never sent), then at most every ack_interval_ms.
  message_endpoint b(endpoint_config{});
  ASSERT_TRUE(b.receive_packet(out.packets[0], now + 50));
  EXPECT_TRUE(b.wants_to_send(now + 50));
  captured acks;
  b.write_packets(now + 50, acks);
  ASSERT_EQ(acks.packets.size(), 1u);
  // Ack-only: layout, sequence, ack as a difference, 4 ack-bit bytes (nothing before the packet acked), delay.
  EXPECT_EQ(acks.packets[0].size(), 9u);
  ASSERT_TRUE(b.receive_packet(out.packets[1], now + 60));
  EXPECT_FALSE(b.wants_to_send(now + 60));
  EXPECT_TRUE(b.wants_to_send(now + 50 + 33));
  // The ack reaches a: RTT is measured without b's ack delay (0 here), the message leaves the queue.
  ASSERT_TRUE(a.receive_packet(acks.packets[0], now + 200));
  EXPECT_EQ(a.stats().reliable_in_flight, 0u);
  EXPECT_NEAR(a.stats().rtt_ms, 200, 0.5);
}

}  // namespace
