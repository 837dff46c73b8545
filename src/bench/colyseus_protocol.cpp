#include "bench/colyseus_protocol.hpp"

#include <msgpuck.h>

namespace guildhall::bench::colyseus {

namespace {

// Reads @colyseus/schema's encoding (decode.string, decode.number) from a body, never past its end.
class schema_reader {
 public:
  explicit schema_reader(std::string_view bytes, std::size_t offset) : bytes_(bytes), offset_(offset) {}

  std::size_t offset() const { return offset_; }
  bool at_end() const { return offset_ >= bytes_.size(); }
  std::uint8_t peek() const { return static_cast<std::uint8_t>(bytes_[offset_]); }

  result<std::uint64_t> little_endian(std::size_t width) {
    if (bytes_.size() - offset_ < width) return truncated();
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes_[offset_ + i])) << (8 * i);
    }
    offset_ += width;
    return value;
  }

  result<std::string_view> bytes(std::size_t length) {
    if (bytes_.size() - offset_ < length) return truncated();
    const auto text = bytes_.substr(offset_, length);
    offset_ += length;
    return text;
  }

  // decode.stringCheck: what a message type that is a string starts with. An empty fixstr (0xa0) is not one.
  bool string_next() const {
    if (at_end()) return false;
    const auto prefix = peek();
    return (prefix > 0xa0 && prefix < 0xc0) || prefix == 0xd9 || prefix == 0xda || prefix == 0xdb;
  }

  result<std::string_view> string() {
    if (at_end()) return truncated();
    const auto prefix = static_cast<std::uint8_t>(bytes_[offset_++]);
    if (prefix >= 0xa0 && prefix < 0xc0) return bytes(prefix & 0x1fu);
    const std::size_t width = prefix == 0xd9 ? 1 : prefix == 0xda ? 2 : prefix == 0xdb ? 4 : 0;
    if (width == 0) return fail(errc::bad_frame, "colyseus: expected a string, found prefix " + std::to_string(prefix));
    auto length = little_endian(width);
    if (!length) return std::unexpected(length.error());
    return bytes(static_cast<std::size_t>(*length));
  }

  // decode.number, integers only: message types and error codes are integers.
  result<std::int64_t> integer() {
    if (at_end()) return truncated();
    const auto prefix = static_cast<std::uint8_t>(bytes_[offset_++]);
    if (prefix < 0x80) return prefix;
    if (prefix > 0xdf) return static_cast<std::int64_t>(prefix) - 0x100;
    if (prefix >= 0xcc && prefix <= 0xd3) {
      const bool is_signed = prefix >= 0xd0;
      const std::size_t width = std::size_t{1} << ((prefix - (is_signed ? 0xd0 : 0xcc)) & 3);
      auto raw = little_endian(width);
      if (!raw) return std::unexpected(raw.error());
      if (!is_signed || width == 8) return static_cast<std::int64_t>(*raw);
      const std::uint64_t sign_bit = std::uint64_t{1} << (8 * width - 1);
      return static_cast<std::int64_t>((*raw ^ sign_bit) - sign_bit);
    }
    return fail(errc::bad_frame, "colyseus: expected an integer, found prefix " + std::to_string(prefix));
  }

 private:
  static std::unexpected<error> truncated() { return fail(errc::bad_frame, "colyseus: truncated message"); }

  std::string_view bytes_;
  std::size_t offset_;
};

// JOIN_ROOM: code, then two strings each preceded by ONE length byte (not schema strings), then the
// serializer's handshake, which a room without state does not need.
result<server_message> decode_joined(schema_reader& reader) {
  joined message;
  for (std::string* field : {&message.reconnection_token, &message.serializer_id}) {
    auto length = reader.little_endian(1);
    if (!length) return std::unexpected(length.error());
    auto text = reader.bytes(static_cast<std::size_t>(*length));
    if (!text) return std::unexpected(text.error());
    *field = *text;
  }
  return message;
}

result<server_message> decode_error(schema_reader& reader) {
  auto number = reader.integer();
  if (!number) return std::unexpected(number.error());
  auto text = reader.string();
  if (!text) return std::unexpected(text.error());
  return server_error{*number, std::string(*text)};
}

