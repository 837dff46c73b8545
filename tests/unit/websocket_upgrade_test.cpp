// client/websocket_upgrade: the client checks the server's answer to its upgrade request.
#include "client/websocket_upgrade.hpp"

#include <gtest/gtest.h>

#include "client/connection_options.hpp"
#include "wire/websocket_accept.hpp"

namespace guildhall::client {
namespace {

// RFC 6455 section 1.3's example.
constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";

std::string answer_with(std::string_view accept_line) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + std::string(accept_line) +
         "\r\n\r\n";
}

TEST(WebsocketUpgrade, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(wire::ws::accept_key(kKey), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebsocketUpgrade, AcceptsTheRightKeyInAnyHeaderCase) {
  EXPECT_TRUE(check_upgrade_answer(answer_with("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), kKey));
  EXPECT_TRUE(check_upgrade_answer(answer_with("sec-websocket-accept:s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  "), kKey));
}

TEST(WebsocketUpgrade, RefusesAWrongOrMissingAcceptKey) {
  const auto wrong = check_upgrade_answer(answer_with("Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="), kKey);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("does not match"), std::string::npos) << wrong.error().message;
  const auto missing = check_upgrade_answer(answer_with("X-Other: 1"), kKey);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no Sec-WebSocket-Accept"), std::string::npos);
}

TEST(WebsocketUpgrade, RefusesAnswersThatAreNotAnUpgrade) {
  const auto plain = check_upgrade_answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", kKey);
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().message.find("HTTP/1.1 200 OK"), std::string::npos) << plain.error().message;
  EXPECT_FALSE(check_upgrade_answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nSec-WebSocket-Accept: "
                                    "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
                                    kKey));
}

TEST(WebsocketUpgrade, RequestCarriesTheKeyAndTheHost) {
  server_url url;
  url.host = "example.org";
  url.port = 9700;
  const std::string request = upgrade_request(url, kKey);
  EXPECT_TRUE(request.starts_with("GET /ws HTTP/1.1\r\nHost: example.org:9700\r\n"));
  EXPECT_NE(request.find("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), std::string::npos);
  EXPECT_TRUE(request.ends_with("\r\n\r\n"));
  EXPECT_NE(new_websocket_key(), new_websocket_key());
  EXPECT_EQ(new_websocket_key().size(), 24u);
}

TEST(ConnectionOptions, DurationsReadAsPeopleSayThem) {
  EXPECT_EQ(describe_ms(5000), "5 s");
  EXPECT_EQ(describe_ms(1500), "1.5 s");
  EXPECT_EQ(describe_ms(250), "250 ms");
  EXPECT_TRUE(validate(connection_options{}));
  connection_options pings_outlive_the_verdict;
  pings_outlive_the_verdict.dead_after_ms = pings_outlive_the_verdict.ping_interval_ms;
  EXPECT_FALSE(validate(pings_outlive_the_verdict));
}

}  // namespace
}  // namespace guildhall::client
