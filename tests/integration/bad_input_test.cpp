// Hostile and broken input: each gets a clear error, the server stays up, and a bystander keeps chatting.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "blocking_client.hpp"
#include "client/http_login.hpp"
#include "server_process.hpp"
#include "wire/codec.hpp"
#include "wire/frame_reader.hpp"

namespace guildhall::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  BadInput() : bystander_(transport::ws_binary, server_.http_port()) {
    bystander_.authenticate(guest_token(server_.http_port(), "device-bystander"));
    bystander_.join("calm");
  }

  blocking_client authenticated(transport kind, const std::string& device) {
    blocking_client client(kind, kind == transport::tcp ? server_.tcp_port() : server_.http_port());
    EXPECT_TRUE(client.authenticate(guest_token(server_.http_port(), device)).has_authenticated());
    return client;
  }

  // The server still serves others after whatever the test did.
  void expect_bystander_unaffected() {
    const auto accepted = bystander_.say("calm", "still here");
    EXPECT_TRUE(accepted.has_message_accepted()) << accepted.DebugString() << server_.log();
  }

  static v1::ErrorCode error_code_of(std::optional<v1::Envelope> message) {
    return message && message->has_error() ? message->error().code() : v1::ERROR_CODE_UNSPECIFIED;
  }

  // Every client here comes from 127.0.0.1, and the slowloris test alone opens 500 native connections.
  server_process server_{{"limits.auth_timeout_ms=3000", "limits.max_connections_per_ip=0"}};
  blocking_client bystander_;
};

std::string serialized(const v1::Envelope& message) { return wire::encode(message, wire::payload_format::binary); }

}  // namespace

TEST_F(BadInput, GarbageBytesOnTcpAreAnsweredThenTheConnectionIsClosed) {
  blocking_client client(transport::tcp, server_.tcp_port());
  client.send_raw(wire::frame_for_stream("\xff\xfe not a protobuf \x01\x02"));
  EXPECT_EQ(error_code_of(client.next(3s)), v1::BAD_FRAME);
  // A length prefix that is not a varint at all cannot be resynchronised: error, then close 4002.
  client.send_raw(std::string(12, '\xff'));
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.closing_code, 4002u);
  expect_bystander_unaffected();
}

TEST_F(BadInput, RepeatedMalformedFramesCloseWithProtocolViolation) {
  blocking_client client(transport::ws_binary, server_.http_port());
  for (int i = 0; i < 10; ++i) client.send_raw(wire::ws::make_frame(wire::ws::opcode::binary, "\x0a\xff", wire::ws::mask_key{1, 2, 3, 4}));
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.closing_code, 4002u);
  expect_bystander_unaffected();
}

TEST_F(BadInput, TruncatedFrameIsNotProcessedAndTheRestStillWorks) {
  auto client = authenticated(transport::tcp, "device-truncated");
  v1::Envelope ping;
  ping.set_cid(77);
  ping.mutable_ping()->set_client_time_ms(1);
  const std::string frame = wire::frame_for_stream(serialized(ping));
  client.send_raw(frame.substr(0, frame.size() - 2));
  EXPECT_FALSE(client.next(300ms).has_value()) << "a partial frame must not be answered";
  client.send_raw(frame.substr(frame.size() - 2));
  const auto pong = client.next(3s);
  ASSERT_TRUE(pong && pong->has_pong());
  EXPECT_EQ(pong->cid(), 77u);
  expect_bystander_unaffected();
}

