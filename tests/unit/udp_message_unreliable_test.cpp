// The unreliable channel of the UDP message layer: newest-only delivery, latest-wins replacement by slot,
// fragmented snapshots delivered whole or not at all.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "udp_duplex.hpp"

namespace {

using namespace guildhall::wire::udp;
using namespace guildhall::wire::udp::testing;
using bytes = std::vector<std::uint8_t>;

bytes numbered(std::uint32_t n, std::size_t size) {
  bytes message(size, static_cast<std::uint8_t>(n * 13));
  for (std::size_t i = 0; i < 4 && i < size; ++i) message[i] = static_cast<std::uint8_t>(n >> (8 * i));
  return message;
}

std::uint32_t number(const bytes& message) {
  return message[0] | (message[1] << 8) | (message[2] << 16) | (static_cast<std::uint32_t>(message[3]) << 24);
}

TEST(UdpMessageUnreliable, DeliversOnlyNewerThanTheLastOnABadNetwork) {
  impairment_config net = bad_network(3);
  net.reorder_percent = 20;  // plenty of late packets to drop
  duplex link(endpoint_config{}, net, bad_network(4));
  collecting_sink got;
  std::uint32_t sent = 0;
  for (int tick = 0; tick < 2000; ++tick) {
    // 2 KB snapshots (two fragments) at 50 Hz from a, and small ones.
    if (tick % 4 == 0) {
      ASSERT_EQ(link.a.send(channel::unreliable, numbered(sent++, tick % 8 ? 2000 : 40)), send_result::queued);
    }
    link.step(5);
    link.b.drain(got);
  }
  for (int i = 0; i < 100; ++i) link.step(5);
  link.b.drain(got);
  ASSERT_GT(got.messages.size(), sent * 8 / 10);
  ASSERT_LT(got.messages.size(), sent);  // some were lost or arrived too late
  std::uint32_t last = 0;
  for (std::size_t i = 0; i < got.messages.size(); ++i) {
    const auto& m = got.messages[i];
    EXPECT_EQ(m.on, channel::unreliable);
    const std::uint32_t n = number(m.bytes);
    if (i > 0) {
      EXPECT_GT(n, last) << "an older message after a newer one";
    }
    EXPECT_EQ(m.bytes, numbered(n, m.bytes.size()));
    last = n;
  }
  EXPECT_GT(link.b.stats().dropped(drop_reason::stale_unreliable), 0u);
}

// Snapshots one way, inputs the other (so acks ride on both), across two wraps of the 16-bit id on a bad network:
// once the receiver has acknowledged one, ids travel as their low byte and a lone message without its flags, and
// the receiver still restores every id (newest-only, nothing older after newer, nothing mistaken for stale).
TEST(UdpMessageUnreliable, ShortIdsOnceAckedStayNewestOnlyAcrossTheWrap) {
  duplex link(endpoint_config{}, bad_network(7), bad_network(8));
  struct sizing_sink final : packet_sink {
    explicit sizing_sink(packet_sink& next) : next_(next) {}
    void packet(std::span<const std::uint8_t> p) override {
      decoded_packet d;
      ASSERT_TRUE(decode_packet(p, endpoint_config{}, d));
      for (const auto& m : d.messages) (m.short_id ? short_ids : long_ids)++;
      if (p[0] & kLayoutLoneMessage) ++lone;
      next_.packet(p);
    }
    std::optional<std::uint64_t> next_sequence() const override { return next_.next_sequence(); }
    packet_sink& next_;
    std::uint64_t short_ids = 0, long_ids = 0, lone = 0;
  };
  collecting_sink got, inputs;
  constexpr std::uint32_t kSent = 70000;  // one every 20 ms: 23 minutes of a 50 Hz game's snapshots
  std::uint64_t short_ids = 0, long_ids = 0, lone = 0;
  for (std::uint32_t step = 0; step < kSent * 4; ++step) {
    if (step % 4 == 0) {
      ASSERT_EQ(link.a.send(channel::unreliable, numbered(step / 4, 40)), send_result::queued);
      ASSERT_EQ(link.b.send(channel::unreliable, numbered(step / 4, 12)), send_result::queued);
    }
    link.step(5, [&](packet_sink& to_b) {
      sizing_sink counted(to_b);
      link.a.write_packets(link.now, counted);
      short_ids += counted.short_ids;
      long_ids += counted.long_ids;
      lone += counted.lone;
    });
    link.b.drain(got);
    link.a.drain(inputs);
  }
  // 5% lost, 2% reordered behind a newer one and so dropped as stale: about 93% arrive.
  EXPECT_GT(got.messages.size(), kSent * 90 / 100);
  EXPECT_GT(inputs.messages.size(), kSent * 90 / 100);
  std::uint32_t last = 0;
  for (std::size_t i = 0; i < got.messages.size(); ++i) {
    const std::uint32_t n = number(got.messages[i].bytes);
    if (i > 0) {
      ASSERT_GT(n, last) << "an older message after a newer one, at " << i;
    }
    last = n;
  }
  // Only the first few, before the first ack came back, went with two bytes.
  EXPECT_LT(long_ids, 100u);
  EXPECT_GT(short_ids, kSent - 100);
  EXPECT_GT(lone, kSent - 100);
}

TEST(UdpMessageUnreliable, LatestWinsBySlot) {
  duplex link(endpoint_config{}, impairment_config{}, impairment_config{});
  ASSERT_EQ(link.a.send_latest(numbered(1, 100), 7), send_result::queued);
  ASSERT_EQ(link.a.send_latest(numbered(2, 100), 8), send_result::queued);
  ASSERT_EQ(link.a.send_latest(numbered(3, 100), 7), send_result::queued);  // replaces 1
  ASSERT_EQ(link.a.send_latest(numbered(4, 3000), 0), send_result::queued);
  ASSERT_EQ(link.a.send_latest(numbered(5, 100), 0), send_result::queued);  // slot 0 never replaces
  EXPECT_EQ(link.a.stats().dropped(drop_reason::unreliable_replaced), 1u);
  link.step(1);
  link.step(1);
  collecting_sink got;
  link.b.drain(got);
  std::vector<std::uint32_t> numbers;
  for (const auto& m : got.messages) numbers.push_back(number(m.bytes));
  EXPECT_EQ(numbers, (std::vector<std::uint32_t>{2, 3, 4, 5}));
  EXPECT_EQ(got.messages[2].bytes, numbered(4, 3000));

  // Written and forgotten: nothing is ever resent.
  const auto sent = link.a.stats().packets_sent;
  for (int i = 0; i < 200; ++i) link.step(10);
  EXPECT_EQ(link.a.stats().packets_sent, sent);
  link.b.drain(got);
  EXPECT_EQ(got.messages.size(), 4u);
}

TEST(UdpMessageUnreliable, AnIncompleteFragmentedMessageIsNeverDelivered) {
  // Drop every packet from a to b after the first: the 2nd fragment of a 3-packet message never arrives.
  duplex link(endpoint_config{}, impairment_config{}, impairment_config{});
  ASSERT_EQ(link.a.send(channel::unreliable, numbered(1, 2500)), send_result::queued);
  struct first_only final : packet_sink {
    void packet(std::span<const std::uint8_t> p) override {
      if (packets.empty()) packets.emplace_back(p.begin(), p.end());
    }
    std::vector<bytes> packets;
  } sink;
  link.a.write_packets(link.now, sink);
  ASSERT_EQ(sink.packets.size(), 1u);
  ASSERT_TRUE(link.b.receive_packet(sink.packets[0], link.now));
  collecting_sink got;
  link.b.drain(got);
  EXPECT_TRUE(got.messages.empty());
  // A newer complete message supersedes the partial one.
  ASSERT_EQ(link.a.send(channel::unreliable, numbered(2, 50)), send_result::queued);
  link.step(1);
  link.step(1);
  link.b.drain(got);
  ASSERT_EQ(got.messages.size(), 1u);
  EXPECT_EQ(number(got.messages[0].bytes), 2u);
  EXPECT_EQ(link.b.stats().dropped(drop_reason::unreliable_partial_evicted), 1u);
}

TEST(UdpMessageUnreliable, TheQueueIsBounded) {
  endpoint_config config;
  config.unreliable_queue_messages = 3;
  message_endpoint endpoint(config);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(endpoint.send(channel::unreliable, bytes(10)), send_result::queued);
  EXPECT_EQ(endpoint.send(channel::unreliable, bytes(10)), send_result::over_limit);
  EXPECT_TRUE(endpoint.wants_to_send(0));
}

}  // namespace
