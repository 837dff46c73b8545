#pragma once
// The Colyseus 0.16 room protocol, the part a chat client needs, sans I/O: WebSocket message bodies in, typed
// messages or an error out, and the bodies a client sends. Written from the real client and server
// (bench/peers/colyseus/node_modules: colyseus.js lib/Room.js and lib/Protocol.js, @colyseus/core
// build/Protocol.js and build/Room.js, @colyseus/schema's encode/decode). Used only by the benchmark's
// Colyseus member; anything outside this subset is an error, not something to guess at.
//
// Every body starts with one code byte. A message type is written with @colyseus/schema's encode.string or
// encode.number: msgpack's type prefixes, but multi-byte lengths and numbers are LITTLE-endian, so a msgpack
// library must not read them. Payloads after the type are real msgpack (msgpackr, without records).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"

namespace guildhall::bench::colyseus {

enum class code : std::uint8_t {
  join_room = 10,   // server: joined (reconnection token, serializer id); client: the acknowledgement
  error = 11,       // server: number code, string message
  leave_room = 12,  // server: please leave; client: I leave
  room_data = 13,   // type, then an optional msgpack payload
  room_state = 14,  // schema state: the benchmark's room has none
  room_state_patch = 15,
  room_data_schema = 16,
  room_data_bytes = 17,  // type, then raw bytes
};

// The server accepted the WebSocket into the room. The client must answer encode_join_ack() before the server
// sends it anything else (until then its messages are queued).
struct joined {
  std::string reconnection_token;
  std::string serializer_id;
};
struct server_error {
  std::int64_t code = 0;  // ErrorCode (4210-4216) or a room's own
  std::string message;
};
// `payload` points into the decoded body: use it before the body's buffer is reused.
struct room_data {
  std::string type;
  std::string_view payload;  // msgpack; empty when the message had none
};
struct leave_requested {};

using server_message = std::variant<joined, server_error, room_data, leave_requested>;

// Errors (errc::bad_frame): an empty or truncated body, a code outside the subset above, room state, a numeric
// message type (the chat room names its messages).
result<server_message> decode_server_message(std::string_view body);

std::string encode_join_ack();
// A ROOM_DATA body: code, `type` as a schema string, then `msgpack_payload` as is.
std::string encode_room_data(std::string_view type, std::string_view msgpack_payload);

// The chat room of bench/peers/colyseus/server.js: the client sends "say" {text, sent_at}; the room broadcasts
// "said" {from, text, sent_at} to every member, echoing text and sent_at untouched.
inline constexpr std::string_view kSayType = "say";
inline constexpr std::string_view kSaidType = "said";
// msgpack {"text": text, "sent_at": sent_at_ms} (a float64, as a JavaScript client's clock would send it).
std::string encode_say_payload(std::string_view text, double sent_at_ms);
// The "text" of a "said" payload; points into `payload`. Errors: not exactly one msgpack map, no string "text".
result<std::string_view> said_text(std::string_view payload);

}  // namespace guildhall::bench::colyseus
