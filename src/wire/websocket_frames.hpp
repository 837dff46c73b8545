#pragma once
// Sans-I/O WebSocket (RFC 6455) framing, for both ends: the server reads masked frames and writes unmasked ones,
// the client SDK the other way round. No extensions are negotiated, so RSV bits must be zero.
// We frame WebSocket ourselves (Beast still parses the HTTP upgrade) so that a fan-out can put many frames into
// one gather-write and an idle connection holds no read buffer; see docs/architecture.md.
// Thread-safety: none; one reader per connection.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::wire::ws {

enum class opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// A whole message: data messages are reassembled from their fragments; control frames come as they arrive
// (they may interleave with the fragments of a data message).
struct message {
  opcode kind;
  std::string payload;
};

enum class role : std::uint8_t { server, client };

// RFC 6455 close codes for failures found while reading.
constexpr std::uint16_t kCloseProtocolError = 1002;
constexpr std::uint16_t kCloseInvalidPayload = 1007;
constexpr std::uint16_t kCloseMessageTooBig = 1009;

class frame_reader {
 public:
  frame_reader(role self, std::size_t max_message_bytes) : self_(self), max_message_bytes_(max_message_bytes) {}

  void set_max_message_bytes(std::size_t bytes) { max_message_bytes_ = bytes; }
  void feed(std::string_view bytes) { buffer_.append(bytes); }

  // Errors: bad_frame (protocol violation, close 1002), frame_too_large (close 1009), invalid_utf8 in a text
  // message (close 1007). After an error the connection must be closed.
  result<std::optional<message>> next();

  std::size_t buffered_bytes() const { return buffer_.size() - consumed_; }

 private:
  void compact();

  role self_;
  std::size_t max_message_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  std::optional<opcode> fragmented_kind_;  // set while a fragmented data message is being reassembled
  std::string fragments_;
};

using mask_key = std::array<std::uint8_t, 4>;

// The header of one final frame; with a mask key the header says "masked" and the caller masks the payload.
std::string frame_header(opcode kind, std::size_t payload_bytes, const std::optional<mask_key>& mask = std::nullopt);

// Header + payload (masked when a key is given): for control frames and for the client SDK.
std::string make_frame(opcode kind, std::string_view payload, const std::optional<mask_key>& mask = std::nullopt);

void apply_mask(std::string& payload, const mask_key& mask, std::size_t offset = 0);

// Close frame payload: 2-byte code + UTF-8 reason, cut to fit the 125-byte control frame limit.
std::string close_payload(std::uint16_t code, std::string_view reason);
std::uint16_t close_code_of(std::string_view close_payload);

}  // namespace guildhall::wire::ws
