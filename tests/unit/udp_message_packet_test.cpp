// The message layer's packet format (src/wire/udp/message_packet.hpp): round trips, and every way a hostile
// packet can lie, refused with its error while the endpoint that got it keeps working.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "udp_duplex.hpp"
#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/message_packet.hpp"

namespace {

using namespace guildhall::wire::udp;
using bytes = std::vector<std::uint8_t>;

// A header with every field written in full (the layout the writer never needs, and a peer may still send).
bytes header(std::uint16_t sequence, std::uint16_t ack = 0, std::uint32_t bits = 0,
             std::uint16_t delay = kNoAckDelay) {
  if (delay == kNoAckDelay) {
    return {kLayoutNoAcks, static_cast<std::uint8_t>(sequence), static_cast<std::uint8_t>(sequence >> 8)};
  }
  return {kLayoutLongDelay,
          static_cast<std::uint8_t>(sequence), static_cast<std::uint8_t>(sequence >> 8),
          static_cast<std::uint8_t>(ack), static_cast<std::uint8_t>(ack >> 8),
          static_cast<std::uint8_t>(bits), static_cast<std::uint8_t>(bits >> 8),
          static_cast<std::uint8_t>(bits >> 16), static_cast<std::uint8_t>(bits >> 24),
          static_cast<std::uint8_t>(delay), static_cast<std::uint8_t>(delay >> 8)};
}

// Appends a message header as the writer would, with whatever values the test wants to lie with.
void append(bytes& packet, std::uint8_t flags, std::uint16_t id, std::uint16_t length, std::uint8_t index = 0,
            std::uint8_t count = 0) {
  packet.push_back(flags);
  packet.push_back(static_cast<std::uint8_t>(id));
  packet.push_back(static_cast<std::uint8_t>(id >> 8));
  if (flags & kFlagFragment) {
    packet.push_back(index);
    packet.push_back(count);
  }
  packet.push_back(static_cast<std::uint8_t>(length));
  packet.push_back(static_cast<std::uint8_t>(length >> 8));
}

std::expected<void, message_error> decode(const bytes& packet) {
  decoded_packet out;
  return decode_packet(packet, endpoint_config{}, out);
}

TEST(UdpMessagePacket, RoundTripsHeaderAndMessages) {
  const endpoint_config config;
  packet_writer writer(config.max_packet_bytes);
  writer.begin({65535, 40000, 0xdeadbeef, 17});
  const bytes small{1, 2, 3};
  const bytes piece(config.fragment_bytes, 0x5a);
  writer.add({channel::reliable, false, 7, 0, 1, small});
  writer.add({channel::unreliable, true, 65000, 3, 9, piece});
  writer.add({channel::reliable, false, 8, 0, 1, {}});
  writer.finish();
  // Layout, sequence, ack in full (40000 is far behind 65535), 4 ack-bit bytes, a 1-byte delay; the last message
  // goes without its length.
  EXPECT_EQ(writer.size(), 10 + 5 + 3 + 7 + piece.size() + 3);

  decoded_packet out;
  ASSERT_TRUE(decode_packet(writer.bytes(), config, out));
  EXPECT_EQ(out.header.sequence, 65535);
  EXPECT_EQ(out.header.ack, 40000);
  EXPECT_EQ(out.header.ack_bits, 0xdeadbeef);
  EXPECT_EQ(out.header.ack_delay_ms, 17);
  ASSERT_EQ(out.messages.size(), 3u);
  EXPECT_EQ(out.messages[0].on, channel::reliable);
  EXPECT_EQ(out.messages[0].id, 7);
  EXPECT_EQ(bytes(out.messages[0].payload.begin(), out.messages[0].payload.end()), small);
  EXPECT_EQ(out.messages[1].on, channel::unreliable);
  EXPECT_TRUE(out.messages[1].fragment);
  EXPECT_EQ(out.messages[1].id, 65000);
  EXPECT_EQ(out.messages[1].fragment_index, 3);
  EXPECT_EQ(out.messages[1].fragment_count, 9);
  EXPECT_EQ(out.messages[1].payload.size(), piece.size());
  EXPECT_TRUE(out.messages[2].payload.empty());
}

// What most packets are: one small message, nothing lost, acks close behind.
TEST(UdpMessagePacket, TheCommonPacketHasAFiveByteHeader) {
  const endpoint_config config;
  packet_writer writer(config.max_packet_bytes);
  const bytes snapshot(52, 7);
  writer.begin({1000, 990, 0xffffffff, 31});
  writer.add({channel::unreliable, false, 400, 0, 1, snapshot, true});
  writer.finish();
  // Layout, sequence, ack behind, delay; then a lone message: its id's low byte, no flags, no length.
  EXPECT_EQ(writer.size(), 5 + 1 + snapshot.size());
  decoded_packet out;
  ASSERT_TRUE(decode_packet(writer.bytes(), config, out));
  EXPECT_EQ(out.messages.at(0).on, channel::unreliable);
  EXPECT_TRUE(out.messages.at(0).short_id);
  EXPECT_EQ(out.messages.at(0).id, 400 & 0xff);
  EXPECT_EQ(out.header.sequence, 1000);
  EXPECT_EQ(out.header.ack, 990);
  EXPECT_EQ(out.header.ack_bits, 0xffffffffu);
  EXPECT_EQ(out.header.ack_delay_ms, 31);
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(bytes(out.messages[0].payload.begin(), out.messages[0].payload.end()), snapshot);

  // Each field takes its long form only when it must: a lost packet's byte of ack bits, a long delay, an ack
  // across the sequence wrap but close behind, and nothing received yet.
  const message_packet_header cases[] = {{1000, 990, 0xfffffbff, 31}, {1000, 990, 0xffffffff, 300},
                                         {3, 65530, 0x00ff00ff, 0}, {7, 0, 0, kNoAckDelay}};
  const std::size_t sizes[] = {6, 6, 7, 3};
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    writer.begin(cases[i]);
    writer.finish();
    EXPECT_EQ(writer.size(), sizes[i]) << i;
    ASSERT_TRUE(decode_packet(writer.bytes(), config, out)) << i;
    EXPECT_EQ(out.header.sequence, cases[i].sequence) << i;
    EXPECT_EQ(out.header.ack_delay_ms, cases[i].ack_delay_ms) << i;
    if (cases[i].ack_delay_ms == kNoAckDelay) continue;
    EXPECT_EQ(out.header.ack, cases[i].ack) << i;
    EXPECT_EQ(out.header.ack_bits, cases[i].ack_bits) << i;
  }
}