TEST_F(BadInput, OversizedFramesAreRefusedBeforeTheirBodyArrives) {
  // Before authentication the limit is 1 KiB: announcing 2 KiB is enough to be refused.
  blocking_client early(transport::tcp, server_.tcp_port());
  std::string header;
  wire::append_varint(header, 2048);
  early.send_raw(header);
  EXPECT_EQ(error_code_of(early.next(3s)), v1::FRAME_TOO_LARGE);
  EXPECT_TRUE(early.wait_closed());
  EXPECT_EQ(early.closing_code, 4004u);

  auto late = authenticated(transport::ws_binary, "device-oversized");
  late.send_raw(wire::ws::frame_header(wire::ws::opcode::binary, 10 * 1024 * 1024, wire::ws::mask_key{1, 2, 3, 4}));
  EXPECT_EQ(error_code_of(late.next(3s)), v1::FRAME_TOO_LARGE);
  EXPECT_TRUE(late.wait_closed());
  EXPECT_EQ(late.closing_code, 4004u);
  expect_bystander_unaffected();
}

TEST_F(BadInput, InvalidUtf8TextIsRefusedAndTheConnectionStays) {
  auto client = authenticated(transport::tcp, "device-utf8");
  client.join("calm");
  v1::Envelope message;
  message.set_cid(5);
  message.mutable_send_message()->set_channel("calm");
  message.mutable_send_message()->set_text("valid");
  std::string bytes = serialized(message);
  bytes.replace(bytes.find("valid"), 5, "va\xc3\x28l");  // an invalid two-byte sequence
  client.send_raw(wire::frame_for_stream(bytes));
  EXPECT_EQ(error_code_of(client.next(3s)), v1::INVALID_UTF8);
  EXPECT_TRUE(client.say("calm", "fine now").has_message_accepted());

  // In a WebSocket text frame, invalid UTF-8 breaks the WebSocket protocol itself: close 1007.
  blocking_client json(transport::ws_json, server_.http_port());
  json.send_raw(wire::ws::make_frame(wire::ws::opcode::text, "{\"cid\":1,\"ping\":{}}\xff", wire::ws::mask_key{9, 9, 9, 9}));
  EXPECT_TRUE(json.wait_closed());
  EXPECT_EQ(json.websocket_close_code, 1007);
  expect_bystander_unaffected();
}

TEST_F(BadInput, JsonThatDoesNotMatchTheSchemaIsABadFrame) {
  blocking_client client(transport::ws_json, server_.http_port());
  const wire::ws::mask_key mask{4, 3, 2, 1};
  client.send_raw(wire::ws::make_frame(wire::ws::opcode::text, R"({"cid":1,"noSuchRequest":{}})", mask));
  EXPECT_EQ(error_code_of(client.next(3s)), v1::BAD_FRAME);
  client.send_raw(wire::ws::make_frame(wire::ws::opcode::text, R"({"cid":"two","ping":{}})", mask));
  EXPECT_EQ(error_code_of(client.next(3s)), v1::BAD_FRAME);
  client.send_raw(wire::ws::make_frame(wire::ws::opcode::text, "[1,2,3", mask));
  EXPECT_EQ(error_code_of(client.next(3s)), v1::BAD_FRAME);
  // Still usable: a good frame is answered.
  client.send_raw(wire::ws::make_frame(wire::ws::opcode::text, R"({"cid":9,"ping":{"clientTimeMs":"5"}})", mask));
  const auto pong = client.next(3s);
  ASSERT_TRUE(pong && pong->has_pong());
  EXPECT_EQ(pong->pong().client_time_ms(), 5);
  expect_bystander_unaffected();
}

// Regression: the BAD_FRAME answer carried no cid, so the web page waited 15 s for the answer to its request.
TEST_F(BadInput, ABadFrameIsAnsweredWithItsCidWhenItCanBeRead) {
  blocking_client client(transport::ws_json, server_.http_port());
  const wire::ws::mask_key mask{4, 3, 2, 1};
  client.send_raw(wire::ws::make_frame(wire::ws::opcode::text, R"({"cid":41,"joinChannel":{"name":"x"}})", mask));
  auto answer = client.next(3s);
  ASSERT_TRUE(answer && answer->has_error()) << (answer ? answer->DebugString() : "no answer");
  EXPECT_EQ(answer->error().code(), v1::BAD_FRAME);
  EXPECT_EQ(answer->cid(), 41u);

  blocking_client binary(transport::tcp, server_.tcp_port());
  v1::Envelope ping;
  ping.set_cid(42);
  ping.mutable_ping();
  binary.send_raw(wire::frame_for_stream(serialized(ping) + std::string("\x7a\x10", 2)));
  answer = binary.next(3s);
  ASSERT_TRUE(answer && answer->has_error()) << (answer ? answer->DebugString() : "no answer");
  EXPECT_EQ(answer->error().code(), v1::BAD_FRAME);
  EXPECT_EQ(answer->cid(), 42u);
}

