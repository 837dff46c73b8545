// wire codec: Envelope <-> protobuf bytes and protobuf-JSON, and the errors hostile bytes turn into.
#include "wire/codec.hpp"

#include <gtest/gtest.h>

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <vector>

#include "wire/frame_reader.hpp"

namespace guildhall::wire {
namespace {

bool same(const v1::Envelope& a, const v1::Envelope& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

std::vector<v1::Envelope> sample_envelopes() {
  std::vector<v1::Envelope> out;
  {
    v1::Envelope e;
    e.set_cid(1);
    e.mutable_authenticate()->set_token("v1.abc.def");
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.set_cid(7);
    e.mutable_send_message()->set_channel("lobby");
    e.mutable_send_message()->set_text("h\xc3\xa9llo \xf0\x9f\x98\x80");
    out.push_back(e);
  }
  {
    v1::Envelope e;  // a push: cid 0, 64-bit ids past 2^53 (JSON carries them as strings)
    auto* m = e.mutable_chat_message();
    m->set_message_id(0xfedcba9876543210ull);
    m->set_channel("lobby");
    m->set_from_user_id(42);
    m->set_from_username("ada");
    m->set_text("hi");
    m->set_sent_at_ms(1'800'000'000'123);
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.set_cid(3);
    auto* joined = e.mutable_channel_joined();
    joined->set_channel("lobby");
    for (int i = 1; i <= 3; ++i) {
      auto* member = joined->add_members();
      member->set_user_id(static_cast<std::uint64_t>(i));
      member->set_username("user" + std::to_string(i));
    }
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.mutable_presence()->set_kind(v1::PresenceEvent::OFFLINE);
    e.mutable_presence()->set_channel("lobby");
    e.mutable_presence()->mutable_member()->set_username("bob");
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.set_cid(4294967295u);  // the largest cid
    e.mutable_error()->set_code(v1::RATE_LIMITED);
    e.mutable_error()->set_message("slow down");
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.mutable_closing()->set_code(4005);
    e.mutable_closing()->set_reason("flooding");
    out.push_back(e);
  }
  {
    v1::Envelope e;
    e.set_cid(9);
    e.mutable_ping()->set_client_time_ms(-5);  // negative int64 survives both formats
    out.push_back(e);
  }
  return out;
}

// An Envelope{cid: 5, send_message: {channel: "lobby", text: <text>}} in protobuf wire format, written by hand so
// the text can hold bytes the generated serializer would refuse to produce a clean message from.
std::string send_message_bytes(std::string_view text) {
  std::string inner;
  inner.push_back(0x0a);  // field 1 (channel), length-delimited
  append_varint(inner, 5);
  inner += "lobby";
  inner.push_back(0x12);  // field 2 (text), length-delimited
  append_varint(inner, text.size());
  inner += text;
  std::string outer;
  outer.push_back(0x08);  // field 1 (cid), varint
  append_varint(outer, 5);
  outer.push_back(0x7a);  // field 15 (send_message): (15 << 3) | 2
  append_varint(outer, inner.size());
  outer += inner;
  return outer;
}

TEST(Codec, BinaryRoundTrip) {
  for (const auto& original : sample_envelopes()) {
    const std::string bytes = encode(original, payload_format::binary);
    auto decoded = decode(bytes, payload_format::binary);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_TRUE(same(*decoded, original)) << original.ShortDebugString();
  }
}

TEST(Codec, JsonRoundTrip) {
  for (const auto& original : sample_envelopes()) {
    const std::string json = encode(original, payload_format::json);
    auto decoded = decode(json, payload_format::json);
    ASSERT_TRUE(decoded.has_value()) << json << ": " << decoded.error().message;
    EXPECT_TRUE(same(*decoded, original)) << json;
  }
}

TEST(Codec, JsonUsesTheDocumentedMapping) {
  v1::Envelope e;
  e.set_cid(2);
  e.mutable_join_channel()->set_channel("lobby");
  EXPECT_EQ(encode(e, payload_format::json), R"({"cid":2,"joinChannel":{"channel":"lobby"}})");

  v1::Envelope error;
  error.mutable_error()->set_code(v1::RATE_LIMITED);
  EXPECT_EQ(encode(error, payload_format::json), R"({"error":{"code":"RATE_LIMITED"}})");

  v1::Envelope ids;
  ids.mutable_member_list()->add_members()->set_user_id(42);
  EXPECT_EQ(encode(ids, payload_format::json), R"({"memberList":{"members":[{"userId":"42"}]}})");
}

TEST(Codec, JsonAcceptsProtoFieldNamesAndStringNumbers) {
  auto decoded = decode(R"({"cid":"3","send_message":{"channel":"lobby","text":"hi"}})", payload_format::json);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->cid(), 3u);
  EXPECT_EQ(decoded->send_message().text(), "hi");
}

TEST(Codec, ManualWireFormatMatchesTheGeneratedCode) {
  auto decoded = decode(send_message_bytes("hello"), payload_format::binary);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->cid(), 5u);
  EXPECT_EQ(decoded->send_message().channel(), "lobby");
  EXPECT_EQ(decoded->send_message().text(), "hello");
}

TEST(Codec, EmptyBytesAreAnEnvelopeWithoutBody) {
  auto decoded = decode("", payload_format::binary);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->body_case(), v1::Envelope::BODY_NOT_SET);
}

