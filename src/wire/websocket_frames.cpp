#include "wire/websocket_frames.hpp"

#include "wire/utf8.hpp"

namespace guildhall::wire::ws {
namespace {

constexpr std::size_t kMaxControlPayload = 125;

bool is_control(opcode kind) { return static_cast<std::uint8_t>(kind) >= 8; }

bool is_known(std::uint8_t code) { return code <= 2 || (code >= 8 && code <= 10); }

std::uint64_t read_big_endian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<std::uint8_t>(byte);
  return value;
}

}  // namespace

result<std::optional<message>> frame_reader::next() {
  while (true) {
    const std::string_view pending = std::string_view(buffer_).substr(consumed_);
    if (pending.size() < 2) return std::nullopt;
    const auto b0 = static_cast<std::uint8_t>(pending[0]);
    const auto b1 = static_cast<std::uint8_t>(pending[1]);
    const bool fin = b0 & 0x80;
    const std::uint8_t code = b0 & 0x0f;
    const bool masked = b1 & 0x80;
    if (b0 & 0x70) return fail(errc::bad_frame, "reserved bits set without a negotiated extension");
    if (!is_known(code)) return fail(errc::bad_frame, "unknown opcode " + std::to_string(code));
    if (masked != (self_ == role::server)) {
      return fail(errc::bad_frame, self_ == role::server ? "client frames must be masked" : "server frames must not be masked");
    }
    const auto kind = static_cast<opcode>(code);

    std::size_t header = 2;
    std::uint64_t length = b1 & 0x7f;
    if (length == 126) {
      header += 2;
      if (pending.size() < header) return std::nullopt;
      length = read_big_endian(pending.substr(2, 2));
    } else if (length == 127) {
      header += 8;
      if (pending.size() < header) return std::nullopt;
      length = read_big_endian(pending.substr(2, 8));
    }
    if (is_control(kind) && (!fin || length > kMaxControlPayload)) {
      return fail(errc::bad_frame, "control frames must be final and at most 125 bytes");
    }
    // Judge the size before waiting for the bytes, so a peer cannot make us buffer past the limit.
    const std::size_t already = is_control(kind) ? 0 : fragments_.size();
    if (length > max_message_bytes_ || already + length > max_message_bytes_) {
      return fail(errc::frame_too_large, "message of at least " + std::to_string(already + length) +
                                             " bytes exceeds the limit of " + std::to_string(max_message_bytes_));
    }
    mask_key mask{};
    if (masked) {
      if (pending.size() < header + 4) return std::nullopt;
      for (std::size_t i = 0; i < 4; ++i) mask[i] = static_cast<std::uint8_t>(pending[header + i]);
      header += 4;
    }
    if (pending.size() < header + length) return std::nullopt;

    std::string payload(pending.substr(header, static_cast<std::size_t>(length)));
    if (masked) apply_mask(payload, mask);
    consumed_ += header + static_cast<std::size_t>(length);
    compact();

    if (kind == opcode::close) {
      // RFC 6455 5.5.1: empty, or a 2-byte code followed by a UTF-8 reason.
      if (payload.size() == 1) return fail(errc::bad_frame, "close frame with a 1-byte body");
      if (payload.size() > 2 && !is_valid_utf8(std::string_view(payload).substr(2))) {
        return fail(errc::invalid_utf8, "close reason is not valid UTF-8");
      }
    }
    if (is_control(kind)) return message{kind, std::move(payload)};
    if (kind == opcode::continuation) {
      if (!fragmented_kind_) return fail(errc::bad_frame, "continuation frame without a message to continue");
      fragments_ += payload;
    } else {
      if (fragmented_kind_) return fail(errc::bad_frame, "new data frame inside a fragmented message");
      fragmented_kind_ = kind;
      fragments_ = std::move(payload);
    }
    if (!fin) continue;

    message whole{*fragmented_kind_, std::move(fragments_)};
    fragmented_kind_.reset();
    fragments_.clear();
    if (whole.kind == opcode::text && !is_valid_utf8(whole.payload)) {
      return fail(errc::invalid_utf8, "text message is not valid UTF-8");
    }
    return whole;
  }
}

void frame_reader::compact() {
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ > buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
}

std::string frame_header(opcode kind, std::size_t payload_bytes, const std::optional<mask_key>& mask) {
  std::string header;
  header.reserve(14);
  header.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(kind)));
  const std::uint8_t mask_bit = mask ? 0x80 : 0;
  if (payload_bytes < 126) {
    header.push_back(static_cast<char>(mask_bit | payload_bytes));
  } else if (payload_bytes <= 0xffff) {
    header.push_back(static_cast<char>(mask_bit | 126));
    header.push_back(static_cast<char>(payload_bytes >> 8));
    header.push_back(static_cast<char>(payload_bytes & 0xff));
  } else {
    header.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) header.push_back(static_cast<char>((payload_bytes >> shift) & 0xff));
  }
  if (mask) header.append(reinterpret_cast<const char*>(mask->data()), mask->size());
  return header;
}

std::string make_frame(opcode kind, std::string_view payload, const std::optional<mask_key>& mask) {
  std::string frame = frame_header(kind, payload.size(), mask);
  const std::size_t start = frame.size();
  frame.append(payload);
  if (mask) {
    for (std::size_t i = start; i < frame.size(); ++i) frame[i] = static_cast<char>(frame[i] ^ (*mask)[(i - start) % 4]);
  }
  return frame;
}

void apply_mask(std::string& payload, const mask_key& mask, std::size_t offset) {
  for (std::size_t i = 0; i < payload.size(); ++i) {
    payload[i] = static_cast<char>(payload[i] ^ mask[(i + offset) % 4]);
  }
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xff));
  // Cut at a character boundary so the reason stays valid UTF-8.
  std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
  while (keep > 0 && keep < reason.size() && (static_cast<std::uint8_t>(reason[keep]) & 0xc0) == 0x80) --keep;
  payload.append(reason.substr(0, keep));
  return payload;
}

std::uint16_t close_code_of(std::string_view close_payload) {
  if (close_payload.size() < 2) return 1005;  // "no status received"
  return static_cast<std::uint16_t>(read_big_endian(close_payload.substr(0, 2)));
}

}  // namespace guildhall::wire::ws