TEST_F(BadInput, RequestsBeforeAuthenticationAreRefused) {
  blocking_client client(transport::tcp, server_.tcp_port());
  v1::Envelope join;
  join.mutable_join_channel()->set_channel("calm");
  EXPECT_EQ(client.call(join).error().code(), v1::UNAUTHENTICATED);
  v1::Envelope say;
  say.mutable_send_message()->set_channel("calm");
  say.mutable_send_message()->set_text("sneaky");
  EXPECT_EQ(client.call(say).error().code(), v1::UNAUTHENTICATED);
  // Nothing reached the channel.
  while (auto push = bystander_.next_push(300ms)) EXPECT_FALSE(push->has_chat_message()) << push->DebugString();
  expect_bystander_unaffected();
}

TEST_F(BadInput, WrongPasswordForgedAndMisusedTokensAreRefused) {
  v1::AuthRequest request;
  request.set_username("carol");
  request.set_password("right password");
  ASSERT_TRUE(client::call_auth("127.0.0.1", server_.http_port(), "register", request));
  request.set_password("wrong password");
  const auto wrong = client::call_auth("127.0.0.1", server_.http_port(), "login", request);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, errc::auth_failed);
  const auto taken = client::call_auth("127.0.0.1", server_.http_port(), "register", request);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, errc::conflict);

  request.set_password("right password");
  const auto session = client::call_auth("127.0.0.1", server_.http_port(), "login", request);
  ASSERT_TRUE(session);
  std::string forged = session->token();
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  blocking_client client(transport::tcp, server_.tcp_port());
  EXPECT_EQ(client.authenticate(forged).error().code(), v1::AUTH_FAILED);
  EXPECT_EQ(client.authenticate(session->refresh_token()).error().code(), v1::AUTH_FAILED);
  EXPECT_EQ(client.authenticate("").error().code(), v1::AUTH_FAILED);
  EXPECT_TRUE(client.authenticate(session->token()).has_authenticated());
  EXPECT_EQ(client.authenticate(session->token()).error().code(), v1::ALREADY_AUTHENTICATED);
  expect_bystander_unaffected();
}

TEST(BadInputExpiry, ExpiredTokensAreRefusedAndRefreshWorks) {
  server_process server({"auth.access_ttl_ms=300"});
  v1::AuthRequest request;
  request.set_device_id("device-expiring");
  const auto session = client::call_auth("127.0.0.1", server.http_port(), "guest", request);
  ASSERT_TRUE(session);
  std::this_thread::sleep_for(500ms);
  blocking_client client(transport::tcp, server.tcp_port());
  EXPECT_EQ(client.authenticate(session->token()).error().code(), v1::TOKEN_EXPIRED);
  v1::AuthRequest refresh;
  refresh.set_refresh_token(session->refresh_token());
  const auto renewed = client::call_auth("127.0.0.1", server.http_port(), "refresh", refresh);
  ASSERT_TRUE(renewed);
  EXPECT_TRUE(client.authenticate(renewed->token()).has_authenticated());
}

