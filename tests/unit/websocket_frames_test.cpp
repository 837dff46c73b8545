// wire::ws: sans-I/O RFC 6455 framing, read as a server (masked client frames) and as a client.
#include "wire/websocket_frames.hpp"

#include <gtest/gtest.h>

#include <string>

#include "wire/utf8.hpp"

namespace guildhall::wire::ws {
namespace {

constexpr mask_key kMask{0x37, 0xfa, 0x21, 0x3d};  // the mask of RFC 6455 section 5.7's examples

// A masked client frame with explicit FIN and opcode bits, for fragments and hostile frames make_frame won't build.
std::string raw_frame(bool fin, std::uint8_t code, std::string_view payload, bool masked = true,
                      std::uint8_t extra_bits = 0) {
  std::string frame = masked ? make_frame(opcode::binary, payload, kMask) : make_frame(opcode::binary, payload);
  frame[0] = static_cast<char>((fin ? 0x80 : 0x00) | extra_bits | code);
  return frame;
}

std::string raw_frame(bool fin, opcode kind, std::string_view payload) {
  return raw_frame(fin, static_cast<std::uint8_t>(kind), payload);
}

message expect_message(frame_reader& reader) {
  auto got = reader.next();
  EXPECT_TRUE(got.has_value()) << got.error().message;
  if (!got) return {opcode::continuation, {}};
  EXPECT_TRUE(got->has_value()) << "reader wanted more bytes";
  if (!*got) return {opcode::continuation, {}};
  return std::move(**got);
}

void expect_needs_more(frame_reader& reader) {
  auto got = reader.next();
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_FALSE(got->has_value());
}

void expect_error(frame_reader& reader, errc code) {
  auto got = reader.next();
  ASSERT_FALSE(got.has_value()) << "expected an error, got a message or a request for more bytes";
  EXPECT_EQ(got.error().code, code) << got.error().message;
}

TEST(WebSocketFrames, Rfc6455MaskedHelloExample) {
  // RFC 6455 section 5.7: "A single-frame masked text message containing Hello".
  const std::string wire("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);
  EXPECT_EQ(make_frame(opcode::text, "Hello", kMask), wire);
  frame_reader reader(role::server, 1024);
  reader.feed(wire);
  const message got = expect_message(reader);
  EXPECT_EQ(got.kind, opcode::text);
  EXPECT_EQ(got.payload, "Hello");
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(WebSocketFrames, Rfc6455UnmaskedHelloReadByAClient) {
  const std::string wire("\x81\x05Hello", 7);
  EXPECT_EQ(make_frame(opcode::text, "Hello"), wire);
  frame_reader reader(role::client, 1024);
  reader.feed(wire);
  const message got = expect_message(reader);
  EXPECT_EQ(got.kind, opcode::text);
  EXPECT_EQ(got.payload, "Hello");
}

TEST(WebSocketFrames, MaskedFrameFedByteByByte) {
  frame_reader reader(role::server, 1024);
  const std::string wire = make_frame(opcode::binary, std::string("\x00\x01\x02\xff", 4), kMask);
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    reader.feed(wire.substr(i, 1));
    expect_needs_more(reader);
  }
  reader.feed(wire.substr(wire.size() - 1));
  const message got = expect_message(reader);
  EXPECT_EQ(got.kind, opcode::binary);
  EXPECT_EQ(got.payload, std::string("\x00\x01\x02\xff", 4));
}

TEST(WebSocketFrames, UnmaskedFrameToServerIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::text, "hi"));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, MaskedFrameToClientIsRejected) {
  frame_reader reader(role::client, 1024);
  reader.feed(make_frame(opcode::text, "hi", kMask));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, ReservedBitsAreRejected) {
  for (std::uint8_t rsv : {0x40, 0x20, 0x10}) {
    frame_reader reader(role::server, 1024);
    reader.feed(raw_frame(true, 0x1, "hi", true, rsv));
    expect_error(reader, errc::bad_frame);
  }
}

TEST(WebSocketFrames, UnknownOpcodesAreRejected) {
  for (std::uint8_t code : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
    frame_reader reader(role::server, 1024);
    reader.feed(raw_frame(true, code, "x"));
    expect_error(reader, errc::bad_frame);
  }
}

TEST(WebSocketFrames, SixteenBitLength) {
  const std::string payload(300, 'm');
  const std::string wire = make_frame(opcode::binary, payload, kMask);
  ASSERT_EQ(static_cast<std::uint8_t>(wire[1]), 0x80 | 126);
  ASSERT_EQ(wire.size(), 2 + 2 + 4 + payload.size());
  frame_reader reader(role::server, 1024);
  reader.feed(wire);
  EXPECT_EQ(expect_message(reader).payload, payload);
}

TEST(WebSocketFrames, SixtyFourBitLength) {
  const std::string payload(70000, 'L');
  const std::string wire = make_frame(opcode::binary, payload, kMask);
  ASSERT_EQ(static_cast<std::uint8_t>(wire[1]), 0x80 | 127);
  ASSERT_EQ(wire.size(), 2 + 8 + 4 + payload.size());
  frame_reader reader(role::server, 100000);
  reader.feed(wire);
  EXPECT_EQ(expect_message(reader).payload, payload);
}

TEST(WebSocketFrames, LengthBoundariesOfTheHeader) {
  EXPECT_EQ(frame_header(opcode::binary, 125).size(), 2u);
  EXPECT_EQ(frame_header(opcode::binary, 126).size(), 4u);
  EXPECT_EQ(frame_header(opcode::binary, 65535).size(), 4u);
  EXPECT_EQ(frame_header(opcode::binary, 65536).size(), 10u);
  EXPECT_EQ(frame_header(opcode::binary, 65536, kMask).size(), 14u);
}

TEST(WebSocketFrames, FragmentedMessageReassembledAroundAnInterleavedPing) {
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(false, opcode::text, "Hel"));
  reader.feed(raw_frame(true, opcode::ping, "are you there"));
  reader.feed(raw_frame(false, opcode::continuation, "lo, "));
  reader.feed(raw_frame(true, opcode::continuation, "world"));