TEST(Codec, GarbageBytesAreBadFrame) {
  const std::string garbage[] = {
      std::string("\xff\xff\xff\xff", 4),                  // field 0 / bad tag
      std::string("\x7a\x10", 2),                          // send_message claims 16 bytes, none follow
      std::string("\x08", 1),                              // cid tag with no value
      std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // 11-byte varint
      std::string("\x0f", 1),                              // wire type 7 does not exist
      std::string("\x7a\x02\x12\x05", 4),                  // nested length runs past the outer one
      "GET / HTTP/1.1\r\n\r\n",
  };
  for (const auto& bytes : garbage) {
    auto decoded = decode(bytes, payload_format::binary);
    ASSERT_FALSE(decoded.has_value()) << "accepted garbage of " << bytes.size() << " bytes";
    EXPECT_EQ(decoded.error().code, errc::bad_frame) << decoded.error().message;
  }
}

TEST(Codec, InvalidUtf8InBinaryTextIsInvalidUtf8) {
  auto decoded = decode(send_message_bytes("bad \xc0\xaf text"), payload_format::binary);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, errc::invalid_utf8) << decoded.error().message;
}

TEST(Codec, PatchedSerializedTextIsInvalidUtf8) {
  v1::Envelope e;
  e.set_cid(1);
  e.mutable_send_message()->set_channel("lobby");
  e.mutable_send_message()->set_text("xxxx");
  std::string bytes = encode(e, payload_format::binary);
  const auto at = bytes.find("xxxx");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = '\xed';  // U+D800, a surrogate: "x\xed\xa0\x80"
  bytes[at + 2] = '\xa0';
  bytes[at + 3] = '\x80';
  auto decoded = decode(bytes, payload_format::binary);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, errc::invalid_utf8);
}

TEST(Codec, AfterInvalidUtf8TheNextGarbageIsBadFrameAgain) {
  // The invalid-UTF-8 signal must not leak from one decode into the next.
  ASSERT_EQ(decode(send_message_bytes("\xff"), payload_format::binary).error().code, errc::invalid_utf8);
  auto decoded = decode(std::string("\x7a\x10", 2), payload_format::binary);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code, errc::bad_frame);
}

TEST(Codec, JsonGarbageIsBadFrame) {
  const std::string inputs[] = {
      "",
      "not json",
      "{",
      "[]",
      R"({"cid":1,"joinChannel":{"channel":"lobby"})",       // unterminated
      R"({"cid":1,"bogus":true})",                          // unknown field
      R"({"cid":1,"joinChannel":{"channel":"a","x":1}})",   // unknown nested field
      R"({"cid":"abc"})",                                   // wrong type
      R"({"cid":-1})",                                      // out of range for uint32
      R"({"cid":4294967296})",                              // out of range for uint32
      R"({"cid":1.5})",                                     // not an integer
      R"({"joinChannel":"lobby"})",                         // string where a message goes
      R"({"sendMessage":{"text":{"nested":1}}})",           // object where a string goes
      R"({"error":{"code":"NO_SUCH_CODE"}})",               // unknown enum name
      R"({"ping":{},"pong":{}})",                           // two members of one oneof
  };
  for (const auto& json : inputs) {
    auto decoded = decode(json, payload_format::json);
    ASSERT_FALSE(decoded.has_value()) << "accepted: " << json;
    EXPECT_EQ(decoded.error().code, errc::bad_frame) << json;
  }
}