TEST(UdpMessagePacket, RefusesLyingLayouts) {
  EXPECT_EQ(decode(bytes{kLayoutNoAcks | 1, 1, 0}).error(), message_error::bad_flags);  // no acks, yet ack bits
  // A lone message announced, none there.
  EXPECT_EQ(decode(bytes{kLayoutNoAcks | kLayoutLoneMessage, 1, 0}).error(), message_error::truncated_message);
  EXPECT_TRUE(decode(bytes{kLayoutNoAcks | kLayoutLoneMessage, 1, 0, 7}));  // id 7, empty payload
  // A short id on the reliable channel, whose ids must be exact; reserved message flags.
  EXPECT_EQ(decode(bytes{kLayoutNoAcks, 1, 0, kFlagShortId | kFlagToEnd, 7}).error(), message_error::bad_flags);
  EXPECT_EQ(decode(bytes{kLayoutNoAcks, 1, 0, 0x10 | kFlagToEnd, 7, 0}).error(), message_error::bad_flags);
  EXPECT_EQ(decode(bytes{0, 1, 0, 5}).error(), message_error::truncated_header);   // ack bits and delay missing
  // A long delay of 0xffff would read as "nothing received" while acks were given.
  EXPECT_EQ(decode(bytes{0x0f | kLayoutShortAck | kLayoutLongDelay, 1, 0, 0, 0xff, 0xff}).error(),
            message_error::bad_flags);

  // A message without its length takes the rest of the packet, whatever it looks like.
  bytes to_end = header(1);
  to_end.insert(to_end.end(), {kFlagToEnd, 1, 0, 9});
  append(to_end, 0, 2, 0);
  decoded_packet out;
  ASSERT_TRUE(decode_packet(to_end, endpoint_config{}, out));
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(out.messages[0].payload.size(), 6u);
  // A bare flags byte announcing a message to the end, with no id: truncated.
  EXPECT_EQ(decode(bytes{kLayoutNoAcks, 1, 0, kFlagToEnd, 1}).error(), message_error::truncated_message);
}

