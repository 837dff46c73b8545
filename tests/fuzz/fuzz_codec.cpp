// libFuzzer target: wire codec. Every input is decoded as protobuf bytes and as protobuf-JSON. Whatever decodes must
// encode and decode again to the same Envelope, and a binary Envelope must survive conversion to JSON (the server
// converts for JSON clients, net/stream_connection.cpp).
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/codec.hpp"

namespace wire = guildhall::wire;
using google::protobuf::util::MessageDifferencer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  if (auto binary = wire::decode(bytes, wire::payload_format::binary)) {
    auto again = wire::decode(wire::encode(*binary, wire::payload_format::binary), wire::payload_format::binary);
    if (!again || !MessageDifferencer::Equals(*binary, *again)) std::abort();
    if (!wire::decode(wire::encode(*binary, wire::payload_format::json), wire::payload_format::json)) std::abort();
  }
  if (auto json = wire::decode(bytes, wire::payload_format::json)) {
    auto again = wire::decode(wire::encode(*json, wire::payload_format::json), wire::payload_format::json);
    if (!again || !MessageDifferencer::Equals(*json, *again)) std::abort();
    auto via_binary = wire::decode(wire::encode(*json, wire::payload_format::binary), wire::payload_format::binary);
    if (!via_binary || !MessageDifferencer::Equals(*json, *via_binary)) std::abort();
  }
  return 0;
}
