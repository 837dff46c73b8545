#include "wire/frame_reader.hpp"

namespace guildhall::wire {
namespace {

constexpr std::size_t kMaxVarintBytes = 10;

struct varint {
  std::uint64_t value;
  std::size_t length;
};

// nullopt: need more bytes. Error: more than 10 bytes of continuation, which no valid length has.
result<std::optional<varint>> read_varint(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes.size() && i < kMaxVarintBytes; ++i) {
    const auto byte = static_cast<std::uint8_t>(bytes[i]);
    value |= std::uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80u) == 0) return varint{value, i + 1};
  }
  if (bytes.size() >= kMaxVarintBytes) return fail(errc::bad_frame, "frame length prefix is not a valid varint");
  return std::nullopt;
}

}  // namespace

result<std::optional<std::string>> frame_reader::next() {
  const std::string_view pending = std::string_view(buffer_).substr(consumed_);
  auto length = read_varint(pending);
  if (!length) return std::unexpected(length.error());
  if (!*length) return std::nullopt;
  if ((*length)->value > max_frame_bytes_) {
    return fail(errc::frame_too_large, "frame of " + std::to_string((*length)->value) + " bytes exceeds the limit of " +
                                           std::to_string(max_frame_bytes_));
  }
  const std::size_t header = (*length)->length;
  const auto body = static_cast<std::size_t>((*length)->value);
  if (pending.size() < header + body) return std::nullopt;

  std::string frame(pending.substr(header, body));
  consumed_ += header + body;
  // Compact once the consumed prefix dominates, so the buffer stays O(frame) without copying on every frame.
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ > buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return frame;
}

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::string frame_for_stream(std::string_view payload) {
  std::string framed;
  framed.reserve(payload.size() + 5);
  append_varint(framed, payload.size());
  framed.append(payload);
  return framed;
}

}  // namespace guildhall::wire