TEST(UdpMessagePacket, RefusesEveryLie) {
  EXPECT_EQ(decode(bytes(2, 0)).error(), message_error::truncated_header);
  EXPECT_TRUE(decode(header(1)));  // an ack-only packet

  bytes flags_only = header(1);
  flags_only.push_back(0);
  EXPECT_EQ(decode(flags_only).error(), message_error::truncated_message);

  bytes lying = header(1);
  append(lying, 0, 1, 500);
  lying.resize(lying.size() + 10);
  EXPECT_EQ(decode(lying).error(), message_error::truncated_message);

  bytes reserved = header(1);
  append(reserved, 0x80, 1, 0);
  EXPECT_EQ(decode(reserved).error(), message_error::bad_flags);

  bytes index_past = header(1);
  append(index_past, kFlagFragment, 1, 10, 3, 3);
  index_past.resize(index_past.size() + 10);
  EXPECT_EQ(decode(index_past).error(), message_error::fragment_out_of_bounds);

  bytes single = header(1);
  append(single, kFlagFragment, 1, 10, 0, 1);
  single.resize(single.size() + 10);
  EXPECT_EQ(decode(single).error(), message_error::fragment_out_of_bounds);

  bytes too_many = header(1);
  append(too_many, kFlagFragment, 1, 10, 199, 200);
  too_many.resize(too_many.size() + 10);
  EXPECT_EQ(decode(too_many).error(), message_error::too_many_fragments);

  bytes short_middle = header(1);
  append(short_middle, kFlagFragment, 1, 10, 0, 3);
  short_middle.resize(short_middle.size() + 10);
  EXPECT_EQ(decode(short_middle).error(), message_error::bad_fragment_size);

  bytes empty_last = header(1);
  append(empty_last, kFlagFragment, 1, 0, 2, 3);
  EXPECT_EQ(decode(empty_last).error(), message_error::bad_fragment_size);

  bytes unsplit = header(1);
  append(unsplit, 0, 1, 1100);
  unsplit.resize(unsplit.size() + 1100);
  EXPECT_EQ(decode(unsplit).error(), message_error::message_too_large);

  bytes huge = header(1);
  huge.resize(1176);
  EXPECT_EQ(decode(huge).error(), message_error::packet_too_large);

  bytes crowded = header(1);
  for (int i = 0; i < 257; ++i) append(crowded, 0, static_cast<std::uint16_t>(i), 0);
  endpoint_config roomy;
  roomy.max_packet_bytes = 4096;
  decoded_packet out;
  EXPECT_EQ(decode_packet(crowded, roomy, out).error(), message_error::too_many_messages);
}

// A message whose fragments claim 65 * 1024 bytes but whose last fragment would take it past max_message_bytes.
TEST(UdpMessagePacket, RefusesAMessageLargerThanTheCapThroughItsLastFragment) {
  endpoint_config config;
  bytes packet = header(1);
  append(packet, kFlagFragment, 1, 1024, 64, 65);
  packet.resize(packet.size() + 1024);
  decoded_packet out;
  EXPECT_EQ(decode_packet(packet, config, out).error(), message_error::message_too_large);
}

TEST(UdpMessagePacket, HostilePacketsLeaveTheEndpointWorking) {
  using namespace guildhall::wire::udp::testing;
  duplex link(endpoint_config{}, impairment_config{}, impairment_config{});
  // Everything a peer could lie with, delivered to b before any real traffic, with sequence 0 (the one a's first
  // real packet will carry: a refused packet must not be remembered as received).
  std::vector<bytes> hostile;
  hostile.push_back(bytes(3, 0xff));
  bytes lying = header(0);
  append(lying, 0, 0, 900);
  hostile.push_back(lying);
  bytes index_past = header(0);
  append(index_past, kFlagFragment, 0, 1024, 70, 70);
  index_past.resize(index_past.size() + 1024);
  hostile.push_back(index_past);
  bytes too_many = header(0);
  append(too_many, kFlagFragment, 0, 1024, 0, 255);
  too_many.resize(too_many.size() + 1024);
  hostile.push_back(too_many);
  for (const bytes& packet : hostile) EXPECT_FALSE(link.b.receive_packet(packet, link.now));
  EXPECT_EQ(link.b.stats().dropped(drop_reason::malformed_packet), hostile.size());

  // Well-formed but absurd: a reliable id far beyond the window, and one "already delivered", are counted drops.
  bytes absurd = header(40000);
  append(absurd, 0, 30000, 1);
  absurd.push_back(9);
  append(absurd, 0, 65000, 1);
  absurd.push_back(9);
  EXPECT_TRUE(link.b.receive_packet(absurd, link.now));
  EXPECT_EQ(link.b.stats().dropped(drop_reason::message_out_of_window), 1u);
  EXPECT_EQ(link.b.stats().dropped(drop_reason::duplicate_message), 1u);

  const bytes hello{'h', 'i'};
  ASSERT_EQ(link.a.send(channel::reliable, hello), send_result::queued);
  collecting_sink got;
  for (int i = 0; i < 10 && got.messages.empty(); ++i) {
    link.step(10);
    link.b.drain(got);
  }
  ASSERT_EQ(got.messages.size(), 1u);
  EXPECT_EQ(got.messages[0].bytes, hello);
}

}  // namespace
