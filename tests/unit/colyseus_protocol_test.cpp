// The benchmark's Colyseus 0.16 client codec and matchmaking answer. The golden bytes were produced by the real
// code in bench/peers/colyseus/node_modules: @colyseus/core's getMessageBytes (what the server sends) and
// colyseus.js's Room.send (what the JavaScript client sends).
#include "bench/colyseus_protocol.hpp"

#include <gtest/gtest.h>

#include "bench/colyseus_matchmake.hpp"
#include "bench/fanout_member.hpp"

namespace guildhall::bench::colyseus {
namespace {

std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return bytes;
}

template <typename T>
T decode_as(std::string_view body) {
  auto message = decode_server_message(body);
  EXPECT_TRUE(message.has_value()) << (message ? "" : message.error().message);
  if (!message || !std::holds_alternative<T>(*message)) {
    ADD_FAILURE() << "decoded to another message";
    return T{};
  }
  return std::get<T>(*message);
}

// getMessageBytes[JOIN_ROOM]("tok123", "none")
TEST(ColyseusProtocol, JoinRoomCarriesTokenAndSerializer) {
  const auto message = decode_as<joined>(from_hex("0a06746f6b313233046e6f6e65"));
  EXPECT_EQ(message.reconnection_token, "tok123");
  EXPECT_EQ(message.serializer_id, "none");
}

TEST(ColyseusProtocol, JoinAcknowledgementIsTheBareCode) { EXPECT_EQ(encode_join_ack(), std::string(1, '\x0a')); }

// getMessageBytes[ERROR](4214, "already consumed"): 4214 = 0x1076 is written little-endian after 0xcd.
TEST(ColyseusProtocol, ErrorCodeIsLittleEndian) {
  const auto message = decode_as<server_error>(from_hex("0bcd7610b0616c726561647920636f6e73756d6564"));
  EXPECT_EQ(message.code, 4214);
  EXPECT_EQ(message.message, "already consumed");
}

// getMessageBytes.raw(ROOM_DATA, "said", {from: "AbC_1", text: "1234567890123456", sent_at: 1234567890.123456}):
// msgpackr writes the map with a map16 header.
TEST(ColyseusProtocol, SaidFromTheServerGivesItsText) {
  const std::string body = from_hex(
      "0da473616964de0003a466726f6da54162435f31a474657874b031323334353637383930313233343536a773656e745f6174cb41d26580b4"
      "87e6b4");
  const auto data = decode_as<room_data>(body);
  EXPECT_EQ(data.type, "said");
  const auto text = said_text(data.payload);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, "1234567890123456");
  EXPECT_EQ(parse_stamp(*text), 1234567890123456);
}

// colyseus.js's Room.send("say", ...) starts the same way: code 13, then "say" as a fixstr. Its payload uses
// msgpackr's record extension, which the server's unpack reads as readily as the plain map sent here.
TEST(ColyseusProtocol, SayIsRoomDataWithAPlainMap) {
  const std::string body = encode_room_data(kSayType, encode_say_payload("1234567890123456", 1234567890.123456));
  EXPECT_EQ(body.substr(0, 5), from_hex("0da3736179"));
  EXPECT_EQ(body.substr(5),
            from_hex("82a474657874b031323334353637383930313233343536a773656e745f6174cb41d26580b487e6b4"));
}

TEST(ColyseusProtocol, LongTypesUseLittleEndianLengths) {
  const std::string type(300, 't');
  const std::string body = encode_room_data(type, "");
  EXPECT_EQ(body.substr(0, 4), from_hex("0dda2c01"));  // 300 = 0x012c
  EXPECT_EQ(decode_as<room_data>(body).type, type);
}

TEST(ColyseusProtocol, EveryTruncationIsAnError) {
  for (const std::string_view hex : {"0a06746f6b313233046e6f6e65", "0bcd7610b0616c726561647920636f6e73756d6564"}) {
    const std::string body = from_hex(hex);
    for (std::size_t length = 0; length < body.size(); ++length) {
      EXPECT_FALSE(decode_server_message(body.substr(0, length)).has_value()) << hex << " cut at " << length;
    }
  }
  const std::string payload =
      from_hex("82a474657874b031323334353637383930313233343536a773656e745f6174cb41d26580b487e6b4");
  for (std::size_t length = 0; length < payload.size(); ++length) {
    EXPECT_FALSE(said_text(payload.substr(0, length)).has_value()) << "payload cut at " << length;
  }
}

TEST(ColyseusProtocol, WhatTheChatRoomNeverSendsIsRefused) {
  EXPECT_FALSE(decode_server_message(from_hex("0e00")).has_value()) << "room state";
  EXPECT_FALSE(decode_server_message(from_hex("0f00")).has_value()) << "state patch";
  EXPECT_FALSE(decode_server_message(from_hex("11a3616263")).has_value()) << "raw bytes";
  EXPECT_FALSE(decode_server_message(from_hex("0d05c0")).has_value()) << "numeric type";
  EXPECT_FALSE(decode_server_message(from_hex("63")).has_value()) << "unknown code";
  EXPECT_TRUE(std::holds_alternative<leave_requested>(*decode_server_message(from_hex("0c"))));
}

TEST(ColyseusProtocol, SaidWithoutAStringTextIsRefused) {
  EXPECT_FALSE(said_text(from_hex("81a466726f6da141")).has_value()) << "no text";
  EXPECT_FALSE(said_text(from_hex("81a47465787401")).has_value()) << "text is a number";
  EXPECT_FALSE(said_text(from_hex("a3616263")).has_value()) << "not a map";
  EXPECT_FALSE(said_text(from_hex("80c0")).has_value()) << "trailing bytes";
}

TEST(ColyseusMatchmake, ReservationGivesTheWebSocketTarget) {
  const auto seat = parse_seat_reservation(
      R"({"room":{"clients":0,"locked":false,"private":false,"maxClients":null,"unlisted":false,)"
      R"("createdAt":"2026-11-22T10:00:00.000Z","name":"chat","processId":"p-Q_1","roomId":"r0om"},"sessionId":"s3ss"})");
  ASSERT_TRUE(seat.has_value()) << seat.error().message;
  EXPECT_EQ(websocket_target(*seat), "/p-Q_1/r0om?sessionId=s3ss");
}

TEST(ColyseusMatchmake, RefusalsAndStrangeAnswersAreErrors) {
  const auto refused = parse_seat_reservation(R"({"code":4212,"error":"room \"x\" not found"})");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("not found"), std::string::npos);
  EXPECT_NE(refused.error().message.find("4212"), std::string::npos);
  EXPECT_FALSE(parse_seat_reservation("not json").has_value());
  EXPECT_FALSE(parse_seat_reservation(R"({"room":{"roomId":"r","processId":"p"}})").has_value()) << "no sessionId";
  EXPECT_FALSE(parse_seat_reservation(R"({"room":{"roomId":"r/../x","processId":"p"},"sessionId":"s"})").has_value())
      << "an id that would change the URL";
  EXPECT_FALSE(
      parse_seat_reservation(R"({"room":{"roomId":"r","processId":"p"},"sessionId":"s","protocol":"h3"})").has_value());
  EXPECT_FALSE(
      parse_seat_reservation(R"({"room":{"roomId":"r","processId":"p","publicAddress":"h:1"},"sessionId":"s"})")
          .has_value());
}

}  // namespace
}  // namespace guildhall::bench::colyseus
