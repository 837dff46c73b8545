// The reliable-ordered channel of the UDP message layer (src/wire/udp/message_endpoint.hpp) through the seeded
// network simulator: every message exactly once and in order under loss, duplication, reordering and jitter, in
// both directions at once; fragments; queue caps.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "udp_duplex.hpp"

namespace {

using namespace guildhall::wire::udp;
using namespace guildhall::wire::udp::testing;
using bytes = std::vector<std::uint8_t>;

// Message `index` of a stream: its index in the first four bytes, then bytes derived from index and position, so
// a swapped, truncated or mixed-up reassembly cannot pass the check.
bytes make_message(std::uint32_t index, std::size_t size) {
  bytes message(size);
  for (std::size_t i = 0; i < size; ++i) message[i] = static_cast<std::uint8_t>((index * 131 + i * 7) ^ (i >> 8));
  for (std::size_t i = 0; i < 4 && i < size; ++i) message[i] = static_cast<std::uint8_t>(index >> (8 * i));
  return message;
}

// One direction of the test: sends `total` messages of random sizes (1 B .. 10 KB) as fast as the queue takes
// them, checks the other side gets exactly the same, in order.
struct stream {
  stream(std::uint64_t seed, std::size_t total) : random(seed) {
    std::uniform_int_distribution<std::size_t> size(1, 10 * 1024);
    for (std::size_t i = 0; i < total; ++i) sizes.push_back(size(random));
  }
  void offer(message_endpoint& from) {
    while (next_send < sizes.size()) {
      const bytes message = make_message(static_cast<std::uint32_t>(next_send), sizes[next_send]);
      const auto result = from.send(channel::reliable, message);
      if (result == send_result::over_limit) return;
      ASSERT_EQ(result, send_result::queued);
      ++next_send;
    }
  }
  void collect(message_endpoint& to) {
    collecting_sink got;
    to.drain(got);
    for (const auto& m : got.messages) {
      ASSERT_EQ(m.on, channel::reliable);
      ASSERT_LT(next_receive, sizes.size()) << "a message more than was sent";
      ASSERT_EQ(m.bytes, make_message(static_cast<std::uint32_t>(next_receive), sizes[next_receive]))
          << "message " << next_receive << " wrong, out of order or twice";
      ++next_receive;
    }
  }
  bool done() const { return next_receive == sizes.size(); }

