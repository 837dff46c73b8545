// libFuzzer target: the benchmark's Colyseus client codec (bench/colyseus_protocol.hpp), which reads what another
// server sends. Whatever decodes must point inside the input; a "said" payload is then read for its text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bench/colyseus_protocol.hpp"

namespace colyseus = guildhall::bench::colyseus;

namespace {
bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto message = colyseus::decode_server_message(body);
  if (!message) return 0;
  if (const auto* joined = std::get_if<colyseus::joined>(&*message)) {
    if (joined->reconnection_token.size() + joined->serializer_id.size() + 3 > size) std::abort();
  }
  if (const auto* room = std::get_if<colyseus::room_data>(&*message)) {
    if (!inside(room->payload, body) || room->type.size() >= size) std::abort();
    if (auto text = colyseus::said_text(room->payload); text && !inside(*text, room->payload)) std::abort();
  }
  return 0;
}
