#pragma once
// Sans-I/O decoder for the TCP stream framing: each frame is a protobuf varint length followed by that many
// bytes. Feed it whatever the socket returned; take whole frames out. It never reads past a length it has not
// checked against the limit, so a peer cannot make it buffer more than `max_frame_bytes` + one read.
// Thread-safety: none; one reader per connection, used on that connection's shard.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::wire {

class frame_reader {
 public:
  explicit frame_reader(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

  // The limit may be raised after authentication; frames already buffered are judged by the new limit.
  void set_max_frame_bytes(std::size_t bytes) { max_frame_bytes_ = bytes; }

  void feed(std::string_view bytes) { buffer_.append(bytes); }

  // The next whole frame, nullopt when more bytes are needed, or an error (frame_too_large, bad_frame) after
  // which the stream cannot be resynchronised and the connection must be closed.
  result<std::optional<std::string>> next();

  std::size_t buffered_bytes() const { return buffer_.size() - consumed_; }

 private:
  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;
};

// Appends the varint encoding of `value` (1..10 bytes) to `out`.
void append_varint(std::string& out, std::uint64_t value);

// A frame ready for a TCP socket: varint length + payload.
std::string frame_for_stream(std::string_view payload);

}  // namespace guildhall::wire
