#pragma once
// The packet format of the message layer (docs/protocol.md "UDP: message layer"). All integers little-endian.
//
//   header (10 bytes): u16 sequence, u16 ack (newest packet sequence received), u32 ack_bits (bit i: packet
//                      ack - 1 - i was received), u16 ack_delay_ms (how long `ack` waited before this packet, so
//                      the peer's RTT excludes our ack delay; 0xffff: nothing received yet, no acks)
//   then messages until the end of the packet, each:
//     u8 flags         bit 0: channel (0 reliable, 1 unreliable); bit 1: fragment; other bits zero
//     u16 message_id   per channel: reliable ids order delivery, unreliable ids drop older state
//     [u8 fragment_index, u8 fragment_count]   only with the fragment bit; index < count, 2 <= count
//     u16 length       payload bytes that follow
//
// The decoder is the first code that reads a peer's bytes after decryption, so it trusts nothing: each length is
// checked before the read, every count against a cap, and it either accepts the whole packet or none of it.
// Thread-safety: none; functions are pure, packet_writer is owned by one endpoint.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>
#include <vector>

#include "wire/udp/endpoint_config.hpp"

namespace guildhall::wire::udp {

inline constexpr std::size_t kPacketHeaderBytes = 10;
inline constexpr std::size_t kMessageHeaderBytes = 5;           // flags, id, length
inline constexpr std::size_t kFragmentHeaderBytes = 7;          // flags, id, index, count, length
inline constexpr std::size_t kMaxFragmentsLimit = 255;          // fragment_count is one byte
inline constexpr std::size_t kMaxMessagesPerPacket = 256;       // a packet of empty messages cannot cost more
// ack_delay_ms value meaning "nothing received yet": ack and ack_bits acknowledge nothing.
inline constexpr std::uint16_t kNoAckDelay = 0xffff;
inline constexpr std::uint8_t kFlagUnreliable = 0x01;
inline constexpr std::uint8_t kFlagFragment = 0x02;

// Why a packet was refused as a whole. Every value is a peer sending what our own writer never writes.
enum class message_error : std::uint8_t {
  truncated_header = 1,  // shorter than the 10-byte header
  truncated_message,     // a message header or payload runs past the end
  packet_too_large,      // longer than max_packet_bytes
  bad_flags,             // reserved flag bits set
  fragment_out_of_bounds,  // index >= count, or count < 2
  too_many_fragments,    // count > max_fragments
  bad_fragment_size,     // a non-last fragment not exactly fragment_bytes, a last one empty or too long
  message_too_large,     // an unfragmented payload above fragment_bytes, or a message above max_message_bytes
  too_many_messages,     // more than kMaxMessagesPerPacket messages
};
std::string_view to_string(message_error error);

struct message_packet_header {
  std::uint16_t sequence = 0;
  std::uint16_t ack = 0;
  std::uint32_t ack_bits = 0;
  std::uint16_t ack_delay_ms = 0;
};

// One message (or fragment) of a decoded packet; `payload` points into the packet's bytes.
struct message_entry {
  channel on = channel::reliable;
  bool fragment = false;
  std::uint16_t id = 0;
  std::uint8_t fragment_index = 0;
  std::uint8_t fragment_count = 1;
  std::span<const std::uint8_t> payload;
};

struct decoded_packet {
  message_packet_header header;
  std::vector<message_entry> messages;  // reused between packets
};

// Decodes `bytes` into `out` (its messages cleared first). Limits come from the endpoint's validated config.
std::expected<void, message_error> decode_packet(std::span<const std::uint8_t> bytes, const endpoint_config& limits,
                                                 decoded_packet& out);

// Writes one packet into a buffer reused from packet to packet (its capacity stays max_packet_bytes).
class packet_writer {
 public:
  explicit packet_writer(std::size_t max_packet_bytes) : max_bytes_(max_packet_bytes) {
    bytes_.reserve(max_packet_bytes);
  }
  void begin(const message_packet_header& header);
  std::size_t size() const { return bytes_.size(); }
  std::size_t room() const { return max_bytes_ - bytes_.size(); }
  std::size_t message_count() const { return messages_; }
  // Bytes a message of `payload_bytes` takes in the packet, headers included.
  static std::size_t cost(bool fragment, std::size_t payload_bytes) {
    return (fragment ? kFragmentHeaderBytes : kMessageHeaderBytes) + payload_bytes;
  }
  bool fits(bool fragment, std::size_t payload_bytes) const {
    return messages_ < kMaxMessagesPerPacket && cost(fragment, payload_bytes) <= room();
  }
  // Precondition: fits(). fragment_count 1 writes an unfragmented message.
  void add(const message_entry& entry);
  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  std::size_t max_bytes_;
  std::size_t messages_ = 0;
  std::vector<std::uint8_t> bytes_;
};

}  // namespace guildhall::wire::udp
