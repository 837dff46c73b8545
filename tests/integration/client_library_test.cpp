// The C++ client library (src/client/) against real sockets: a real server, and listeners of the test's own that
// accept and never answer, or answer wrongly. Issue 8, section 1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <functional>
#include <thread>

#include "blocking_client.hpp"
#include "client/client_connection.hpp"
#include "client/http_login.hpp"
#include "client/session.hpp"
#include "server_process.hpp"
#include "silent_listener.hpp"

namespace guildhall::testing {
namespace {

using client::client_connection;

client::server_url url_of(client::server_url::scheme kind, std::string host, std::uint16_t port) {
  client::server_url url;
  url.kind = kind;
  url.host = std::move(host);
  url.port = port;
  url.http_port = port;
  return url;
}

constexpr client::connection_options kShortTimeouts{.connect_timeout_ms = 500,
                                                    .handshake_timeout_ms = 500,
                                                    .request_timeout_ms = 500,
                                                    .ping_interval_ms = 0,
                                                    .dead_after_ms = 0};

std::shared_ptr<client_connection> connection_to(boost::asio::io_context& io, client::server_url::scheme kind,
                                                std::uint16_t port, client::connection_options options = kShortTimeouts) {
  return std::make_shared<client_connection>(io, url_of(kind, "127.0.0.1", port), wire::payload_format::binary, options);
}

std::optional<result<void>> connect_and_wait(boost::asio::io_context& io, const std::shared_ptr<client_connection>& c) {
  std::optional<result<void>> outcome;
  c->connect([&](result<void> connected) { outcome = std::move(connected); });
  run_until(io, [&] { return outcome.has_value(); });
  return outcome;
}

v1::Envelope ping() {
  v1::Envelope message;
  message.mutable_ping()->set_client_time_ms(1);
  return message;
}

// --- timeouts ----------------------------------------------------------------------------------------------------

TEST(ClientLibrary, ConnectingWhereNothingAnswersTimesOutAndSaysSo) {
  silent_listener listener(/*backlog_full=*/true);
  boost::asio::io_context io;
  auto connection = connection_to(io, client::server_url::scheme::tcp, listener.port());
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = connect_and_wait(io, connection);
  ASSERT_TRUE(outcome.has_value()) << "connect never completed";
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().message,
            "connecting to 127.0.0.1:" + std::to_string(listener.port()) + " timed out after 500 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ClientLibrary, AWebSocketHandshakeNobodyAnswersTimesOut) {
  silent_listener listener;
  boost::asio::io_context io;
  auto connection = connection_to(io, client::server_url::scheme::websocket, listener.port());
  const auto outcome = connect_and_wait(io, connection);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().message, "the WebSocket handshake with 127.0.0.1:" + std::to_string(listener.port()) +
                                          " timed out after 500 ms");
}

TEST(ClientLibrary, ARequestNobodyAnswersCompletesWithATimeout) {
  silent_listener listener;
  boost::asio::io_context io;
  auto connection = connection_to(io, client::server_url::scheme::tcp, listener.port());
  ASSERT_TRUE(connect_and_wait(io, connection).value_or(result<void>{}));
  std::optional<v1::Envelope> reply;
  connection->request(ping(), [&](const v1::Envelope& answer) { reply = answer; });
  ASSERT_TRUE(run_until(io, [&] { return reply.has_value(); }));
  EXPECT_TRUE(client::is_local_failure(*reply));
  EXPECT_NE(reply->error().message().find("within 500 ms"), std::string::npos) << reply->error().message();
}

TEST(ClientLibrary, AnHttpLoginNobodyAnswersTimesOut) {
  silent_listener listener;
  v1::AuthRequest request;
  request.set_device_id("device-silent");
  const auto started = std::chrono::steady_clock::now();
  const auto answer = client::call_auth(
      {.host = "127.0.0.1", .port = listener.port(), .action = "guest", .request = request, .timeout_ms = 500});
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().message,
            "POST /v1/auth/guest to 127.0.0.1:" + std::to_string(listener.port()) + " timed out after 500 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

// --- the handshake is checked ------------------------------------------------------------------------------------

TEST(ClientLibrary, AWrongSecWebSocketAcceptIsRefused) {
  silent_listener listener;
  boost::asio::io_context io;
  auto connection = connection_to(io, client::server_url::scheme::websocket, listener.port());
  std::optional<result<void>> outcome;
  connection->connect([&](result<void> connected) { outcome = std::move(connected); });
  // A fake endpoint: reads the request, answers 101 with an accept key that is not the one for its key.
  std::thread fake([&] {
    const int fd = listener.accept_one();
    char request[2048];
    (void)!read(fd, request, sizeof request);
    const std::string answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    (void)!write(fd, answer.data(), answer.size());
    std::this_thread::sleep_for(1s);
    close(fd);
  });
  run_until(io, [&] { return outcome.has_value(); });
  fake.join();
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome) << "a wrong accept key was taken for a WebSocket server";
  EXPECT_NE(outcome->error().message.find("Sec-WebSocket-Accept does not match"), std::string::npos)
      << outcome->error().message;
}

// --- every request completes -------------------------------------------------------------------------------------

TEST(ClientLibrary, AClosedConnectionCompletesEveryPendingRequest) {
  silent_listener listener;
  boost::asio::io_context io;
  auto options = kShortTimeouts;
  options.request_timeout_ms = 0;  // only the close may complete them
  auto connection = connection_to(io, client::server_url::scheme::tcp, listener.port(),
      options);
  ASSERT_TRUE(connect_and_wait(io, connection).value_or(result<void>{}));
  std::vector<std::string> failures;
  int closed = 0;
  connection->on_closed([&](const std::string&) { ++closed; });
  for (int i = 0; i < 3; ++i) {
    connection->request(ping(), [&](const v1::Envelope& reply) {
      EXPECT_TRUE(client::is_local_failure(reply));
      failures.push_back(reply.error().message());
    });
  }
  io.restart();
  io.run_for(50ms);  // the requests go out
  close(listener.accept_one());  // the "server" goes away without a word
  ASSERT_TRUE(run_until(io, [&] { return failures.size() == 3 && closed == 1; }))
      << failures.size() << " of 3 requests completed, closed " << closed << " times";
  EXPECT_TRUE(failures[0].starts_with("connection lost")) << failures[0];
  // And a request after the close completes too, later rather than inside the call.
  bool late = false;
  connection->request(ping(), [&](const v1::Envelope& reply) { late = client::is_local_failure(reply); });
  EXPECT_FALSE(late);
  EXPECT_TRUE(run_until(io, [&] { return late; }));
}

// --- keep-alive --------------------------------------------------------------------------------------------------

std::shared_ptr<client_connection> authenticated(boost::asio::io_context& io, const client::server_url& url,
                                                 const std::string& token, client::connection_options options) {
  auto connection = std::make_shared<client_connection>(io, url, wire::payload_format::binary, options);
  if (!connect_and_wait(io, connection).value_or(fail(errc::internal, "no outcome"))) return nullptr;
  v1::Envelope hello;
  hello.mutable_authenticate()->set_token(token);
  std::optional<v1::Envelope> reply;
  connection->request(hello, [&](const v1::Envelope& answer) { reply = answer; });
  if (!run_until(io, [&] { return reply.has_value(); }) || !reply->has_authenticated()) return nullptr;
  return connection;
}

// Issue 8: the library never pinged, so the server's idle timeout closed a player who was only reading.
TEST(ClientLibrary, AnIdleClientStaysConnectedPastTheServersIdleTimeout) {
  server_process server({"limits.idle_timeout_ms=1500"});
  boost::asio::io_context io;
  const auto url = url_of(client::server_url::scheme::websocket, "127.0.0.1", server.http_port());
  client::connection_options options;
  options.ping_interval_ms = 400;
  options.dead_after_ms = 3000;
  auto pinger = authenticated(io, url, guest_token(server.http_port(), "device-idle-pinger"), options);
  ASSERT_TRUE(pinger);
  options.ping_interval_ms = 0;
  auto silent = authenticated(io, url, guest_token(server.http_port(), "device-idle-silent"), options);
  ASSERT_TRUE(silent);
  std::string silent_closed;
  silent->on_closed([&](const std::string& reason) { silent_closed = reason; });

  // Idle for three idle timeouts; the control without pings must be closed meanwhile, the pinger not.
  ASSERT_TRUE(run_until(io, [&] { return !silent_closed.empty(); }, 10s)) << "the server never closed the silent one";
  EXPECT_EQ(silent->close_code(), 4001) << silent_closed;
  io.restart();
  io.run_for(3s);
  ASSERT_TRUE(pinger->open()) << "the pinging client was closed";
  v1::Envelope join;
  join.mutable_join_channel()->set_channel("still-here");
  std::optional<v1::Envelope> reply;
  pinger->request(join, [&](const v1::Envelope& answer) { reply = answer; });
  ASSERT_TRUE(run_until(io, [&] { return reply.has_value(); }));
  EXPECT_TRUE(reply->has_channel_joined()) << reply->DebugString();
}

TEST(ClientLibrary, ASilentPeerIsFoundDead) {
  silent_listener listener;
  boost::asio::io_context io;
  auto connection = connection_to(io, client::server_url::scheme::tcp, listener.port(),
      client::connection_options{.connect_timeout_ms = 500,
                                 .handshake_timeout_ms = 500,
                                 .request_timeout_ms = 0,
                                 .ping_interval_ms = 200,
                                 .dead_after_ms = 600});
  ASSERT_TRUE(connect_and_wait(io, connection).value_or(result<void>{}));
  std::string reason;
  connection->on_closed([&](const std::string& why) { reason = why; });
  ASSERT_TRUE(run_until(io, [&] { return !reason.empty(); }, 5s));
  EXPECT_EQ(reason, "nothing heard from 127.0.0.1:" + std::to_string(listener.port()) + " for 600 ms");
}

// --- host names --------------------------------------------------------------------------------------------------

TEST(ClientLibrary, HostNamesAreResolved) {
  server_process server;
  v1::AuthRequest request;
  request.set_device_id("device-by-name");
  const auto login = client::call_auth("localhost", server.http_port(), "guest", request);
  ASSERT_TRUE(login) << login.error().message;
  boost::asio::io_context io;
  for (const auto kind : {client::server_url::scheme::websocket, client::server_url::scheme::tcp}) {
    const auto port = kind == client::server_url::scheme::tcp ? server.tcp_port() : server.http_port();
    EXPECT_TRUE(authenticated(io, url_of(kind, "localhost", port), login->token(), {})) << "port " << port;
  }
}

// --- session: reconnection ---------------------------------------------------------------------------------------

result<v1::AuthSession> guest_login(const server_process& server, const std::string& device) {
  v1::AuthRequest guest;
  guest.set_device_id(device);
  return client::call_auth("127.0.0.1", server.http_port(), "guest", guest);
}

struct session_log {
  std::vector<std::string> events;
  int ready = 0;
  std::optional<std::string> gave_up;
};

std::shared_ptr<client::session> start_session(boost::asio::io_context& io, const server_process& server,
                                               const v1::AuthSession& login, session_log& log,
                                               std::uint32_t max_attempts = 30) {
  client::session_options options;
  options.reconnect = {.first_delay_ms = 200, .max_delay_ms = 1000, .jitter = 0.2, .max_attempts = max_attempts};
  auto session = std::make_shared<client::session>(
      io, url_of(client::server_url::scheme::websocket, "127.0.0.1", server.http_port()), login, options,
      client::session_events{
          .on_ready = [&log](const v1::Authenticated&, bool reconnected) {
            ++log.ready;
            log.events.push_back(reconnected ? "back" : "ready");
          },
          .on_lost = [&log](const client::retry_notice& notice) { log.events.push_back("lost: " + notice.reason); },
          .on_gave_up = [&log](const std::string& reason) { log.gave_up = reason; },
          .on_push = {},
      });
  session->start();
  return session;
}

// Issue 8: a server restart (3001, "come back later") ended the clients; the session comes back by itself.
TEST(ClientLibrary, ASessionReconnectsAfterTheServerRestarts) {
  server_process server;
  boost::asio::io_context io;
  session_log log;
  const auto login = guest_login(server, "device-comeback");
  ASSERT_TRUE(login) << login.error().message;
  auto session = start_session(io, server, *login, log);
  ASSERT_TRUE(run_until(io, [&] { return log.ready == 1; }));

  std::thread stopper([&] { EXPECT_EQ(server.stop(SIGTERM), 0); });
  ASSERT_TRUE(run_until(io, [&] { return log.events.size() >= 2; })) << "the loss was not reported";
  stopper.join();
  EXPECT_NE(log.events[1].find("3001"), std::string::npos) << log.events[1];
  server.start();
  ASSERT_TRUE(run_until(io, [&] { return log.ready == 2; }, 20s)) << "never came back: " << log.events.back();
  EXPECT_EQ(log.events.back(), "back");
  EXPECT_FALSE(log.gave_up.has_value());

  // The new connection is usable.
  v1::Envelope join;
  join.mutable_join_channel()->set_channel("after-restart");
  std::optional<v1::Envelope> reply;
  session->request(join, [&](const v1::Envelope& answer) { reply = answer; });
  ASSERT_TRUE(run_until(io, [&] { return reply.has_value(); }));
  EXPECT_TRUE(reply->has_channel_joined()) << reply->DebugString();
  session->close();
}

// Away longer than the access token lives: the session trades its refresh token for new tokens over HTTP and
// keeps the new ones (the server may accept each refresh token once only).
TEST(ClientLibrary, ASessionRefreshesAnExpiredLoginWhenItReconnects) {
  server_process server({"auth.access_ttl_ms=1000"});
  const auto login = guest_login(server, "device-expiring");
  ASSERT_TRUE(login) << login.error().message;
  boost::asio::io_context io;
  session_log log;
  auto session = start_session(io, server, *login, log);
  ASSERT_TRUE(run_until(io, [&] { return log.ready == 1; }));
  EXPECT_EQ(server.stop(SIGTERM), 0);
  // Until the access token has expired (its expiry is in the login's answer), with the server down.
  const auto expired_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(login->expires_at_ms()));
  run_until(io, [&] { return std::chrono::system_clock::now() > expired_at + 100ms; }, 5s);
  server.start();
  ASSERT_TRUE(run_until(io, [&] { return log.ready == 2 || log.gave_up.has_value(); }, 20s));
  EXPECT_FALSE(log.gave_up.has_value()) << *log.gave_up;
  EXPECT_NE(session->auth().token(), login->token()) << "the session did not refresh its login";
  EXPECT_FALSE(session->auth().refresh_token().empty());
  session->close();
}