result<server_message> decode_room_data(schema_reader& reader, std::string_view body) {
  if (!reader.string_next()) {
    auto number = reader.integer();
    if (!number) return std::unexpected(number.error());
    return fail(errc::bad_frame,
                "colyseus: message type " + std::to_string(*number) + " is a number; the chat room names its messages");
  }
  auto type = reader.string();
  if (!type) return std::unexpected(type.error());
  return room_data{std::string(*type), body.substr(reader.offset())};
}

void append_schema_string(std::string& out, std::string_view text) {
  const auto length = text.size();
  if (length < 0x20) {
    out.push_back(static_cast<char>(0xa0 | length));
  } else {
    const std::size_t width = length < 0x100 ? 1 : length < 0x10000 ? 2 : 4;
    out.push_back(static_cast<char>(width == 1 ? 0xd9 : width == 2 ? 0xda : 0xdb));
    for (std::size_t i = 0; i < width; ++i) out.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
  }
  out.append(text);
}

}  // namespace

result<server_message> decode_server_message(std::string_view body) {
  if (body.empty()) return fail(errc::bad_frame, "colyseus: empty message");
  schema_reader reader(body, 1);
  switch (static_cast<code>(body[0])) {
    case code::join_room:
      return decode_joined(reader);
    case code::error:
      return decode_error(reader);
    case code::room_data:
      return decode_room_data(reader, body);
    case code::leave_room:
      return leave_requested{};
    case code::room_state:
    case code::room_state_patch:
    case code::room_data_schema:
      return fail(errc::bad_frame, "colyseus: room state sent, but the chat room has no state");
    case code::room_data_bytes:
      return fail(errc::bad_frame, "colyseus: raw bytes sent, but the chat room sends msgpack messages");
  }
  return fail(errc::bad_frame, "colyseus: unknown message code " + std::to_string(static_cast<std::uint8_t>(body[0])));
}

std::string encode_join_ack() { return std::string(1, static_cast<char>(code::join_room)); }

std::string encode_room_data(std::string_view type, std::string_view msgpack_payload) {
  std::string body(1, static_cast<char>(code::room_data));
  body.reserve(1 + 5 + type.size() + msgpack_payload.size());
  append_schema_string(body, type);
  body.append(msgpack_payload);
  return body;
}

std::string encode_say_payload(std::string_view text, double sent_at_ms) {
  constexpr std::string_view kText = "text";
  constexpr std::string_view kSentAt = "sent_at";
  std::string payload(mp_sizeof_map(2) + mp_sizeof_str(kText.size()) +
                          mp_sizeof_str(static_cast<std::uint32_t>(text.size())) + mp_sizeof_str(kSentAt.size()) +
                          mp_sizeof_double(sent_at_ms),
                      '\0');
  char* out = payload.data();
  out = mp_encode_map(out, 2);
  out = mp_encode_str(out, kText.data(), kText.size());
  out = mp_encode_str(out, text.data(), static_cast<std::uint32_t>(text.size()));
  out = mp_encode_str(out, kSentAt.data(), kSentAt.size());
  mp_encode_double(out, sent_at_ms);
  return payload;
}

result<std::string_view> said_text(std::string_view payload) {
  const char* cursor = payload.data();
  const char* const end = payload.data() + payload.size();
  // mp_check walks the whole value within [cursor, end); only then may the mp_decode_* calls below run unchecked.
  if (const char* check = cursor; payload.empty() || mp_check(&check, end) != 0 || check != end) {
    return fail(errc::bad_frame, "colyseus: \"said\" payload is not one msgpack value");
  }
  if (mp_typeof(*cursor) != MP_MAP) return fail(errc::bad_frame, "colyseus: \"said\" payload is not a map");
  for (std::uint32_t entries = mp_decode_map(&cursor); entries > 0; --entries) {
    if (mp_typeof(*cursor) != MP_STR)
      return fail(errc::bad_frame, "colyseus: \"said\" payload has a key that is not a string");
    std::uint32_t key_length = 0;
    const char* key = mp_decode_str(&cursor, &key_length);
    if (std::string_view(key, key_length) != "text") {
      mp_next(&cursor);
      continue;
    }
    if (mp_typeof(*cursor) != MP_STR) return fail(errc::bad_frame, "colyseus: \"said\" text is not a string");
    std::uint32_t text_length = 0;
    const char* text = mp_decode_str(&cursor, &text_length);
    return std::string_view(text, text_length);
  }
  return fail(errc::bad_frame, "colyseus: \"said\" payload has no text");
}

}  // namespace guildhall::bench::colyseus
