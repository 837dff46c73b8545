#include "wire/codec.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wire_format_lite.h>

#include <cmath>
#include <limits>
#include <optional>

#include "wire/wire_metrics.hpp"

namespace guildhall::wire {
namespace {

// protobuf reports a proto3 string field holding invalid UTF-8 only through its log, then fails the parse like
// any other malformed input. Catching that log line lets us answer INVALID_UTF8 instead of BAD_FRAME, and keeps
// hostile input from writing to the server's stderr.
thread_local bool last_parse_saw_bad_utf8 = false;

void protobuf_log_handler(google::protobuf::LogLevel, const char*, int, const std::string& message) {
  if (message.find("UTF-8") != std::string::npos) last_parse_saw_bad_utf8 = true;
}

const bool log_handler_installed = [] {
  google::protobuf::SetLogHandler(&protobuf_log_handler);
  return true;
}();

result<v1::Envelope> decode_binary(std::string_view bytes) {
  v1::Envelope envelope;
  last_parse_saw_bad_utf8 = false;
  if (envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return envelope;
  if (last_parse_saw_bad_utf8) return fail(errc::invalid_utf8, "a text field is not valid UTF-8");
  return fail(errc::bad_frame, "frame is not a valid Envelope");
}

result<v1::Envelope> decode_json(std::string_view text) {
  v1::Envelope envelope;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &envelope, options);
  if (!status.ok()) {
    return fail(errc::bad_frame, "JSON does not match the Envelope schema: " + std::string(status.message()));
  }
  return envelope;
}

constexpr int kCidField = v1::Envelope::kCidFieldNumber;
constexpr double kMaxCid = std::numeric_limits<std::uint32_t>::max();

// Reads field `cid` of a binary Envelope field by field, stopping at the first field it cannot skip: a request
// whose body is broken usually still has its cid in front (encoders write fields in number order).
std::uint32_t binary_cid(std::string_view bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  while (const std::uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kCidField &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_VARINT) {
      std::uint64_t cid = 0;
      if (!input.ReadVarint64(&cid)) return 0;
      return static_cast<std::uint32_t>(cid);  // protobuf's own reading of a uint32 field: the low 32 bits
    }
    if (!WireFormatLite::SkipField(&input, tag)) return 0;
  }
  return 0;
}

// The serialized google.protobuf.Value of `key` in a serialized google.protobuf.Struct (map<string, Value>
// fields = 1: entries of key = 1 and value = 2). Read from the bytes rather than through Map's inline code, which
// crashed under ThreadSanitizer against the system's uninstrumented libprotobuf.
std::optional<std::string> struct_member(const std::string& serialized, std::string_view key) {
  using google::protobuf::internal::WireFormatLite;
  const auto read_bytes = [](google::protobuf::io::CodedInputStream& input, std::string& out) {
    std::uint32_t length = 0;
    return input.ReadVarint32(&length) && input.ReadString(&out, static_cast<int>(length));
  };
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(serialized.data()),
                                               static_cast<int>(serialized.size()));
  while (const std::uint32_t tag = input.ReadTag()) {
    std::string entry;
    if (tag != WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED) || !read_bytes(input, entry)) {
      return std::nullopt;
    }
    google::protobuf::io::CodedInputStream fields(reinterpret_cast<const std::uint8_t*>(entry.data()),
                                                  static_cast<int>(entry.size()));
    std::string name, value;
    while (const std::uint32_t field = fields.ReadTag()) {
      std::string bytes;
      if (WireFormatLite::GetTagWireType(field) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED || !read_bytes(fields, bytes)) {
        return std::nullopt;
      }
      (WireFormatLite::GetTagFieldNumber(field) == 1 ? name : value) = std::move(bytes);
    }
    if (name == key) return value;
  }
  return std::nullopt;
}

// Any JSON object parses as a Struct, schema or not; proto3 JSON writes a uint32 as a number or a string.
std::uint32_t json_cid(std::string_view text) {
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(text, &object).ok()) return 0;
  const auto member = struct_member(object.SerializeAsString(), "cid");
  google::protobuf::Value cid;
  if (!member || !cid.ParseFromString(*member)) return 0;
  double number = 0;
  if (cid.has_number_value()) {
    number = cid.number_value();
  } else if (cid.has_string_value()) {
    const std::string& digits = cid.string_value();
    if (digits.empty() || digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
    number = std::stod(digits);
  } else {
    return 0;
  }
  if (!(number >= 0 && number <= kMaxCid) || std::floor(number) != number) return 0;
  return static_cast<std::uint32_t>(number);
}

}  // namespace

std::uint32_t readable_cid(std::string_view bytes, payload_format format) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return 0;
  return format == payload_format::json ? json_cid(bytes) : binary_cid(bytes);
}

result<v1::Envelope> decode(std::string_view bytes, payload_format format) {
  (void)log_handler_installed;
  return format == payload_format::json ? decode_json(bytes) : decode_binary(bytes);
}

std::string encode(const v1::Envelope& envelope, payload_format format) {
  std::string out;
  if (format == payload_format::json) {
    google::protobuf::util::MessageToJsonString(envelope, &out);
  } else {
    envelope.SerializeToString(&out);
  }
  return out;
}

shared_message encode_shared(const v1::Envelope& envelope, bool with_json) {
  auto message = std::make_shared<encoded_message>();
  envelope.SerializeToString(&message->binary);
  if (with_json) google::protobuf::util::MessageToJsonString(envelope, &message->json);
  return message;
}

v1::ErrorCode to_wire(errc code) {
  switch (code) {
    case errc::bad_frame: return v1::BAD_FRAME;
    case errc::frame_too_large: return v1::FRAME_TOO_LARGE;
    case errc::unauthenticated: return v1::UNAUTHENTICATED;
    case errc::auth_failed: return v1::AUTH_FAILED;
    case errc::token_expired: return v1::TOKEN_EXPIRED;
    case errc::rate_limited: return v1::RATE_LIMITED;
    case errc::invalid_utf8: return v1::INVALID_UTF8;
    case errc::invalid_argument: return v1::INVALID_ARGUMENT;
    case errc::conflict: return v1::USERNAME_TAKEN;
    case errc::not_found: return v1::NOT_FOUND;
    case errc::not_member: return v1::NOT_MEMBER;
    case errc::already_authenticated: return v1::ALREADY_AUTHENTICATED;
    case errc::unknown_request: return v1::UNKNOWN_REQUEST;
    case errc::internal: return v1::INTERNAL;
    case errc::not_your_turn: return v1::NOT_YOUR_TURN;
    case errc::illegal_move: return v1::ILLEGAL_MOVE;
    case errc::match_closed: return v1::MATCH_CLOSED;
    case errc::not_player: return v1::NOT_PLAYER;
    case errc::unavailable: return v1::UNAVAILABLE;
    case errc::room_full: return v1::ROOM_FULL;
    case errc::room_not_found: return v1::ROOM_NOT_FOUND;
    case errc::room_refused: return v1::ROOM_REFUSED;
    case errc::already_queued: return v1::ALREADY_QUEUED;
    case errc::not_online: return v1::NOT_ONLINE;
  }
  return v1::INTERNAL;
}

v1::Envelope make_error(std::uint32_t cid, const error& failure) {
  v1::Envelope envelope;
  envelope.set_cid(cid);
  auto* body = envelope.mutable_error();
  body->set_code(to_wire(failure.code));
  body->set_message(failure.message);
  count_error(body->code());
  body->set_retry_after_ms(failure.retry_after_ms);
  return envelope;
}

}  // namespace guildhall::wire
