// Cross-language agreement for the UDP transport: this test writes byte vectors with the C++ codecs (connection
// layer packets encrypted under fixed keys and sequences, message layer packets in each compact layout, hostile
// message packets with the error each must give, and a scripted exchange between two message endpoints) and
// checks they equal the checked-in fixture tests/fixtures/udp_vectors.json, which the Python SDK's
// sdk/python/tests/test_udp_vectors.py reads. If the C++ side changes the format, this test fails until the
// fixture is regenerated:
//   GUILDHALL_UPDATE_UDP_VECTORS=1 build/tests/unit_tests --gtest_filter='UdpVectors*'
// and the Python test then says whether the SDK still agrees.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "vector_fixture.hpp"
#include "wire/udp/guildhall_endpoint_config.hpp"
#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/message_packet.hpp"
#include "wire/udp/packet_codec.hpp"

namespace {

using guildhall::test::hex;

using namespace guildhall::wire::udp;
using bytes = std::vector<std::uint8_t>;

const char* const fixture_path = GUILDHALL_SOURCE_DIR "/tests/fixtures/udp_vectors.json";
constexpr std::uint64_t kProtocolId = 0x1122334455667788ull;


bytes pattern(std::size_t size, std::uint8_t seed) {
  bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 7);
  return out;
}

key fixed_key(std::uint8_t seed) {
  key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i);
  return k;
}

std::string connection_vectors() {
  const key write_key = fixed_key(1);
  std::string out = "{\"protocol_id\":\"" + std::to_string(kProtocolId) + "\",\"key\":\"" + hex(write_key) +
                    "\",\"packets\":[";
  struct packet_case {
    packet_type type;
    std::uint64_t sequence;
    bytes body;
  };
  const std::vector<packet_case> cases{
      {packet_type::connection_denied, 0, {}},
      {packet_type::connection_challenge, 1, pattern(kChallengeBodyBytes, 3)},
      {packet_type::connection_response, 255, pattern(kChallengeBodyBytes, 9)},
      {packet_type::keep_alive, 256, [] {
         const auto body = keep_alive_body_bytes({7, 64});
         return bytes(body.begin(), body.end());
       }()},
      {packet_type::keep_alive, 65535, pattern(8, 200)},
      {packet_type::payload, 65536, pattern(1, 5)},
      {packet_type::payload, 0x1234567890ull, pattern(100, 17)},
      {packet_type::payload, 0xffffffffffffffffull, pattern(kMaxPayloadBytes, 33)},
      {packet_type::disconnect, 0x0100000000000000ull, {}},
  };
  std::array<std::uint8_t, kMaxDatagramBytes> buffer{};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    auto size = encode_packet(c.type, c.sequence, c.body, kProtocolId, write_key, buffer);
    EXPECT_TRUE(size.has_value());
    out += std::string(i > 0 ? ",\n" : "\n") + "{\"type\":" + std::to_string(static_cast<int>(c.type)) +
           ",\"sequence\":\"" + std::to_string(c.sequence) + "\",\"body\":\"" + hex(c.body) + "\",\"bytes\":\"" +
           hex(std::span(buffer).first(*size)) + "\"}";
  }
  connection_request request{1700000000, {}, {}};
  for (std::size_t i = 0; i < request.nonce.size(); ++i) request.nonce[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < request.sealed_private.size(); ++i) {
    request.sealed_private[i] = static_cast<std::uint8_t>(i * 3);
  }
  auto size = encode_connection_request(request, kProtocolId, buffer);
  EXPECT_TRUE(size.has_value());
  return out + "\n],\"request\":{\"expire_timestamp\":1700000000,\"nonce\":\"" + hex(request.nonce) +
         "\",\"sealed_private\":\"" + hex(request.sealed_private) + "\",\"bytes\":\"" +
         hex(std::span(buffer).first(*size)) + "\"}}";
}

