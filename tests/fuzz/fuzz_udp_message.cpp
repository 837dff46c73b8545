// libFuzzer target: the UDP message layer's receive path (wire/udp/message_endpoint.hpp, message_packet.hpp).
// The input is a series of packets, each prefixed by a u16 little-endian length (the rest of the input when the
// length runs past it), received by an endpoint that has reliable messages in flight (so hostile acks meet real
// sent packets), with time advancing between packets. Checks: a packet decodes exactly when the endpoint accepts
// it; a decoded packet written again decodes to the same packet, in no more bytes (the writer takes the compact
// forms a peer may leave out); whatever the endpoint writes afterwards is within max_packet_bytes and decodes;
// whatever it delivers is within max_message_bytes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/message_packet.hpp"

namespace udp = guildhall::wire::udp;

namespace {

const udp::endpoint_config& config() {
  static const udp::endpoint_config value;
  return value;
}

// As the transport runs it: the connection layer numbers the packets, the header carries no sequence.
const udp::endpoint_config& numbered_config() {
  static const udp::endpoint_config value = [] {
    udp::endpoint_config c;
    c.sequence_from_transport = true;
    return c;
  }();
  return value;
}

struct checking_packets final : udp::packet_sink {
  explicit checking_packets(const udp::endpoint_config& c) : limits(c) {}
  void packet(std::span<const std::uint8_t> packet) override {
    udp::decoded_packet decoded;
    if (packet.size() > limits.max_packet_bytes || !udp::decode_packet(packet, limits, decoded, next)) std::abort();
    ++next;
  }
  std::optional<std::uint64_t> next_sequence() const override { return next; }
  const udp::endpoint_config& limits;
  std::uint16_t next = 1;
};

struct checking_messages final : udp::message_sink {
  void message(udp::channel, std::span<const std::uint8_t> message) override {
    if (message.size() > config().max_message_bytes) std::abort();
  }
};

bool same(const udp::message_entry& a, const udp::message_entry& b) {
  return a.on == b.on && a.fragment == b.fragment && a.id == b.id && a.fragment_index == b.fragment_index &&
         a.fragment_count == b.fragment_count && std::ranges::equal(a.payload, b.payload);
}

// A decoded packet, written again, must decode to the same packet in no more bytes.
void check_round_trip(std::span<const std::uint8_t> packet) {
  udp::decoded_packet decoded;
  if (!udp::decode_packet(packet, config(), decoded)) return;
  udp::packet_writer writer(config().max_packet_bytes);
  writer.begin(decoded.header);
  for (const auto& entry : decoded.messages) writer.add(entry);
  writer.finish();
  if (writer.size() > packet.size()) std::abort();
  udp::decoded_packet again;
  if (!udp::decode_packet(writer.bytes(), config(), again)) std::abort();
  const auto& h = decoded.header;
  const auto& g = again.header;
  if (g.sequence != h.sequence || g.ack_delay_ms != h.ack_delay_ms) std::abort();
  if (h.ack_delay_ms != udp::kNoAckDelay && (g.ack != h.ack || g.ack_bits != h.ack_bits)) std::abort();
  if (!std::ranges::equal(decoded.messages, again.messages, same)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The same packets to an endpoint that reads the sequence from the header and to one the transport numbers for
  // (each packet's number: its index in the input).
  udp::message_endpoint endpoint(config()), numbered(numbered_config());
  checking_packets packets(config()), numbered_packets(numbered_config());
  checking_messages messages;
  std::uint64_t now = 1000;
  const std::vector<std::uint8_t> small(40, 7), large(3000, 9);
  for (auto* e : {&endpoint, &numbered}) {
    e->send(udp::channel::reliable, small);
    e->send(udp::channel::reliable, large);
    e->send(udp::channel::unreliable, small);
  }
  endpoint.write_packets(now, packets);
  numbered.write_packets(now, numbered_packets);
  std::uint64_t index = 0;

  std::span<const std::uint8_t> input(data, size);
  while (!input.empty()) {
    std::size_t length = input.size();
    if (input.size() >= 2) {
      length = std::min<std::size_t>(input[0] | (input[1] << 8), input.size() - 2);
      input = input.subspan(2);
    }
    const auto packet = input.first(length);
    input = input.subspan(length);
    check_round_trip(packet);
    udp::decoded_packet decoded;
    const bool decodes = udp::decode_packet(packet, config(), decoded).has_value();
    if (endpoint.receive_packet(packet, now).has_value() != decodes) std::abort();
    const bool numbered_decodes =
        udp::decode_packet(packet, numbered_config(), decoded, static_cast<std::uint16_t>(index)).has_value();
    if (numbered.receive_packet(packet, now, index).has_value() != numbered_decodes) std::abort();
    ++index;
    now += 7;
    endpoint.drain(messages);
    numbered.drain(messages);
    endpoint.write_packets(now, packets);
    numbered.write_packets(now, numbered_packets);
  }
  return 0;
}