  const message ping = expect_message(reader);
  EXPECT_EQ(ping.kind, opcode::ping);
  EXPECT_EQ(ping.payload, "are you there");
  const message text = expect_message(reader);
  EXPECT_EQ(text.kind, opcode::text);
  EXPECT_EQ(text.payload, "Hello, world");
  expect_needs_more(reader);
}

TEST(WebSocketFrames, FragmentedUtf8CharacterSplitAcrossFramesIsValid) {
  const std::string euro = "\xe2\x82\xac";
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(false, opcode::text, euro.substr(0, 1)));
  reader.feed(raw_frame(true, opcode::continuation, euro.substr(1)));
  EXPECT_EQ(expect_message(reader).payload, euro);
}

TEST(WebSocketFrames, ContinuationWithoutStartIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(true, opcode::continuation, "orphan"));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, NewDataFrameInsideAFragmentedMessageIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(false, opcode::text, "part"));
  reader.feed(raw_frame(true, opcode::binary, "intruder"));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, ControlFrameOver125BytesIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::ping, std::string(126, 'p'), kMask));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, ControlFrameOfExactly125BytesIsFine) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::pong, std::string(125, 'p'), kMask));
  EXPECT_EQ(expect_message(reader).kind, opcode::pong);
}

TEST(WebSocketFrames, FragmentedControlFrameIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(false, opcode::ping, "half"));
  expect_error(reader, errc::bad_frame);
}

TEST(WebSocketFrames, OversizeFrameIsRejectedFromTheHeaderAlone) {
  frame_reader reader(role::server, 1000);
  const std::string wire = make_frame(opcode::binary, std::string(1001, 'x'), kMask);
  reader.feed(wire.substr(0, 4));  // 2 bytes + 16-bit length: no mask, no body yet
  expect_error(reader, errc::frame_too_large);
}

TEST(WebSocketFrames, SixtyFourBitLengthOfExabytesIsRejectedNotAllocated) {
  frame_reader reader(role::server, 64 * 1024);
  std::string header("\x82\xff", 2);
  header.append(8, '\xff');  // 2^64 - 1 bytes, most significant bit set (itself a violation)
  reader.feed(header);
  expect_error(reader, errc::frame_too_large);
}

TEST(WebSocketFrames, FragmentsAddingUpPastTheLimitAreRejectedBeforeTheLastBody) {
  frame_reader reader(role::server, 100);
  reader.feed(raw_frame(false, opcode::binary, std::string(60, 'a')));
  expect_needs_more(reader);
  const std::string second = raw_frame(true, opcode::continuation, std::string(60, 'b'));
  reader.feed(second.substr(0, 2));  // the header says 60 more: 120 > 100
  expect_error(reader, errc::frame_too_large);
}

TEST(WebSocketFrames, ControlFramesDoNotCountTowardsTheFragmentedMessage) {
  frame_reader reader(role::server, 100);
  reader.feed(raw_frame(false, opcode::binary, std::string(90, 'a')));
  reader.feed(raw_frame(true, opcode::ping, std::string(50, 'p')));
  reader.feed(raw_frame(true, opcode::continuation, std::string(10, 'b')));
  EXPECT_EQ(expect_message(reader).kind, opcode::ping);
  EXPECT_EQ(expect_message(reader).payload.size(), 100u);
}

TEST(WebSocketFrames, RaisedLimitAppliesToLaterFrames) {
  frame_reader reader(role::server, 10);
  reader.set_max_message_bytes(1000);
  reader.feed(make_frame(opcode::binary, std::string(500, 'r'), kMask));
  EXPECT_EQ(expect_message(reader).payload.size(), 500u);
}

TEST(WebSocketFrames, InvalidUtf8TextIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::text, "bad \xc0\xaf byte", kMask));
  expect_error(reader, errc::invalid_utf8);
}

TEST(WebSocketFrames, TextEndingInATruncatedCharacterIsRejected) {
  frame_reader reader(role::server, 1024);
  reader.feed(raw_frame(false, opcode::text, "ok"));
  reader.feed(raw_frame(true, opcode::continuation, "\xe2\x82"));
  expect_error(reader, errc::invalid_utf8);
}

