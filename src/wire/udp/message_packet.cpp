#include "wire/udp/message_packet.hpp"

namespace guildhall::wire::udp {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

// Checks a fragment's fields against the limits; the sizes make reassembly a plain copy into a buffer of
// count * fragment_bytes that can never exceed max_message_bytes.
std::expected<void, message_error> check_fragment(const message_entry& entry, const endpoint_config& limits) {
  if (entry.fragment_count < 2 || entry.fragment_index >= entry.fragment_count) {
    return std::unexpected(message_error::fragment_out_of_bounds);
  }
  if (entry.fragment_count > limits.max_fragments) return std::unexpected(message_error::too_many_fragments);
  const std::size_t size = entry.payload.size();
  const bool last = entry.fragment_index + 1 == entry.fragment_count;
  if (last ? (size == 0 || size > limits.fragment_bytes) : size != limits.fragment_bytes) {
    return std::unexpected(message_error::bad_fragment_size);
  }
  if (last && (entry.fragment_count - 1) * limits.fragment_bytes + size > limits.max_message_bytes) {
    return std::unexpected(message_error::message_too_large);
  }
  return {};
}

// Reads the header at the start of `bytes`, returning its length.
// `transport_sequence`: the packet's sequence when the header has none.
std::expected<std::size_t, message_error> read_header(std::span<const std::uint8_t> bytes,
                                                      std::optional<std::uint16_t> transport_sequence,
                                                      message_packet_header& header) {
  const std::size_t fixed = 1 + (transport_sequence ? 0 : kSequenceBytes);
  if (bytes.size() < fixed) return std::unexpected(message_error::truncated_header);
  const std::uint8_t layout = bytes[0];
  if ((layout & kLayoutNoAcks) != 0 && (layout & ~(kLayoutNoAcks | kLayoutLoneMessage)) != 0) {
    return std::unexpected(message_error::bad_flags);
  }
  header.sequence = transport_sequence ? *transport_sequence : get16(bytes.data() + 1);
  if ((layout & kLayoutNoAcks) != 0) {
    header.ack = 0;
    header.ack_bits = 0;
    header.ack_delay_ms = kNoAckDelay;
    return fixed;
  }
  std::size_t size = fixed + ((layout & kLayoutShortAck) ? 1 : 2) + ((layout & kLayoutLongDelay) ? 2 : 1);
  for (int i = 0; i < 4; ++i) size += (layout >> i) & 1 ? 0 : 1;
  if (bytes.size() < size) return std::unexpected(message_error::truncated_header);
  const std::uint8_t* p = bytes.data() + fixed;
  if (layout & kLayoutShortAck) {
    header.ack = static_cast<std::uint16_t>(header.sequence - *p++);
  } else {
    header.ack = get16(p);
    p += 2;
  }
  header.ack_bits = 0;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t byte = (layout >> i) & 1 ? 0xffu : *p++;
    header.ack_bits |= byte << (8 * i);
  }
  header.ack_delay_ms = (layout & kLayoutLongDelay) ? get16(p) : *p;
  if (header.ack_delay_ms == kNoAckDelay) return std::unexpected(message_error::bad_flags);
  return size;
}

// Reads one message at `at`, advancing it. `lone`: the packet's layout says its one message has no flags byte.
std::expected<message_entry, message_error> read_message(std::span<const std::uint8_t> bytes, std::size_t& at,
                                                         const endpoint_config& limits, bool lone) {
  const std::size_t left = bytes.size() - at;
  if (left < 1) return std::unexpected(message_error::truncated_message);
  const std::uint8_t flags = lone ? kLoneMessageFlags : bytes[at];
  if ((flags & ~(kFlagUnreliable | kFlagFragment | kFlagToEnd | kFlagShortId)) != 0 ||
      ((flags & kFlagShortId) != 0 && (flags & kFlagUnreliable) == 0)) {
    return std::unexpected(message_error::bad_flags);
  }
  message_entry entry;
  entry.on = (flags & kFlagUnreliable) ? channel::unreliable : channel::reliable;
  entry.fragment = (flags & kFlagFragment) != 0;
  entry.short_id = (flags & kFlagShortId) != 0;
  const bool to_end = (flags & kFlagToEnd) != 0;
  const std::size_t flags_bytes = lone ? 0 : 1;
  const std::size_t id_bytes = entry.short_id ? 1 : 2;
  const std::size_t header = flags_bytes + id_bytes + (entry.fragment ? 2 : 0) + (to_end ? 0 : kLengthBytes);
  if (left < header) return std::unexpected(message_error::truncated_message);
  const std::uint8_t* p = bytes.data() + at + flags_bytes;
  entry.id = entry.short_id ? *p : get16(p);
  p += id_bytes;
  if (entry.fragment) {
    entry.fragment_index = p[0];
    entry.fragment_count = p[1];
    p += 2;
  }
  const std::size_t length = to_end ? left - header : get16(p);
  if (left - header < length) return std::unexpected(message_error::truncated_message);
  entry.payload = bytes.subspan(at + header, length);
  at += header + length;
  if (entry.fragment) {
    if (auto ok = check_fragment(entry, limits); !ok) return std::unexpected(ok.error());
  } else if (length > limits.fragment_bytes) {
    return std::unexpected(message_error::message_too_large);
  }
  return entry;
}

}  // namespace