// Regression: a frame that failed to decode was answered without its cid, so the web page waited 15 s for an
// answer to a request that had been refused at once.
TEST(Codec, TheCidOfARefusedJsonFrameIsReadWhenItCanBe) {
  const std::pair<std::string, std::uint32_t> cases[] = {
      {R"({"cid":7,"bogus":true})", 7},
      {R"({"cid":8,"joinChannel":{"channel":"a","x":1}})", 8},
      {R"({"cid":"9","sendMessage":{"text":{"nested":1}}})", 9},  // proto3 JSON: a uint32 may be a string
      {R"({"cid":4294967295,"ping":{},"pong":{}})", 4294967295u},
      {R"({"cid":1,"joinChannel":{"channel":"lobby"})", 0},  // not JSON at all
      {R"({"cid":-1,"bogus":1})", 0},
      {R"({"cid":4294967296,"bogus":1})", 0},
      {R"({"cid":1.5,"bogus":1})", 0},
      {R"({"cid":"abc"})", 0},
      {R"({"bogus":1})", 0},
      {"[1,2]", 0},
      {"", 0},
  };
  for (const auto& [json, cid] : cases) {
    ASSERT_FALSE(decode(json, payload_format::json).has_value()) << json;
    EXPECT_EQ(readable_cid(json, payload_format::json), cid) << json;
  }
}

TEST(Codec, TheCidOfARefusedBinaryFrameIsReadWhenItPrecedesTheDamage) {
  v1::Envelope request;
  request.set_cid(300);
  request.mutable_join_channel()->set_channel("lobby");
  std::string bytes = encode(request, payload_format::binary);
  bytes += "z";  // a length-delimited field announcing 16 bytes that never come
  ASSERT_FALSE(decode(bytes, payload_format::binary).has_value());
  EXPECT_EQ(readable_cid(bytes, payload_format::binary), 300u);
  EXPECT_EQ(readable_cid(std::string("z", 2), payload_format::binary), 0u);
  EXPECT_EQ(readable_cid("", payload_format::binary), 0u);
}

TEST(Codec, EncodeSharedWithoutJson) {
  const v1::Envelope e = sample_envelopes()[1];
  const shared_message message = encode_shared(e, false);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->binary, encode(e, payload_format::binary));
  EXPECT_TRUE(message->json.empty());
  EXPECT_EQ(&message->as(payload_format::binary), &message->binary);
}

TEST(Codec, EncodeSharedWithJson) {
  const v1::Envelope e = sample_envelopes()[2];
  const shared_message message = encode_shared(e, true);
  EXPECT_EQ(message->binary, encode(e, payload_format::binary));
  EXPECT_EQ(message->json, encode(e, payload_format::json));
  EXPECT_EQ(message->as(payload_format::json), message->json);
  EXPECT_EQ(message->as(payload_format::binary), message->binary);
}

TEST(Codec, ToWireMapsEveryErrorCode) {
  const std::pair<errc, v1::ErrorCode> table[] = {
      {errc::bad_frame, v1::BAD_FRAME},
      {errc::frame_too_large, v1::FRAME_TOO_LARGE},
      {errc::unauthenticated, v1::UNAUTHENTICATED},
      {errc::auth_failed, v1::AUTH_FAILED},
      {errc::token_expired, v1::TOKEN_EXPIRED},
      {errc::rate_limited, v1::RATE_LIMITED},
      {errc::invalid_utf8, v1::INVALID_UTF8},
      {errc::invalid_argument, v1::INVALID_ARGUMENT},
      {errc::not_found, v1::NOT_FOUND},
      {errc::not_member, v1::NOT_MEMBER},
      {errc::already_authenticated, v1::ALREADY_AUTHENTICATED},
      {errc::unknown_request, v1::UNKNOWN_REQUEST},
      {errc::internal, v1::INTERNAL},
      {errc::conflict, v1::USERNAME_TAKEN},
  };
  for (const auto& [code, wire_code] : table) {
    EXPECT_EQ(to_wire(code), wire_code) << static_cast<int>(code);
  }
  // errc is documented to map 1:1 onto ErrorCode; the numbers line up too.
  for (const auto& [code, wire_code] : table) EXPECT_EQ(static_cast<int>(code), static_cast<int>(wire_code));
}

TEST(Codec, MakeErrorCarriesCidCodeAndMessage) {
  const v1::Envelope e = make_error(17, error{errc::not_member, "join #lobby first"});
  EXPECT_EQ(e.cid(), 17u);
  ASSERT_TRUE(e.has_error());
  EXPECT_EQ(e.error().code(), v1::NOT_MEMBER);
  EXPECT_EQ(e.error().message(), "join #lobby first");
  auto decoded = decode(encode(e, payload_format::json), payload_format::json);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->error().code(), v1::NOT_MEMBER);
}

}  // namespace
}  // namespace guildhall::wire
