#pragma once
// The two stream framings a connection can speak, behind one face: varint length prefixes (native TCP) and
// WebSocket frames (after the HTTP upgrade). Turns socket bytes into events and makes per-message headers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"
#include "wire/codec.hpp"
#include "wire/frame_reader.hpp"
#include "wire/websocket_frames.hpp"

namespace guildhall::net {

enum class framing_kind : std::uint8_t { length_prefixed, websocket };

struct inbound_event {
  enum class kind : std::uint8_t { data, ping, close } type;
  wire::payload_format format = wire::payload_format::binary;
  std::string payload;
};

class inbound_framing {
 public:
  inbound_framing(framing_kind kind, std::size_t max_frame_bytes);

  framing_kind kind() const { return kind_; }
  void set_max_frame_bytes(std::size_t bytes);
  void feed(std::string_view bytes);
  // Errors are fatal for the stream (see wire/frame_reader.hpp and wire/websocket_frames.hpp).
  result<std::optional<inbound_event>> next();

  // The bytes that go in front of a data message of `payload_bytes` in `format`, written into `out`.
  std::size_t data_header(wire::payload_format format, std::size_t payload_bytes, char* out) const;

 private:
  framing_kind kind_;
  std::variant<wire::frame_reader, wire::ws::frame_reader> reader_;
};

}  // namespace guildhall::net
