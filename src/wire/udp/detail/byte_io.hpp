#pragma once
// Little-endian reads and writes over a fixed span (netcode: every integer on the wire is little-endian). A write
// or read past the end sets `ok() == false` and does nothing, so a codec checks once at the end instead of at each
// field. Private to src/wire/udp/.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace guildhall::wire::udp::detail {

class byte_writer {
 public:
  explicit byte_writer(std::span<std::uint8_t> out) : out_(out) {}

  void u8(std::uint8_t value) { bytes(std::span(&value, 1)); }
  void u16(std::uint16_t value) { little(value, 2); }
  void u32(std::uint32_t value) { little(value, 4); }
  void u64(std::uint64_t value) { little(value, 8); }
  void bytes(std::span<const std::uint8_t> data) {
    if (!ok_ || out_.size() - position_ < data.size()) {
      ok_ = false;
      return;
    }
    if (!data.empty()) std::memcpy(out_.data() + position_, data.data(), data.size());
    position_ += data.size();
  }

  bool ok() const { return ok_; }
  std::size_t size() const { return position_; }

 private:
  void little(std::uint64_t value, int count) {
    std::uint8_t buffer[8];
    for (int i = 0; i < count; ++i) buffer[i] = static_cast<std::uint8_t>(value >> (8 * i));
    bytes(std::span(buffer, static_cast<std::size_t>(count)));
  }

  std::span<std::uint8_t> out_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

class byte_reader {
 public:
  explicit byte_reader(std::span<const std::uint8_t> in) : in_(in) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(little(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(little(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(little(4)); }
  std::uint64_t u64() { return little(8); }
  // The next `count` bytes, or an empty span (and !ok()) when fewer remain.
  std::span<const std::uint8_t> bytes(std::size_t count) {
    if (!ok_ || in_.size() - position_ < count) {
      ok_ = false;
      return {};
    }
    auto view = in_.subspan(position_, count);
    position_ += count;
    return view;
  }

  bool ok() const { return ok_; }
  std::size_t position() const { return position_; }
  std::span<const std::uint8_t> rest() const { return in_.subspan(position_); }

 private:
  std::uint64_t little(std::size_t count) {
    auto view = bytes(count);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < view.size(); ++i) value |= std::uint64_t{view[i]} << (8 * i);
    return value;
  }

  std::span<const std::uint8_t> in_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

}  // namespace guildhall::wire::udp::detail
