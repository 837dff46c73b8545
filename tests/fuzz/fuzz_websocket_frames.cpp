// libFuzzer target: wire::ws::frame_reader (RFC 6455 framing). Byte 0: bit 0 picks the role (server reads masked
// frames), the rest the message limit; byte 1: bytes per feed(). Every message read is re-framed and read back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/utf8.hpp"
#include "wire/websocket_frames.hpp"

namespace ws = guildhall::wire::ws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const ws::role self = (data[0] & 1) ? ws::role::client : ws::role::server;
  const std::size_t limit = 1 + (std::size_t{data[0]} >> 1) * 64;
  const std::size_t chunk = 1 + data[1] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  ws::frame_reader reader(self, limit);
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    reader.feed(stream.substr(at, chunk));
    while (true) {
      auto got = reader.next();
      if (!got) return 0;  // fatal for the connection
      if (!*got) break;
      const ws::message& m = **got;
      const bool control = static_cast<std::uint8_t>(m.kind) >= 8;
      if (m.payload.size() > (control ? 125 : limit)) std::abort();
      if (m.kind == ws::opcode::text && !guildhall::wire::is_valid_utf8(m.payload)) std::abort();
      if (m.kind == ws::opcode::continuation) std::abort();  // fragments come out reassembled
      // What we read, framed again by the other side, reads back the same.
      const auto mask = self == ws::role::server ? std::optional<ws::mask_key>(ws::mask_key{9, 8, 7, 6}) : std::nullopt;
      ws::frame_reader echo(self, limit);
      echo.feed(ws::make_frame(m.kind, m.payload, mask));
      auto again = echo.next();
      if (!again || !*again || (*again)->payload != m.payload || (*again)->kind != m.kind) std::abort();
    }
    if (reader.buffered_bytes() >= limit + 14) std::abort();  // one partial frame: header (<= 14) + body
  }
  return 0;
}