std::string entry_json(const message_entry& e) {
  return "{\"channel\":" + std::to_string(static_cast<int>(e.on)) + ",\"id\":" + std::to_string(e.id) +
         ",\"fragment_index\":" + std::to_string(e.fragment_index) + ",\"fragment_count\":" +
         std::to_string(e.fragment_count) + ",\"short_id\":" + (e.short_id ? "true" : "false") +
         ",\"payload\":\"" + hex(e.payload) + "\"}";
}

std::string message_packet_vectors() {
  struct layout_case {
    std::string name;
    message_packet_header header;
    bool with_sequence;
    std::vector<message_entry> entries;
  };
  const bytes small = pattern(5, 1), snapshot = pattern(40, 2), fragment = pattern(1024, 3), tail = pattern(300, 4);
  const std::vector<layout_case> cases{
      {"nothing received, ack-only", {7, 0, 0, kNoAckDelay}, false, {}},
      {"nothing received, lone snapshot", {7, 0, 0, kNoAckDelay}, false,
       {{channel::unreliable, false, 3, 0, 1, snapshot, true}}},
      {"short ack, all bits, short delay", {300, 299, 0xffffffffu, 4}, false,
       {{channel::reliable, false, 0, 0, 1, small, false}}},
      {"short ack, lone snapshot", {1000, 998, 0xffffffffu, 12}, false,
       {{channel::unreliable, false, 0x1234, 0, 1, snapshot, true}}},
      {"long ack, mixed bits, long delay", {5000, 100, 0x00ff12ffu, 700}, false,
       {{channel::reliable, false, 9, 0, 1, small, false}, {channel::unreliable, false, 70, 0, 1, snapshot, false}}},
      {"no bits, wrap-around", {2, 65533, 0, 0}, false,
       {{channel::unreliable, false, 65535, 0, 1, snapshot, false}}},
      {"with sequence", {42, 40, 0x0000ff00u, 255}, true,
       {{channel::reliable, false, 1, 0, 1, small, false}, {channel::reliable, false, 2, 0, 1, small, false}}},
      {"fragments", {10, 9, 0xffff00ffu, 1}, false,
       {{channel::reliable, true, 4, 0, 2, fragment, false}}},
      {"last fragment and a short unreliable", {11, 9, 0xffffffffu, 1}, false,
       {{channel::reliable, true, 4, 1, 2, tail, false}, {channel::unreliable, false, 77, 0, 1, small, true}}},
      {"unreliable fragment, short id", {12, 10, 0xffffffffu, 2}, false,
       {{channel::unreliable, true, 200, 1, 3, fragment, true}}},
      {"empty reliable message", {13, 12, 0xffffffffu, 0}, false,
       {{channel::reliable, false, 5, 0, 1, {}, false}}},
  };
  std::string out = "[";
  endpoint_config limits = guildhall_endpoint_config();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    packet_writer writer(limits.max_packet_bytes);
    writer.begin(c.header, c.with_sequence);
    std::string entries = "[";
    for (std::size_t m = 0; m < c.entries.size(); ++m) {
      writer.add(c.entries[m]);
      entries += (m > 0 ? "," : "") + entry_json(c.entries[m]);
    }
    writer.finish();
    endpoint_config read = limits;
    read.sequence_from_transport = !c.with_sequence;
    decoded_packet decoded;
    EXPECT_TRUE(decode_packet(writer.bytes(), read, decoded, c.header.sequence)) << c.name;
    EXPECT_EQ(decoded.messages.size(), c.entries.size()) << c.name;
    out += std::string(i > 0 ? ",\n" : "\n") + "{\"name\":\"" + c.name + "\",\"sequence\":" +
           std::to_string(c.header.sequence) + ",\"ack\":" + std::to_string(c.header.ack) + ",\"ack_bits\":" +
           std::to_string(c.header.ack_bits) + ",\"ack_delay_ms\":" + std::to_string(c.header.ack_delay_ms) +
           ",\"with_sequence\":" + (c.with_sequence ? "true" : "false") + ",\"messages\":" + entries +
           "],\"bytes\":\"" + hex(writer.bytes()) + "\"}";
  }
  return out + "\n]";
}

