#include "net/inbound_framing.hpp"

#include <cstring>

namespace guildhall::net {
namespace {

std::variant<wire::frame_reader, wire::ws::frame_reader> make_reader(framing_kind kind, std::size_t limit) {
  if (kind == framing_kind::websocket) return wire::ws::frame_reader(wire::ws::role::server, limit);
  return wire::frame_reader(limit);
}

}  // namespace

inbound_framing::inbound_framing(framing_kind kind, std::size_t max_frame_bytes)
    : kind_(kind), reader_(make_reader(kind, max_frame_bytes)) {}

void inbound_framing::set_max_frame_bytes(std::size_t bytes) {
  std::visit([&](auto& reader) {
    if constexpr (std::is_same_v<std::decay_t<decltype(reader)>, wire::frame_reader>) {
      reader.set_max_frame_bytes(bytes);
    } else {
      reader.set_max_message_bytes(bytes);
    }
  }, reader_);
}

void inbound_framing::feed(std::string_view bytes) {
  std::visit([&](auto& reader) { reader.feed(bytes); }, reader_);
}

result<std::optional<inbound_event>> inbound_framing::next() {
  if (auto* stream = std::get_if<wire::frame_reader>(&reader_)) {
    auto frame = stream->next();
    if (!frame) return std::unexpected(frame.error());
    if (!*frame) return std::nullopt;
    return inbound_event{inbound_event::kind::data, wire::payload_format::binary, std::move(**frame)};
  }
  auto& websocket = std::get<wire::ws::frame_reader>(reader_);
  // A loop, not recursion: a peer can send any number of pongs in a row.
  while (true) {
    auto message = websocket.next();
    if (!message) return std::unexpected(message.error());
    if (!*message) return std::nullopt;
    auto& got = **message;
    switch (got.kind) {
      case wire::ws::opcode::text:
        return inbound_event{inbound_event::kind::data, wire::payload_format::json, std::move(got.payload)};
      case wire::ws::opcode::binary:
        return inbound_event{inbound_event::kind::data, wire::payload_format::binary, std::move(got.payload)};
      case wire::ws::opcode::ping:
        return inbound_event{inbound_event::kind::ping, wire::payload_format::binary, std::move(got.payload)};
      case wire::ws::opcode::close:
        return inbound_event{inbound_event::kind::close, wire::payload_format::binary, std::move(got.payload)};
      case wire::ws::opcode::pong:
      case wire::ws::opcode::continuation:
        continue;  // pongs need no answer
    }
  }
}

std::size_t inbound_framing::data_header(wire::payload_format format, std::size_t payload_bytes, char* out) const {
  std::string header;
  if (kind_ == framing_kind::websocket) {
    header = wire::ws::frame_header(format == wire::payload_format::json ? wire::ws::opcode::text : wire::ws::opcode::binary,
                                    payload_bytes);
  } else {
    wire::append_varint(header, payload_bytes);
  }
  std::memcpy(out, header.data(), header.size());
  return header.size();
}

}  // namespace guildhall::net