TEST(WebSocketFrames, InvalidUtf8InBinaryIsFine) {
  frame_reader reader(role::server, 1024);
  const std::string bytes("\xc0\xaf\xff\xfe\xed\xa0\x80", 7);
  reader.feed(make_frame(opcode::binary, bytes, kMask));
  const message got = expect_message(reader);
  EXPECT_EQ(got.kind, opcode::binary);
  EXPECT_EQ(got.payload, bytes);
}

TEST(WebSocketFrames, SeveralFramesInOneFeed) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::text, "a", kMask) + make_frame(opcode::binary, "b", kMask) +
              make_frame(opcode::close, close_payload(1000, "bye"), kMask));
  EXPECT_EQ(expect_message(reader).payload, "a");
  EXPECT_EQ(expect_message(reader).payload, "b");
  const message close = expect_message(reader);
  EXPECT_EQ(close.kind, opcode::close);
  EXPECT_EQ(close_code_of(close.payload), 1000);
  EXPECT_EQ(close.payload.substr(2), "bye");
  expect_needs_more(reader);
}

TEST(WebSocketFrames, EmptyCloseFrameIsAccepted) {
  frame_reader reader(role::server, 1024);
  reader.feed(make_frame(opcode::close, "", kMask));
  const message close = expect_message(reader);
  EXPECT_EQ(close.kind, opcode::close);
  EXPECT_EQ(close_code_of(close.payload), 1005);
}

// Bug: close bodies are passed through unchecked. RFC 6455 section 5.5.1: a close body is empty or starts with a
// 2-byte status code, and the reason after it is UTF-8. A 1-byte body is then echoed back verbatim by
// net/stream_connection.cpp (payload.substr(0, 2)), so the server itself sends an invalid close frame.
TEST(WebSocketFrames, CloseFrameWithMalformedBodyIsRejected) {
  {
    frame_reader reader(role::server, 1024);
    reader.feed(make_frame(opcode::close, "\x03", kMask));
    expect_error(reader, errc::bad_frame);
  }
  {
    frame_reader reader(role::server, 1024);
    reader.feed(make_frame(opcode::close, close_payload(1000, "") + "\xc0\xaf", kMask));
    expect_error(reader, errc::invalid_utf8);
  }
}

TEST(WebSocketFrames, ApplyMaskIsItsOwnInverseAndHonoursTheOffset) {
  std::string payload = "The quick brown fox";
  const std::string original = payload;
  apply_mask(payload, kMask);
  EXPECT_NE(payload, original);
  apply_mask(payload, kMask);
  EXPECT_EQ(payload, original);

  // Masking in two pieces with the right offset equals masking the whole.
  std::string whole = original;
  apply_mask(whole, kMask);
  std::string head = original.substr(0, 5), tail = original.substr(5);
  apply_mask(head, kMask, 0);
  apply_mask(tail, kMask, 5);
  EXPECT_EQ(head + tail, whole);
}

TEST(ClosePayload, CarriesCodeAndReason) {
  const std::string payload = close_payload(4004, "frame too large");
  ASSERT_GE(payload.size(), 2u);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[0]), 4004 >> 8);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[1]), 4004 & 0xff);
  EXPECT_EQ(payload.substr(2), "frame too large");
  EXPECT_EQ(close_code_of(payload), 4004);
}

TEST(ClosePayload, MissingCodeReadsAsNoStatus) {
  EXPECT_EQ(close_code_of(""), 1005);
  EXPECT_EQ(close_code_of("\x03"), 1005);
}

TEST(ClosePayload, LongAsciiReasonIsCutTo125Bytes) {
  const std::string payload = close_payload(1000, std::string(500, 'r'));
  EXPECT_EQ(payload.size(), 125u);
}

TEST(ClosePayload, TruncationNeverSplitsAUtf8Character) {
  // Every alignment of 2-, 3- and 4-byte characters against the 123-byte reason budget.
  for (const std::string character : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}) {
    for (std::size_t lead = 0; lead < 4; ++lead) {
      std::string reason(lead, 'x');
      while (reason.size() < 300) reason += character;
      const std::string payload = close_payload(1001, reason);
      EXPECT_LE(payload.size(), 125u);
      EXPECT_GE(payload.size(), 125u - 3) << "cut more than one character";
      EXPECT_TRUE(is_valid_utf8(payload.substr(2))) << "lead " << lead << " char bytes " << character.size();
    }
  }
}

TEST(ClosePayload, FitsInAControlFrameAndRoundTrips) {
  std::string long_reason;
  for (int i = 0; i < 100; ++i) long_reason += "\xc3\xa9";  // 200 bytes of "é": must be cut between characters
  const std::string payload = close_payload(3001, long_reason);
  EXPECT_LE(payload.size(), 125u);
  frame_reader reader(role::client, 1024);
  reader.feed(make_frame(opcode::close, payload));
  const message got = expect_message(reader);
  EXPECT_EQ(got.kind, opcode::close);
  EXPECT_EQ(close_code_of(got.payload), 3001);
}

}  // namespace
}  // namespace guildhall::wire::ws
