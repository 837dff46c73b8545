// TLS on both ports of a real server (tls.cert_file, tls.key_file), with a certificate made at test time: the SDK
// chats over wss:// and tls://, logs in over https, checks certificates; plaintext clients are refused cleanly.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>

#include "blocking_client.hpp"
#include "client/client_connection.hpp"
#include "client/http_login.hpp"
#include "client/session.hpp"
#include "server_process.hpp"
#include "silent_listener.hpp"

namespace guildhall::testing {
namespace {

struct test_certificate {
  std::string cert;
  std::string key;
};

// A self-signed certificate for localhost / 127.0.0.1, as a developer would make one (README).
test_certificate make_certificate(const std::string& dir, const std::string& name) {
  test_certificate made{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                              "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
                              made.key + "' -out '" + made.cert + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl could not make a test certificate");
  return made;
}

class certificates {
 public:
  static const certificates& get() {
    static const certificates made;
    return made;
  }
  ~certificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::string dir = make_temp_dir("guildhall-tls-test");
  test_certificate server = make_certificate(dir, "server");
  test_certificate other = make_certificate(dir, "other");
};

std::vector<std::string> tls_settings(std::vector<std::string> more = {}) {
  const auto& files = certificates::get().server;
  more.push_back("tls.cert_file=" + files.cert);
  more.push_back("tls.key_file=" + files.key);
  return more;
}

client::server_url url_of(const std::string& text, bool trust_test_ca = true) {
  auto url = client::parse_server_url(text);
  if (!url) throw std::runtime_error(url.error().message);
  if (trust_test_ca) url->tls.ca_file = certificates::get().server.cert;
  return *url;
}

// The SDK's client_connection on its own io_context, driven until a condition holds or a deadline passes.
class sdk_client {
 public:
  explicit sdk_client(const client::server_url& url) : connection_(std::make_shared<client::client_connection>(io_, url)) {
    connection_->on_push([this](const v1::Envelope& push) { pushes_.push_back(push); });
  }

  result<void> connect() {
    std::optional<result<void>> outcome;
    connection_->connect([&](result<void> done) { outcome = std::move(done); });
    run_until([&] { return outcome.has_value(); });
    if (!outcome) return fail(errc::internal, "connect did not finish in time");
    return *outcome;
  }

  v1::Envelope call(v1::Envelope request) {
    std::optional<v1::Envelope> answer;
    connection_->request(std::move(request), [&](const v1::Envelope& reply) { answer = reply; });
    run_until([&] { return answer.has_value(); });
    if (!answer) throw std::runtime_error("no answer in time");
    return *answer;
  }

  std::optional<v1::ChatMessage> next_chat() {
    run_until([&] {
      while (!pushes_.empty() && !pushes_.front().has_chat_message()) pushes_.pop_front();
      return !pushes_.empty();
    });
    if (pushes_.empty()) return std::nullopt;
    auto message = pushes_.front().chat_message();
    pushes_.pop_front();
    return message;
  }

 private:
  template <typename Condition>
  void run_until(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(100ms);
    }
  }

  boost::asio::io_context io_;
  std::shared_ptr<client::client_connection> connection_;
  std::deque<v1::Envelope> pushes_;
};

v1::Envelope authenticate(sdk_client& client, const client::server_url& url, const std::string& device) {
  v1::AuthRequest guest;
  guest.set_device_id(device);
  auto session = client::call_auth(url, "guest", guest);  // https, the same certificate checks
  if (!session) throw std::runtime_error("https login failed: " + session.error().message);
  v1::Envelope request;
  request.mutable_authenticate()->set_token(session->token());
  return client.call(request);
}

v1::Envelope say(sdk_client& client, const std::string& text) {
  v1::Envelope request;
  request.mutable_send_message()->set_channel("lobby");
  request.mutable_send_message()->set_text(text);
  return client.call(request);
}

v1::Envelope join(sdk_client& client) {
  v1::Envelope request;
  request.mutable_join_channel()->set_channel("lobby");
  return client.call(request);
}

// A plain TCP socket to a loopback port.
int connect_plain(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw std::runtime_error("connect failed");
  timeval wait{.tv_sec = 10, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  return fd;
}

// Everything the server sends until it closes; nullopt if it has not closed within the socket's 10 s timeout.
std::optional<std::string> read_until_closed(int fd) {
  std::string received;
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) return received;
    if (n < 0) return std::nullopt;  // timed out: the server left us hanging
    received.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

TEST(Tls, WssAndTlsTcpClientsChatThroughATlsServer) {
  server_process server(tls_settings({"chat.messages_per_second=1000", "chat.message_burst=1000"}));
  const auto wss_url = url_of("wss://localhost:" + std::to_string(server.http_port()) + "/ws");
  const auto tls_url = url_of("tls://127.0.0.1:" + std::to_string(server.tcp_port()) +
                              "?http_port=" + std::to_string(server.http_port()));
  sdk_client wss(wss_url);
  sdk_client tls(tls_url);
  ASSERT_TRUE(wss.connect()) << server.log();
  ASSERT_TRUE(tls.connect()) << server.log();
  ASSERT_TRUE(authenticate(wss, wss_url, "tls-test-wss").has_authenticated());
  ASSERT_TRUE(authenticate(tls, tls_url, "tls-test-tcp").has_authenticated());
  ASSERT_TRUE(join(wss).has_channel_joined());
  ASSERT_TRUE(join(tls).has_channel_joined());

  ASSERT_TRUE(say(tls, "over tls://").has_message_accepted());
  auto got = wss.next_chat();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->text(), "over tls://");

  // Many messages in one burst: batches sealed into one buffer each arrive whole and in order.
  for (int i = 0; i < 50; ++i) {
    const auto accepted = say(wss, "wss " + std::to_string(i));
    ASSERT_TRUE(accepted.has_message_accepted()) << i << ": " << accepted.DebugString();
  }
  for (int i = 0; i < 50; ++i) {
    auto message = tls.next_chat();
    if (message && message->text() == "over tls://") message = tls.next_chat();  // its own echo
    ASSERT_TRUE(message) << i;
    EXPECT_EQ(message->text(), "wss " + std::to_string(i));
  }
}

TEST(Tls, PlaintextClientsAreRefusedOnBothPortsAndTheServerCarriesOn) {
  server_process server(tls_settings({"limits.auth_timeout_ms=500", "http.request_timeout_ms=500"}));

  // Plain HTTP on the https port: no answer, a clean close.
  const int http = connect_plain(server.http_port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(send(http, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  const auto http_answer = read_until_closed(http);
  close(http);
  ASSERT_TRUE(http_answer) << "the server kept a plaintext HTTP client hanging";
  EXPECT_EQ(http_answer->find("HTTP/1.1"), std::string::npos) << *http_answer;

  // The native protocol in the clear on the TLS port: closed, nothing of the protocol answered.
  blocking_client tcp(transport::tcp, server.tcp_port());
  v1::Envelope hello;
  hello.mutable_authenticate()->set_token("not-even-read");
  tcp.send(hello);
  EXPECT_TRUE(tcp.wait_closed(10s));
  EXPECT_FALSE(tcp.closing_code) << "a plaintext client got a protocol answer";

  // Clients that connect and say nothing (waiting for a server greeting that never comes) are closed by the
  // handshake deadlines: limits.auth_timeout_ms on the TCP port, http.request_timeout_ms on the web port.
  for (const std::uint16_t port : {server.tcp_port(), server.http_port()}) {
    const int silent = connect_plain(port);
    EXPECT_TRUE(read_until_closed(silent)) << "port " << port;
    close(silent);
  }

  // And TLS clients are still served.
  const auto url = url_of("wss://127.0.0.1:" + std::to_string(server.http_port()) + "/ws");
  sdk_client client(url);
  ASSERT_TRUE(client.connect());
  EXPECT_TRUE(authenticate(client, url, "tls-after-plaintext").has_authenticated());
}

// A guard for http_session reading the socket itself (so that https and http share one path): a client that
// sends its request and then half-closes, as `printf ... | nc` does, still gets the answer.
TEST(HttpSession, AClientThatHalfClosesAfterItsRequestStillGetsTheAnswer) {
  server_process server;
  const int fd = connect_plain(server.http_port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  shutdown(fd, SHUT_WR);
  const auto answer = read_until_closed(fd);
  close(fd);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->starts_with("HTTP/1.1 200")) << *answer;
}

TEST(Tls, ClientsRefuseAnUntrustedOrMisnamedCertificateWithAClearError) {
  server_process server(tls_settings());
  const std::string address = "wss://127.0.0.1:" + std::to_string(server.http_port()) + "/ws";

  // Default: the system store only, where a self-signed certificate is not.
  sdk_client untrusting(url_of(address, false));
  const auto refused = untrusting.connect();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not trusted"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("--ca-file"), std::string::npos) << refused.error().message;
  v1::AuthRequest guest;
  guest.set_device_id("tls-untrusted");
  const auto login = client::call_auth(url_of(address, false), "guest", guest);
  ASSERT_FALSE(login);
  EXPECT_NE(login.error().message.find("not trusted"), std::string::npos) << login.error().message;

  // Trusted, but for another name: refused too.
  auto misnamed = url_of(address);
  misnamed.server_name = "elsewhere.example";
  sdk_client wrong_name(misnamed);
  const auto mismatch = wrong_name.connect();
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("mismatch"), std::string::npos) << mismatch.error().message;

  // --insecure: accepted (development only).
  auto insecure = url_of(address, false);
  insecure.tls.insecure = true;
  sdk_client careless(insecure);
  EXPECT_TRUE(careless.connect());

  // The terminal client says why and exits non-zero.
  const std::string command = std::string(GUILDHALL_BINARY) + " chat --server " + address +
                              " --user tlsuser </dev/null 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = pclose(pipe);
  EXPECT_NE(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("not trusted"), std::string::npos) << output;
}

TEST(Tls, AKeyThatDoesNotMatchTheCertificateStopsTheStartWithTheReason) {
  const auto& files = certificates::get();
  try {
    server_process server({"tls.cert_file=" + files.server.cert, "tls.key_file=" + files.other.key});
    FAIL() << "the server started with a key that is not its certificate's";
  } catch (const std::runtime_error& failure) {
    EXPECT_NE(std::string(failure.what()).find("does not match the certificate"), std::string::npos) << failure.what();
  }
  try {
    server_process server({"tls.cert_file=" + files.dir + "/missing.crt", "tls.key_file=" + files.server.key});
    FAIL() << "the server started without its certificate";
  } catch (const std::runtime_error& failure) {
    EXPECT_NE(std::string(failure.what()).find("cannot read tls.cert_file"), std::string::npos) << failure.what();
  }
}

// --- the client library's timeouts and reconnection over TLS (the merge of the client and tls branches) ---------

TEST(Tls, TheClientsTlsHandshakeAndHttpsLoginAreBoundedByTheirTimeouts) {
  for (const std::string scheme : {"wss://", "tls://"}) {
    silent_listener listener;  // a fresh one each time: its backlog holds one connection
    const std::string where = "127.0.0.1:" + std::to_string(listener.port());
    boost::asio::io_context io;
    auto connection = std::make_shared<client::client_connection>(
        io, url_of(scheme + where), wire::payload_format::binary,
        client::connection_options{.connect_timeout_ms = 500, .handshake_timeout_ms = 500});
    std::optional<result<void>> outcome;
    connection->connect([&](result<void> done) { outcome = std::move(done); });
    ASSERT_TRUE(run_until(io, [&] { return outcome.has_value(); })) << scheme << ": the TLS handshake hung";
    ASSERT_FALSE(*outcome) << scheme;
    EXPECT_EQ(outcome->error().message, "the TLS handshake with " + where + " timed out after 500 ms") << scheme;
  }
  silent_listener listener;
  const std::string where = "127.0.0.1:" + std::to_string(listener.port());
  v1::AuthRequest guest;
  guest.set_device_id("device-mute");
  const auto started = std::chrono::steady_clock::now();
  const auto login = client::call_auth(client::auth_call_to(url_of("wss://" + where), "guest", guest, 500));
  ASSERT_FALSE(login);
  EXPECT_EQ(login.error().message, "the TLS handshake with " + where + " timed out after 500 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

// The reconnecting session over wss://: the server restarts while the access token expires, so the session comes
// back through an https refresh and a new TLS connection.
TEST(Tls, ASessionReconnectsOverWssAndRefreshesItsLoginOverHttps) {
  server_process server(tls_settings({"auth.access_ttl_ms=1000"}));
  const auto url = url_of("wss://localhost:" + std::to_string(server.http_port()) + "/ws");
  v1::AuthRequest guest;
  guest.set_device_id("device-tls-comeback");
  const auto login = client::call_auth(url, "guest", guest);
  ASSERT_TRUE(login) << login.error().message;

  boost::asio::io_context io;
  int ready = 0;
  std::optional<std::string> gave_up;
  client::session_options options;
  options.reconnect = {.first_delay_ms = 200, .max_delay_ms = 1000, .jitter = 0.2, .max_attempts = 30};
  auto session = std::make_shared<client::session>(
      io, url, *login, options,
      client::session_events{.on_ready = [&](const v1::Authenticated&, bool) { ++ready; },
                             .on_lost = {},
                             .on_gave_up = [&](const std::string& reason) { gave_up = reason; },
                             .on_push = {}});
  session->start();
  ASSERT_TRUE(run_until(io, [&] { return ready == 1 || gave_up.has_value(); }));
  ASSERT_EQ(ready, 1) << gave_up.value_or("");

  EXPECT_EQ(server.stop(SIGTERM), 0);
  const auto expired_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(login->expires_at_ms()));
  run_until(io, [&] { return std::chrono::system_clock::now() > expired_at + 100ms; }, 5s);
  server.start();
  ASSERT_TRUE(run_until(io, [&] { return ready == 2 || gave_up.has_value(); }, 20s));
  EXPECT_FALSE(gave_up.has_value()) << *gave_up;
  EXPECT_NE(session->auth().token(), login->token()) << "the session did not refresh its login over https";

  v1::Envelope join;
  join.mutable_join_channel()->set_channel("after-tls-restart");
  std::optional<v1::Envelope> reply;
  session->request(join, [&](const v1::Envelope& answer) { reply = answer; });
  ASSERT_TRUE(run_until(io, [&] { return reply.has_value(); }));
  EXPECT_TRUE(reply->has_channel_joined()) << reply->DebugString();
  session->close();
}

}  // namespace guildhall::testing
