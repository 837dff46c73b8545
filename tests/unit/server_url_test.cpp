// client::parse_server_url: the addresses the SDK and the CLI accept, and the ones they refuse.
#include "client/server_url.hpp"

#include <gtest/gtest.h>

namespace guildhall::client {
namespace {

server_url parse_ok(const std::string& text) {
  auto url = parse_server_url(text);
  EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error().message);
  return url ? *url : server_url{};
}

void expect_rejected(const std::string& text) {
  auto url = parse_server_url(text);
  ASSERT_FALSE(url.has_value()) << "accepted " << text;
  EXPECT_EQ(url.error().code, errc::invalid_argument);
}

TEST(ServerUrl, WebSocketWithPortAndPath) {
  const server_url url = parse_ok("ws://chat.example.com:8080/ws");
  EXPECT_EQ(url.kind, server_url::scheme::websocket);
  EXPECT_EQ(url.host, "chat.example.com");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.path, "/ws");
  EXPECT_EQ(url.http_port, 8080) << "WebSocket and HTTP share a port";
}

TEST(ServerUrl, UdpTakesItsTokenFromTheHttpPortTwoBelow) {
  server_url url = parse_ok("udp://game.example.com");
  EXPECT_EQ(url.kind, server_url::scheme::udp);
  EXPECT_EQ(url.port, 9702);
  EXPECT_EQ(url.http_port, 9700);
  EXPECT_FALSE(url.secure);
  url = parse_ok("udps://game.example.com:7002?http_port=443");
  EXPECT_EQ(url.kind, server_url::scheme::udp);
  EXPECT_EQ(url.port, 7002);
  EXPECT_EQ(url.http_port, 443);
  EXPECT_TRUE(url.secure);  // the connect token (and its keys) come over https
}

TEST(ServerUrl, WebSocketDefaults) {
  const server_url url = parse_ok("ws://example.com");
  EXPECT_EQ(url.port, 9700);
  EXPECT_EQ(url.path, "/ws");
  EXPECT_EQ(url.http_port, 9700);
}

TEST(ServerUrl, WebSocketCustomPath) {
  EXPECT_EQ(parse_ok("ws://example.com/game/socket").path, "/game/socket");
}

TEST(ServerUrl, TcpWithAndWithoutPort) {
  const server_url url = parse_ok("tcp://10.0.0.5:7001");
  EXPECT_EQ(url.kind, server_url::scheme::tcp);
  EXPECT_EQ(url.host, "10.0.0.5");
  EXPECT_EQ(url.port, 7001);
  EXPECT_EQ(url.http_port, 7000) << "HTTP is assumed one port below";

  const server_url defaults = parse_ok("tcp://10.0.0.5");
  EXPECT_EQ(defaults.port, 9701);
  EXPECT_EQ(defaults.http_port, 9700);
}

TEST(ServerUrl, HostNamesAreKeptForTheResolver) {
  EXPECT_EQ(parse_ok("ws://localhost:9700").host, "localhost");  // resolved when connecting
  EXPECT_EQ(parse_ok("tcp://localhost").host, "localhost");
}

TEST(ServerUrl, PortBoundaries) {
  EXPECT_EQ(parse_ok("ws://h:1").port, 1);
  EXPECT_EQ(parse_ok("ws://h:65535").port, 65535);
  expect_rejected("ws://h:65536");
  expect_rejected("ws://h:99999999999999999999");
}

TEST(ServerUrl, HttpPortCanBeNamed) {
  const server_url ws = parse_ok("ws://h:9000/ws?http_port=8080");
  EXPECT_EQ(ws.port, 9000);
  EXPECT_EQ(ws.path, "/ws") << "the query is not part of the path";
  EXPECT_EQ(ws.http_port, 8080);
  const server_url tcp = parse_ok("tcp://h:7001?http_port=80");
  EXPECT_EQ(tcp.port, 7001);
  EXPECT_EQ(tcp.http_port, 80) << "an explicit port beats the port - 1 guess";
  expect_rejected("ws://h:9000/ws?http_port=");
  expect_rejected("ws://h:9000/ws?http_port=web");
  expect_rejected("ws://h:9000/ws?http_port=65536");
  expect_rejected("ws://h:9000/ws?http_port=80&x=1");
}

TEST(ServerUrl, TlsSchemesAreSecureAndKeepTheHostAsWritten) {
  const server_url wss = parse_ok("wss://localhost:8443/ws");
  EXPECT_EQ(wss.kind, server_url::scheme::websocket);
  EXPECT_TRUE(wss.secure);
  EXPECT_EQ(wss.port, 8443);
  EXPECT_EQ(wss.http_port, 8443);
  EXPECT_EQ(wss.server_name, "localhost") << "the certificate names the host as written, not the address";

  const server_url tls = parse_ok("tls://game.example.com");
  EXPECT_EQ(tls.kind, server_url::scheme::tcp);
  EXPECT_TRUE(tls.secure);
  EXPECT_EQ(tls.port, 9701);
  EXPECT_EQ(tls.http_port, 9700);
  EXPECT_EQ(tls.server_name, "game.example.com");

  EXPECT_FALSE(parse_ok("ws://example.com").secure);
  EXPECT_FALSE(parse_ok("tcp://example.com").secure);
}

TEST(ServerUrl, BadUrlsAreRejected) {
  for (const char* text : {
           "",
           "example.com:9700",      // no scheme
           "http://example.com",    // not a socket scheme
           "https://example.com",   // the login's scheme, not a socket's
           "WS://example.com",
           "ws://",                 // no host
           "ws://:9700",
           "ws:///ws",
           "ws://host:",            // empty port
           "ws://host:port",
           "ws://host:-1",
           "ws://host:+80",
           "ws://host:80x/ws",
           "tcp://host:0x10",
       }) {
    expect_rejected(text);
  }
}

}  // namespace
}  // namespace guildhall::client