std::string hostile_vectors() {
  const bytes base = {0x2f, 0x01, 0x05};  // short ack 1, all ack bits, delay 5
  auto with = [&](bytes tail) {
    bytes out = base;
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  };
  struct hostile {
    std::string name;
    bytes data;
  };
  const std::vector<hostile> cases{
      {"empty", {}},
      {"header cut short", {0x00, 0x01}},
      {"no-acks with other layout bits", {0x11}},
      {"ack delay 0xffff", {0x6f, 0x01, 0xff, 0xff}},
      {"lone layout without a message", {0x80 | 0x10}},
      {"reserved message flag", with({0x10, 0x00, 0x00})},
      {"short id on the reliable channel", with({0x0c, 0x00, 0xaa})},
      {"length past the end", with({0x00, 0x01, 0x00, 0x09, 0x00, 0xaa})},
      {"message header cut short", with({0x00, 0x01})},
      {"fragment index past the count", with({0x06, 0x01, 0x00, 0x02, 0x02, 0xaa})},
      {"fragment count 1", with({0x06, 0x01, 0x00, 0x00, 0x01, 0xaa})},
      {"first fragment not 1024 bytes", with({0x06, 0x01, 0x00, 0x00, 0x02, 0xaa})},
      {"unfragmented message over 1024 bytes", with([] {
         bytes m{0x04, 0x01, 0x00};
         m.resize(m.size() + 1025, 0x55);
         return m;
       }())},
      {"packet over 1175 bytes", with(bytes(1200, 0))},
      {"257 messages", with([] {
         bytes m;
         for (int i = 0; i < 257; ++i) m.insert(m.end(), {0x01, 0x00, 0x00, 0x00, 0x00});
         return m;
       }())},
  };
  const endpoint_config limits = guildhall_endpoint_config();
  std::string out = "[";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    decoded_packet decoded;
    auto result = decode_packet(cases[i].data, limits, decoded, 2);
    EXPECT_FALSE(result.has_value()) << cases[i].name;
    const std::string error(result ? "none" : to_string(result.error()));
    out += std::string(i > 0 ? ",\n" : "\n") + "{\"name\":\"" + cases[i].name + "\",\"sequence\":2,\"bytes\":\"" +
           hex(cases[i].data) + "\",\"error\":\"" + error + "\"}";
  }
  return out + "\n]";
}

// Two endpoints (a, b) with the Guildhall config, numbering packets like the transport (a counter per side with
// gaps where keep-alives went), exchange a scripted conversation; every packet is recorded with its time and
// sequence, and every delivered message, so the Python endpoint can replay the script and must write the same
// bytes and deliver the same messages.
struct recorder final : packet_sink {
  std::uint64_t next = 0;
  std::vector<std::pair<std::uint64_t, bytes>> written;
  void packet(std::span<const std::uint8_t> p) override { written.push_back({next++, bytes(p.begin(), p.end())}); }
  std::optional<std::uint64_t> next_sequence() const override { return next; }
};

struct collector final : message_sink {
  std::vector<std::pair<int, bytes>> got;
  void message(channel on, std::span<const std::uint8_t> m) override {
    got.push_back({static_cast<int>(on), bytes(m.begin(), m.end())});
  }
};

