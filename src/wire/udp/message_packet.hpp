#pragma once
// The packet format of the message layer (docs/protocol.md "UDP: message layer"). All integers little-endian.
// Most packets carry one small message (a snapshot, an input), so the header is compact in the common case, as in
// reliable.io: 5 bytes when nothing was lost (3 when the transport numbers packets), and a lone unreliable message
// takes 1 byte before its payload, against 11 and 5 written in full.
//
//   header (1 to 11 bytes):
//     u8 layout        bits 0-3: byte i of ack_bits is all ones and left out; bit 4: nothing received yet (no
//                      ack, ack bits or delay follow; bits 0-3, 5 and 6 zero); bit 5: ack is written as one byte,
//                      sequence - ack; bit 6: ack delay is two bytes; bit 7: one lone message follows without its
//                      flags byte (they are: unreliable, short id, to the end: a snapshot or an input)
//     u16 sequence     (left out when the transport numbers packets: endpoint_config::sequence_from_transport)
//     ack              u8 (sequence - ack) or u16: the newest packet sequence received
//     ack_bits         the bytes of u32 ack_bits not left out, low first (bit i: packet ack - 1 - i was received)
//     ack_delay_ms     u8 or u16: how long `ack` waited before this packet, so the peer's RTT excludes our delay
//   then messages until the end of the packet, each:
//     u8 flags         bit 0: channel (0 reliable, 1 unreliable); bit 1: fragment; bit 2: no length, the payload
//                      runs to the end of the packet (only the last message); bit 3: short id (unreliable only);
//                      other bits zero
//     u16 message_id   per channel: reliable ids order delivery, unreliable ids drop older state. With bit 3, only
//                      its low byte (u8): the sender has seen the receiver acknowledge an unreliable message less
//                      than 128 ids older, so the receiver restores the id nearest the newest it has seen
//     [u8 fragment_index, u8 fragment_count]   only with the fragment bit; index < count, 2 <= count
//     [u16 length]     payload bytes that follow, unless bit 2
//
// The decoder is the first code that reads a peer's bytes after decryption, so it trusts nothing: each length is
// checked before the read, every count against a cap, and it either accepts the whole packet or none of it.
// Thread-safety: none; functions are pure, packet_writer is owned by one endpoint.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "wire/udp/endpoint_config.hpp"

namespace guildhall::wire::udp {

inline constexpr std::size_t kMinPacketHeaderBytes = 3;         // layout, sequence: nothing received yet
inline constexpr std::size_t kSequenceBytes = 2;
inline constexpr std::size_t kMaxPacketHeaderBytes = 11;        // every field written in full
inline constexpr std::size_t kMessageHeaderBytes = 5;           // flags, id, length
inline constexpr std::size_t kFragmentHeaderBytes = 7;          // flags, id, index, count, length
inline constexpr std::size_t kLengthBytes = 2;                  // left out of the last message
inline constexpr std::size_t kMaxFragmentsLimit = 255;          // fragment_count is one byte
inline constexpr std::size_t kMaxMessagesPerPacket = 256;       // a packet of empty messages cannot cost more
// ack_delay_ms value meaning "nothing received yet": ack and ack_bits acknowledge nothing.
inline constexpr std::uint16_t kNoAckDelay = 0xffff;
inline constexpr std::uint8_t kFlagUnreliable = 0x01;
inline constexpr std::uint8_t kFlagFragment = 0x02;
inline constexpr std::uint8_t kFlagToEnd = 0x04;
inline constexpr std::uint8_t kFlagShortId = 0x08;
inline constexpr std::uint8_t kLoneMessageFlags = kFlagUnreliable | kFlagToEnd | kFlagShortId;
// Below this many ids ahead of the newest unreliable id the receiver has acknowledged, an id may go short.
inline constexpr std::uint16_t kShortIdReach = 128;
inline constexpr std::uint8_t kLayoutNoAcks = 0x10;
inline constexpr std::uint8_t kLayoutShortAck = 0x20;
inline constexpr std::uint8_t kLayoutLongDelay = 0x40;
inline constexpr std::uint8_t kLayoutLoneMessage = 0x80;

// Why a packet was refused as a whole. Every value is a peer sending what our own writer never writes.
enum class message_error : std::uint8_t {
  truncated_header = 1,  // shorter than the header its layout byte announces
  truncated_message,     // a message header or payload runs past the end
  packet_too_large,      // longer than max_packet_bytes
  bad_flags,             // reserved flag or layout bits set
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
  std::uint16_t id = 0;  // decoded with short_id: only the low byte, for the channel to restore
  std::uint8_t fragment_index = 0;
  std::uint8_t fragment_count = 1;
  std::span<const std::uint8_t> payload;
  bool short_id = false;  // unreliable only: the id travels as its low byte
};

struct decoded_packet {
  message_packet_header header;
  std::vector<message_entry> messages;  // reused between packets
};

// Decodes `bytes` into `out` (its messages cleared first). Limits come from the endpoint's validated config; with
// limits.sequence_from_transport the header has no sequence and out.header.sequence is `transport_sequence`.
std::expected<void, message_error> decode_packet(std::span<const std::uint8_t> bytes, const endpoint_config& limits,
                                                 decoded_packet& out, std::uint16_t transport_sequence = 0);

// Writes one packet into a buffer reused from packet to packet (its capacity stays max_packet_bytes).
class packet_writer {
 public:
  explicit packet_writer(std::size_t max_packet_bytes) : max_bytes_(max_packet_bytes) {
    bytes_.reserve(max_packet_bytes);
  }
  // `with_sequence` false: the transport numbers the packet (endpoint_config::sequence_from_transport).
  void begin(const message_packet_header& header, bool with_sequence = true);
  // Ends the packet: the last message loses its length field. Call once, after the last add().
  void finish();
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
  std::size_t last_message_at_ = 0;  // offset of the newest message's flags byte
  std::vector<std::uint8_t> bytes_;
};

}  // namespace guildhall::wire::udp
