#pragma once
// Envelope <-> bytes, for both payload formats. Pure functions: no sockets, no clocks, so every decoder here is
// fuzzable (tests/fuzz) and shared by the server and the client SDK.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::wire {

namespace v1 = ::guildhall::v1;

// binary: protobuf bytes (TCP frames, WebSocket binary frames); json: protobuf-JSON (WebSocket text frames).
enum class payload_format : std::uint8_t { binary, json };

// Errors: bad_frame (not an Envelope; JSON not matching the schema), invalid_utf8 (a string field that is not
// UTF-8 in a binary frame).
result<v1::Envelope> decode(std::string_view bytes, payload_format format);
// The `cid` of a frame that `decode` refused, when it can still be read (JSON that is an object but not an
// Envelope; a binary Envelope whose cid precedes the damage); 0 otherwise. The error then answers the request,
// so a client waiting on that cid is not left to time out.
std::uint32_t readable_cid(std::string_view bytes, payload_format format);

std::string encode(const v1::Envelope& envelope, payload_format format);

// One message serialized once per format a fan-out needs, shared read-only by every connection it goes to.
struct encoded_message {
  std::string binary;
  std::string json;  // empty unless requested
  const std::string& as(payload_format format) const { return format == payload_format::json ? json : binary; }
};
using shared_message = std::shared_ptr<const encoded_message>;

shared_message encode_shared(const v1::Envelope& envelope, bool with_json);

v1::ErrorCode to_wire(errc code);
v1::Envelope make_error(std::uint32_t cid, const error& failure);

}  // namespace guildhall::wire