  std::mt19937_64 random;
  std::vector<std::size_t> sizes;
  std::size_t next_send = 0, next_receive = 0;
};

void run_both_ways(std::uint64_t seed, const endpoint_config& config = {}) {
  duplex link(config, bad_network(seed), bad_network(seed + 1));
  stream a_to_b(seed + 2, 2000), b_to_a(seed + 3, 2000);
  std::mt19937_64 steps(seed + 4);
  const std::uint64_t deadline = link.now + 300'000;
  while (!(a_to_b.done() && b_to_a.done()) && link.now < deadline) {
    a_to_b.offer(link.a);
    b_to_a.offer(link.b);
    link.step(5 + steps() % 6);
    a_to_b.collect(link.b);
    b_to_a.collect(link.a);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_TRUE(a_to_b.done()) << a_to_b.next_receive << " of 2000 arrived";
  EXPECT_TRUE(b_to_a.done()) << b_to_a.next_receive << " of 2000 arrived";
  for (auto* endpoint : {&link.a, &link.b}) {
    const auto stats = endpoint->stats();
    EXPECT_EQ(stats.dropped(drop_reason::malformed_packet), 0u);
    EXPECT_GT(stats.fragments_resent, 0u);  // 5% loss: some fragments had to go again
    EXPECT_GT(stats.dropped(drop_reason::duplicate_packet), 0u);  // 1% duplication reached the endpoint
  }
  // Drain what is still in flight (acks) and check nothing more is delivered.
  for (int i = 0; i < 200; ++i) link.step(10);
  a_to_b.collect(link.b);
  b_to_a.collect(link.a);
  EXPECT_EQ(link.a.stats().reliable_in_flight, 0u);
  EXPECT_EQ(link.b.stats().reliable_in_flight, 0u);
  EXPECT_GT(link.a_to_b.stats().reordered, 0u);
  EXPECT_GT(link.a_to_b.stats().duplicated, 0u);
}

TEST(UdpMessageReliable, TwoThousandMessagesEachWayExactlyOnceInOrderOnABadNetwork) { run_both_ways(1); }
TEST(UdpMessageReliable, TwoThousandMessagesEachWayAnotherSeed) { run_both_ways(77); }
// As the server and the SDK run it: packets numbered by the transport, which skips numbers for its keep-alives.
TEST(UdpMessageReliable, TwoThousandMessagesEachWayNumberedByTheTransport) {
  endpoint_config config;
  config.sequence_from_transport = true;
  run_both_ways(5, config);
}

TEST(UdpMessageReliable, ALargestMessageArrivesWholeAndALargerOneIsRefused) {
  duplex link(endpoint_config{}, bad_network(5), bad_network(6));
  const endpoint_config config;
  const bytes largest = make_message(9, config.max_message_bytes);
  ASSERT_EQ(link.a.send(channel::reliable, largest), send_result::queued);
  EXPECT_EQ(link.a.send(channel::reliable, bytes(config.max_message_bytes + 1)), send_result::too_large);
  EXPECT_EQ(link.a.send(channel::unreliable, bytes(config.max_message_bytes + 1)), send_result::too_large);
  EXPECT_EQ(link.a.send_latest(bytes(config.max_message_bytes + 1), 3), send_result::too_large);
  collecting_sink got;
  for (int i = 0; i < 1000 && got.messages.empty(); ++i) {
    link.step(10);
    link.b.drain(got);
  }
  ASSERT_EQ(got.messages.size(), 1u);
  EXPECT_EQ(got.messages[0].bytes, largest);
}

TEST(UdpMessageReliable, TheSendQueueIsCappedInMessagesAndBytes) {
  endpoint_config config;
  config.send_queue_messages = 10;
  config.send_queue_bytes = 100 * 1024;
  config.max_message_bytes = 64 * 1024;
  config.max_fragments = 64;
  config.receive_buffer_bytes = 100 * 1024;
  config.unreliable_queue_bytes = 100 * 1024;
  message_endpoint endpoint(config);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(endpoint.send(channel::reliable, bytes(10)), send_result::queued);
  EXPECT_EQ(endpoint.send(channel::reliable, bytes(10)), send_result::over_limit);

  message_endpoint by_bytes(config);
  ASSERT_EQ(by_bytes.send(channel::reliable, bytes(60 * 1024)), send_result::queued);
  EXPECT_EQ(by_bytes.send(channel::reliable, bytes(60 * 1024)), send_result::over_limit);
  EXPECT_EQ(by_bytes.send(channel::reliable, bytes(30 * 1024)), send_result::queued);
  EXPECT_EQ(by_bytes.stats().reliable_queued_bytes, 90u * 1024);
}

TEST(UdpMessageReliable, InvalidConfigurationsAreRefused) {
  endpoint_config config;
  EXPECT_TRUE(config.validate());
  config.fragment_bytes = 1170;  // no room for the headers in a 1175-byte packet
  EXPECT_FALSE(config.validate());
  config = {};
  config.max_fragments = 10;  // cannot carry max_message_bytes
  EXPECT_FALSE(config.validate());
  config = {};
  config.receive_window = 40000;  // 16-bit ids would alias
  EXPECT_FALSE(config.validate());
  config = {};
  config.min_send_rate_bytes_per_second = 2 * 1024 * 1024;  // above max
  EXPECT_FALSE(config.validate());
  config = {};
  config.loss_threshold = 1.5;
  EXPECT_FALSE(config.validate());
  EXPECT_THROW(message_endpoint{config}, std::invalid_argument);
}

TEST(UdpMessageReliable, AReceiverThatOnlyReceivesStillAcks) {
  duplex link(endpoint_config{}, impairment_config{}, impairment_config{});
  ASSERT_EQ(link.a.send(channel::reliable, bytes{1, 2, 3}), send_result::queued);
  for (int i = 0; i < 10; ++i) link.step(10);
  collecting_sink got;
  link.b.drain(got);
  EXPECT_EQ(got.messages.size(), 1u);
  EXPECT_EQ(link.a.stats().reliable_in_flight, 0u);  // acked by b's ack-only packet
  EXPECT_GE(link.b.stats().packets_sent, 1u);
  // Once acked, nobody owes anything: the line goes quiet (no ack ping-pong).
  const auto sent_a = link.a.stats().packets_sent, sent_b = link.b.stats().packets_sent;
  for (int i = 0; i < 50; ++i) link.step(10);
  EXPECT_EQ(link.a.stats().packets_sent, sent_a);
  EXPECT_EQ(link.b.stats().packets_sent, sent_b);
  EXPECT_FALSE(link.a.wants_to_send(link.now));
  EXPECT_FALSE(link.b.wants_to_send(link.now));
}

}  // namespace

namespace {

// 70,000 small messages, one packet each way per millisecond: packet sequences and message ids both wrap past
// 65535 on a lossy, reordering link, and every message still arrives once, in order.
TEST(UdpMessageReliable, SequencesAndMessageIdsWrapAround) {
  impairment_config net = bad_network(91);
  net.latency_ms = 10;
  net.jitter_ms = 3;
  duplex link(endpoint_config{}, net, bad_network(92));
  constexpr std::uint32_t kMessages = 70'000;
  std::uint32_t sent = 0, received = 0;
  collecting_sink got;
  while (received < kMessages && link.now < 1000 + 200'000) {
    if (sent < kMessages) {
      const bytes message{static_cast<std::uint8_t>(sent), static_cast<std::uint8_t>(sent >> 8),
                          static_cast<std::uint8_t>(sent >> 16)};
      if (link.a.send(channel::reliable, message) == send_result::queued) ++sent;
    }
    link.step(1);
    got.messages.clear();
    link.b.drain(got);
    for (const auto& m : got.messages) {
      ASSERT_EQ(m.bytes[0] | (m.bytes[1] << 8) | (m.bytes[2] << 16), static_cast<int>(received)) << "out of order";
      ++received;
    }
  }
  EXPECT_EQ(received, kMessages);
  EXPECT_GT(link.a.stats().packets_sent, 65536u);
  EXPECT_EQ(link.b.stats().dropped(drop_reason::message_out_of_window), 0u);
}

}  // namespace

namespace {

// Regression: a message the receiver had no room for (beyond its window while the game had not drained, or past
// its buffer) used to be dropped while its packet was acked, so the sender forgot it. Such a packet is now left
// unacked and its messages come again.
TEST(UdpMessageReliable, AReceiverThatDoesNotDrainLosesNothing) {
  endpoint_config config;
  config.receive_window = 8;
  config.receive_buffer_bytes = config.max_message_bytes;  // about sixteen 4 KB messages
  duplex link(config, bad_network(41), bad_network(42));
  constexpr std::uint32_t kMessages = 300;
  std::uint32_t sent = 0, received = 0;
  collecting_sink got;
  for (int step = 0; step < 20000 && received < kMessages; ++step) {
    while (sent < kMessages && link.a.send(channel::reliable, make_message(sent, 4000)) == send_result::queued) ++sent;
    link.step(5);
    if (step % 100 != 99) continue;  // the game drains twice a second only
    got.messages.clear();
    link.b.drain(got);
    for (const auto& m : got.messages) {
      ASSERT_EQ(m.bytes, make_message(received, 4000)) << "message " << received;
      ++received;
    }
  }
  EXPECT_EQ(received, kMessages);
  const auto b = link.b.stats();
  EXPECT_GT(b.dropped(drop_reason::message_out_of_window) + b.dropped(drop_reason::receive_buffer_full), 0u);
  EXPECT_GT(b.dropped(drop_reason::packet_not_stored), 0u);
}

}  // namespace
