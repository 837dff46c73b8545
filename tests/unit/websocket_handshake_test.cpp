// net websocket handshake: Sec-WebSocket-Accept (RFC 6455 section 4.2.2) and the 101 answer.
#include "net/websocket_handshake.hpp"

#include <gtest/gtest.h>

namespace guildhall::net {
namespace {

TEST(WebSocketHandshake, Rfc6455ExampleKey) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, AcceptKeyIsAlways28Base64Characters) {
  // SHA-1 is 20 bytes: 28 base64 characters with one '=' of padding, whatever the client sent.
  for (const std::string& key : {std::string(), std::string("x"), std::string("AQIDBAUGBwgJCgsMDQ4PEA=="),
                                 std::string(4096, 'k')}) {
    const std::string accept = websocket_accept_key(key);
    EXPECT_EQ(accept.size(), 28u) << key.size();
    EXPECT_EQ(accept.back(), '=');
  }
  EXPECT_NE(websocket_accept_key("a"), websocket_accept_key("b"));
}

TEST(WebSocketHandshake, UpgradeResponseIsComplete) {
  const std::string response = websocket_upgrade_response("dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << response;
  EXPECT_NE(response.find("\r\nUpgrade: websocket\r\n"), std::string::npos);
  EXPECT_NE(response.find("\r\nConnection: Upgrade\r\n"), std::string::npos);
  EXPECT_NE(response.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_TRUE(response.ends_with("\r\n\r\n"));
  EXPECT_EQ(response.find("\r\n\r\n"), response.size() - 4) << "one header block, nothing after it";
}

}  // namespace
}  // namespace guildhall::net