std::string_view to_string(message_error error) {
  switch (error) {
    case message_error::truncated_header: return "truncated packet header";
    case message_error::truncated_message: return "truncated message";
    case message_error::packet_too_large: return "packet too large";
    case message_error::bad_flags: return "reserved message flags set";
    case message_error::fragment_out_of_bounds: return "fragment index out of bounds";
    case message_error::too_many_fragments: return "too many fragments";
    case message_error::bad_fragment_size: return "bad fragment size";
    case message_error::message_too_large: return "message too large";
    case message_error::too_many_messages: return "too many messages in one packet";
  }
  return "unknown message error";
}

std::expected<void, message_error> decode_packet(std::span<const std::uint8_t> bytes, const endpoint_config& limits,
                                                 decoded_packet& out, std::uint16_t transport_sequence) {
  out.messages.clear();
  if (bytes.size() > limits.max_packet_bytes) return std::unexpected(message_error::packet_too_large);
  const auto sequence = limits.sequence_from_transport ? std::optional(transport_sequence) : std::nullopt;
  auto header_bytes = read_header(bytes, sequence, out.header);
  if (!header_bytes) return std::unexpected(header_bytes.error());
  std::size_t at = *header_bytes;
  const bool lone = (bytes[0] & kLayoutLoneMessage) != 0;
  if (lone && at == bytes.size()) return std::unexpected(message_error::truncated_message);
  while (at < bytes.size()) {
    if (out.messages.size() == kMaxMessagesPerPacket) return std::unexpected(message_error::too_many_messages);
    auto entry = read_message(bytes, at, limits, lone);
    if (!entry) {
      out.messages.clear();
      return std::unexpected(entry.error());
    }
    out.messages.push_back(*entry);
  }
  return {};
}

void packet_writer::begin(const message_packet_header& header, bool with_sequence) {
  bytes_.clear();
  messages_ = 0;
  if (header.ack_delay_ms == kNoAckDelay) {
    bytes_.push_back(kLayoutNoAcks);
    if (with_sequence) put16(bytes_, header.sequence);
    return;
  }
  std::uint8_t layout = 0;
  for (int i = 0; i < 4; ++i) {
    if (((header.ack_bits >> (8 * i)) & 0xff) == 0xff) layout |= static_cast<std::uint8_t>(1u << i);
  }
  const auto behind = static_cast<std::uint16_t>(header.sequence - header.ack);
  if (behind <= 0xff) layout |= kLayoutShortAck;
  if (header.ack_delay_ms > 0xff) layout |= kLayoutLongDelay;
  bytes_.push_back(layout);
  if (with_sequence) put16(bytes_, header.sequence);
  if (layout & kLayoutShortAck) {
    bytes_.push_back(static_cast<std::uint8_t>(behind));
  } else {
    put16(bytes_, header.ack);
  }
  for (int i = 0; i < 4; ++i) {
    if (((layout >> i) & 1) == 0) bytes_.push_back(static_cast<std::uint8_t>(header.ack_bits >> (8 * i)));
  }
  if (layout & kLayoutLongDelay) {
    put16(bytes_, header.ack_delay_ms);
  } else {
    bytes_.push_back(static_cast<std::uint8_t>(header.ack_delay_ms));
  }
}

void packet_writer::finish() {
  if (messages_ == 0) return;
  const std::size_t flags_at = last_message_at_;
  const std::uint8_t flags = bytes_[flags_at];
  const std::size_t length_at =
      flags_at + 1 + ((flags & kFlagShortId) ? 1 : 2) + ((flags & kFlagFragment) ? 2 : 0);
  bytes_[flags_at] |= kFlagToEnd;
  bytes_.erase(bytes_.begin() + static_cast<std::ptrdiff_t>(length_at),
               bytes_.begin() + static_cast<std::ptrdiff_t>(length_at + kLengthBytes));
  if (messages_ == 1 && bytes_[flags_at] == kLoneMessageFlags) {
    bytes_[0] |= kLayoutLoneMessage;
    bytes_.erase(bytes_.begin() + static_cast<std::ptrdiff_t>(flags_at));
  }
}

void packet_writer::add(const message_entry& entry) {
  const bool fragment = entry.fragment_count > 1;
  const bool short_id = entry.short_id && entry.on == channel::unreliable;
  std::uint8_t flags = entry.on == channel::unreliable ? kFlagUnreliable : 0;
  if (fragment) flags |= kFlagFragment;
  if (short_id) flags |= kFlagShortId;
  last_message_at_ = bytes_.size();
  bytes_.push_back(flags);
  if (short_id) {
    bytes_.push_back(static_cast<std::uint8_t>(entry.id));
  } else {
    put16(bytes_, entry.id);
  }
  if (fragment) {
    bytes_.push_back(entry.fragment_index);
    bytes_.push_back(entry.fragment_count);
  }
  put16(bytes_, static_cast<std::uint16_t>(entry.payload.size()));
  bytes_.insert(bytes_.end(), entry.payload.begin(), entry.payload.end());
  ++messages_;
}

}  // namespace guildhall::wire::udp
