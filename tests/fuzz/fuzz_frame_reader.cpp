// libFuzzer target: wire::frame_reader (TCP varint framing). Byte 0 picks the frame limit, byte 1 how many bytes
// each feed() gets (as if the socket returned them in pieces); the rest is the stream.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/frame_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = 1 + std::size_t{data[0]} * 64;
  const std::size_t chunk = 1 + data[1] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  guildhall::wire::frame_reader reader(limit);
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    reader.feed(stream.substr(at, chunk));
    while (true) {
      auto frame = reader.next();
      if (!frame) return 0;  // fatal for the stream: the connection closes here
      if (!*frame) break;
      if ((*frame)->size() > limit) std::abort();  // a frame past the limit got through
    }
    // Drained, the reader holds at most one partial frame: a varint (under 10 bytes) plus a body under the limit.
    if (reader.buffered_bytes() >= limit + 10) std::abort();
  }
  return 0;
}