TEST(ClientLibrary, ASessionGivesUpWhenTheServerStaysAway) {
  server_process server;
  const auto login = guest_login(server, "device-abandoned");
  ASSERT_TRUE(login) << login.error().message;
  boost::asio::io_context io;
  session_log log;
  auto session = start_session(io, server, *login, log, /*max_attempts=*/2);
  ASSERT_TRUE(run_until(io, [&] { return log.ready == 1; }));
  EXPECT_EQ(server.stop(SIGTERM), 0);
  ASSERT_TRUE(run_until(io, [&] { return log.gave_up.has_value(); }, 10s));
  EXPECT_TRUE(log.gave_up->starts_with("gave up after 2 attempts: ")) << *log.gave_up;
  EXPECT_EQ(std::ranges::count_if(log.events, [](const std::string& e) { return e.starts_with("lost"); }), 2);
}

TEST(ClientLibrary, ASessionWhoseFirstConnectionFailsGivesUpAtOnce) {
  silent_listener listener(/*backlog_full=*/true);
  boost::asio::io_context io;
  std::optional<std::string> gave_up;
  client::session_options options;
  options.connection = kShortTimeouts;
  v1::AuthSession auth;
  auth.set_token("unused");
  auto session = std::make_shared<client::session>(
      io, url_of(client::server_url::scheme::tcp, "127.0.0.1", listener.port()), auth, options,
      client::session_events{.on_ready = {}, .on_lost = {}, .on_gave_up = [&](const std::string& why) { gave_up = why; },
                             .on_push = {}});
  session->start();
  ASSERT_TRUE(run_until(io, [&] { return gave_up.has_value(); }));
  EXPECT_NE(gave_up->find("timed out after 500 ms"), std::string::npos) << *gave_up;
}

}  // namespace
}  // namespace guildhall::testing