TEST_F(BadInput, FloodingIsRateLimitedThenDisconnected) {
  auto flooder = authenticated(transport::tcp, "device-flood");
  flooder.join("calm");
  v1::Envelope say;
  say.mutable_send_message()->set_channel("calm");
  say.mutable_send_message()->set_text("spam");
  for (std::uint32_t i = 1; i <= 200; ++i) {
    say.set_cid(i);
    flooder.send(say);
  }
  int limited = 0;
  while (auto message = flooder.next(3s)) {
    if (message->has_error() && message->error().code() == v1::RATE_LIMITED) ++limited;
  }
  EXPECT_GE(limited, 50);
  EXPECT_TRUE(flooder.closed());
  EXPECT_EQ(flooder.closing_code, 4005u);
  // What got through is the burst (20, less the token the join spent) plus what refilled meanwhile (10 a
  // second), no more.
  int delivered = 0;
  while (auto push = bystander_.next_push(500ms)) delivered += push->has_chat_message() && push->chat_message().text() == "spam";
  EXPECT_GE(delivered, 19);
  EXPECT_LE(delivered, 25);
  expect_bystander_unaffected();
}

TEST_F(BadInput, AThousandHalfOpenConnectionsDoNotStarveOthers) {
  std::vector<int> sockets;
  auto open_to = [&](std::uint16_t port, std::string_view first_bytes) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    if (!first_bytes.empty()) {
      ASSERT_GT(::send(fd, first_bytes.data(), first_bytes.size(), 0), 0);
    }
    sockets.push_back(fd);
  };
  // Half an HTTP request on the web port, half a frame or nothing at all on the native port.
  for (int i = 0; i < 500; ++i) open_to(server_.http_port(), "GET /ws HTTP/1.1\r\nHost: x\r\n");
  for (int i = 0; i < 250; ++i) open_to(server_.tcp_port(), "\x05\x0a");
  for (int i = 0; i < 250; ++i) open_to(server_.tcp_port(), "");
  ASSERT_EQ(sockets.size(), 1000u);

  // Meanwhile everyone else is served at once.
  auto newcomer = authenticated(transport::ws_json, "device-newcomer");
  EXPECT_TRUE(newcomer.join("calm").has_channel_joined());
  expect_bystander_unaffected();

  // The server closes the native ones when they fail to authenticate in time (3 s here).
  std::this_thread::sleep_for(3500ms);
  int closed_by_server = 0;
  for (std::size_t i = 500; i < sockets.size(); ++i) {
    char buffer[256];
    timeval wait{2, 0};
    setsockopt(sockets[i], SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ssize_t n;
    while ((n = recv(sockets[i], buffer, sizeof buffer, 0)) > 0) {
    }
    if (n == 0) ++closed_by_server;
  }
  EXPECT_EQ(closed_by_server, 500);
  for (int fd : sockets) close(fd);
  expect_bystander_unaffected();
}

}  // namespace guildhall::testing

namespace guildhall::testing {

// Regression: pongs skipped the outbound bound, so a client that pinged and never read made the server buffer
// everything it sent, even before logging in.
TEST(BadInputPings, APingFloodFromAClientThatNeverReadsIsCutOff) {
  server_process server({"limits.max_outbound_bytes=65536"});
  // A small receive buffer, or the kernel's buffers would hold megabytes of pongs before the server fell behind.
  blocking_client flooder(transport::ws_binary, server.http_port(), 4096);
  const std::string ping = wire::ws::make_frame(wire::ws::opcode::ping, std::string(125, 'p'), wire::ws::mask_key{5, 6, 7, 8});
  std::string burst;
  for (int i = 0; i < 500; ++i) burst += ping;
  for (int round = 0; round < 100; ++round) flooder.send_raw(burst);  // ~6.5 MB of pings, nothing read
  // Still not reading while the server works through the pings it has buffered: its socket to us is full.
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(flooder.wait_closed(10s));
  EXPECT_EQ(flooder.closing_code, 4006u);
  blocking_client other(transport::tcp, server.tcp_port());
  EXPECT_TRUE(other.authenticate(guest_token(server.http_port(), "device-after-pings")).has_authenticated());
}

}  // namespace guildhall::testing