std::string exchange_vectors() {
  message_endpoint a(guildhall_endpoint_config()), b(guildhall_endpoint_config());
  recorder to_b, to_a;
  collector at_a, at_b;
  std::string steps = "[";
  bool first = true;
  auto note = [&](const std::string& step) {
    steps += std::string(first ? "\n" : ",\n") + step;
    first = false;
  };
  // Each write step: the side, the time, then its packets go to the other side at `arrive` (or are lost).
  auto write = [&](char side, std::uint64_t now, std::uint64_t arrive, bool lose_first) {
    message_endpoint& from = side == 'a' ? a : b;
    message_endpoint& to = side == 'a' ? b : a;
    recorder& sink = side == 'a' ? to_b : to_a;
    collector& got = side == 'a' ? at_b : at_a;
    const std::size_t before = sink.written.size();
    from.write_packets(now, sink);
    std::string packets = "[";
    for (std::size_t i = before; i < sink.written.size(); ++i) {
      const auto& [sequence, data] = sink.written[i];
      const bool lost = lose_first && i == before;
      packets += std::string(i > before ? "," : "") + "{\"sequence\":" + std::to_string(sequence) +
                 ",\"lost\":" + (lost ? "true" : "false") + ",\"bytes\":\"" + hex(data) + "\"}";
      if (!lost) {
        EXPECT_TRUE(to.receive_packet(data, arrive, sequence));
      }
    }
    const std::size_t delivered = got.got.size();
    to.drain(got);
    std::string messages = "[";
    for (std::size_t i = delivered; i < got.got.size(); ++i) {
      messages += std::string(i > delivered ? "," : "") + "{\"channel\":" + std::to_string(got.got[i].first) +
                  ",\"payload\":\"" + hex(got.got[i].second) + "\"}";
    }
    note("{\"write\":\"" + std::string(1, side) + "\",\"now\":" + std::to_string(now) + ",\"arrive\":" +
         std::to_string(arrive) + ",\"packets\":" + packets + "],\"delivered\":" + messages + "]}");
  };
  auto send = [&](char side, int on, std::uint64_t slot, const bytes& m) {
    message_endpoint& from = side == 'a' ? a : b;
    if (on == 2) {
      from.send_latest(m, slot);
    } else {
      from.send(static_cast<channel>(on), m);
    }
    note("{\"send\":\"" + std::string(1, side) + "\",\"channel\":" + std::to_string(on) + ",\"slot\":" +
         std::to_string(slot) + ",\"payload\":\"" + hex(m) + "\"}");
  };
  auto gap = [&](char side, std::uint64_t count) {  // the transport sent keep-alives in between
    (side == 'a' ? to_b : to_a).next += count;
    note("{\"gap\":\"" + std::string(1, side) + "\",\"count\":" + std::to_string(count) + "}");
  };
  send('a', 0, 0, pattern(20, 1));
  send('a', 0, 0, pattern(3000, 2));
  send('b', 1, 0, pattern(60, 3));
  write('a', 0, 5, true);
  write('b', 10, 15, false);
  gap('a', 2);
  write('a', 40, 46, false);
  write('b', 50, 56, false);
  for (std::uint64_t t = 60; t < 600; t += 50) {
    send('b', 2, 1, pattern(80 + t % 7, static_cast<std::uint8_t>(t)));
    send('a', 2, 1, pattern(30, static_cast<std::uint8_t>(t + 1)));
    if (t == 210) send('a', 0, 0, pattern(2100, 9));
    write('b', t, t + 6, t == 160);
    write('a', t + 8, t + 14, t == 260);
    if (t == 360) gap('b', 3);
  }
  send('b', 0, 0, pattern(5000, 7));
  write('b', 640, 646, false);
  write('a', 700, 706, false);
  write('b', 760, 766, false);
  write('a', 800, 806, false);
  return steps + "\n]";
}

std::string fixture() {
  return "{\"connection\":" + connection_vectors() + ",\n\"message_packets\":" + message_packet_vectors() +
         ",\n\"hostile_message_packets\":" + hostile_vectors() + ",\n\"exchange\":" + exchange_vectors() + "}\n";
}

TEST(UdpVectors, FixtureForThePythonSdkIsCurrent) {
  guildhall::test::expect_fixture_current(fixture_path, fixture(), "GUILDHALL_UPDATE_UDP_VECTORS", "the Python test");
}

}  // namespace
