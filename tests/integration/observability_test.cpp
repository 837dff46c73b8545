// What an operator sees: /metrics (checked by promtool), /healthz and /readyz (draining included), the log lines
// for closes and failed logins in JSON, and `guildhall --version`.
#include <arpa/inet.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "blocking_client.hpp"
#include "client/http_login.hpp"
#include "match_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct command_output {
  int status = -1;
  std::string text;
};

command_output run_command(const std::string& command) {
  command_output out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.text.append(buffer, n);
  const int status = pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// An HTTP/1.1 connection kept open between requests, as a load balancer's health checker keeps it: the server
// stops accepting when it drains, but answers on connections it already has.
class keep_alive_http {
 public:
  explicit keep_alive_http(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw std::runtime_error("connect");
  }
  ~keep_alive_http() { close(fd_); }

  http_answer get(const std::string& target, std::chrono::milliseconds timeout = 5s) {
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return {};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t head_end, body_bytes = 0;
    while (true) {
      head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto length_at = buffer_.find("Content-Length: ");
        if (length_at != std::string::npos && length_at < head_end) body_bytes = std::stoul(buffer_.substr(length_at + 16));
        if (buffer_.size() >= head_end + 4 + body_bytes) break;
      }
      if (!read_until(deadline)) return {};
    }
    http_answer answer;
    answer.status = std::stoi(buffer_.substr(9, 3));
    answer.body = buffer_.substr(head_end + 4, body_bytes);
    buffer_.erase(0, head_end + 4 + body_bytes);
    return answer;
  }

 private:
  bool read_until(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd ready{fd_, POLLIN, 0};
    if (left.count() <= 0 || poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

std::string scrape(const server_process& server) {
  const auto answer = http_get(server.http_port(), "/metrics");
  EXPECT_EQ(answer.status, 200);
  return answer.body;
}

}  // namespace

// A busy server: two transports, chat, a refused send, an error, a match against a bot. Every counter that the
// traffic touched has moved by at least what the test did, and promtool accepts the whole exposition.
TEST(Observability, MetricsOfABusyServerMoveAndPassPromtool) {
  // A budget of 20 sends that never refills during the test: the 21st is refused, whatever the machine's speed.
  server_process server({"chat.messages_per_second=0.001", "chat.message_burst=20"});
  const std::string before = scrape(server);
  EXPECT_EQ(metric_sample(before, "guildhall_connections_open{transport=\"tcp\"}"), 0) << before;
  EXPECT_EQ(metric_sample(before, "guildhall_frames_received_total{transport=\"tcp\"}"), 0) << before;

  blocking_client talker(transport::tcp, server.tcp_port());
  talker.authenticate(guest_token(server.http_port(), "device-metrics-talker"));
  ASSERT_TRUE(talker.join("metrics").has_channel_joined());
  blocking_client listener(transport::ws_json, server.http_port());
  listener.authenticate(guest_token(server.http_port(), "device-metrics-listener"));
  ASSERT_TRUE(listener.join("metrics").has_channel_joined());
  // Send until the budget is spent: the first refusal ends the run.
  int accepted = 0;
  for (; accepted < 40; ++accepted) {
    const auto said = talker.say("metrics", "message " + std::to_string(accepted));
    if (!said.has_message_accepted()) {
      ASSERT_EQ(said.error().code(), v1::RATE_LIMITED) << said.DebugString();
      break;
    }
  }
  ASSERT_GE(accepted, 10) << "the budget of 20 should allow most of the messages";
  ASSERT_LT(accepted, 40) << "the rate limit never refused";
  v1::Envelope stray;
  stray.mutable_send_message()->set_channel("elsewhere");
  stray.mutable_send_message()->set_text("not joined");
  EXPECT_EQ(talker.call(stray).error().code(), v1::NOT_MEMBER);

  v1::AuthRequest wrong;
  wrong.set_username("nobody");
  wrong.set_password("not the password");
  EXPECT_FALSE(client::call_auth("127.0.0.1", server.http_port(), "login", wrong).has_value());

  match_options against_bot;
  against_bot.bot = true;
  const auto created = create_match(listener, against_bot);
  ASSERT_TRUE(created.has_match_snapshot()) << created.DebugString();
  const auto match_id = created.match_snapshot().info().match_id();
  ASSERT_TRUE(play(listener, match_id, created.match_snapshot().legal_moves(0), 0).has_move_accepted());
  std::optional<v1::MatchEvent> answer;
  while ((answer = next_event(listener, 10s)) && answer->move().seat() != 1) {
  }
  ASSERT_TRUE(answer) << "the bot did not move";

  const std::string after = scrape(server);
  // The talker sent Authenticate, JoinChannel, the accepted messages, the refused one and the stray one over TCP.
  EXPECT_GE(metric_sample(after, "guildhall_frames_received_total{transport=\"tcp\"}"), accepted + 4) << after;
  EXPECT_GE(metric_sample(after, "guildhall_frames_received_total{transport=\"websocket\"}"), 4) << after;
  EXPECT_GE(metric_sample(after, "guildhall_frames_sent_total{transport=\"tcp\"}"), accepted + 4) << after;
  EXPECT_GT(metric_sample(after, "guildhall_received_bytes_total{transport=\"tcp\"}"), 20 * 10) << after;
  EXPECT_GT(metric_sample(after, "guildhall_sent_bytes_total{transport=\"websocket\"}"), 20 * 10) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_connections_open{transport=\"tcp\"}"), 1) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_connections_open{transport=\"websocket\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_connections_accepted_total{transport=\"websocket\"}"), 1) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_requests_total{type=\"send_message\"}"), accepted + 2) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_requests_total{type=\"authenticate\"}"), 2) << after;
  EXPECT_GE(metric_sample(after, "guildhall_errors_total{code=\"RATE_LIMITED\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_errors_total{code=\"NOT_MEMBER\"}"), 1) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_refused_total{reason=\"rate_limited\"}"), 1) << after;
  // Each accepted message went to both members' connections.
  EXPECT_GE(metric_sample(after, "guildhall_chat_deliveries_total{kind=\"channel\"}"), 2 * accepted) << after;
  EXPECT_GE(metric_sample(after, "guildhall_moves_total{by=\"player\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_moves_total{by=\"bot\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_matches_live"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_bot_think_seconds_count"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_db_commit_seconds_count{kind=\"chat\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_db_commit_seconds_count{kind=\"grouped\"}"), 2) << after;
  EXPECT_GE(metric_sample(after, "guildhall_db_queue_depth{queue=\"writer\"}"), 0) << after;
  EXPECT_NE(after.find("guildhall_build_info{version=\""), std::string::npos) << after;
  EXPECT_GE(metric_sample(after, "guildhall_http_requests_total{route=\"auth_guest\",status=\"2xx\"}"), 2) << after;
  EXPECT_EQ(metric_sample(after, "guildhall_http_requests_total{route=\"auth_login\",status=\"4xx\"}"), 1) << after;
  EXPECT_GE(metric_sample(after, "guildhall_http_requests_total{route=\"metrics\",status=\"2xx\"}"), 1) << after;

  // promtool (Debian's prometheus package; scripts/install-deps.sh --test installs it) lints the exposition.
  const std::string path = server.data_dir() + "/scrape.txt";
  std::ofstream(path) << after;
  const auto checked = run_command("promtool check metrics < '" + path + "'");
  EXPECT_EQ(checked.status, 0) << "promtool check metrics: " << checked.text << "\n" << after;
}

TEST(Observability, ClosedConnectionsAreCountedByReason) {
  server_process server({"limits.idle_timeout_ms=300"});
  {
    blocking_client idle(transport::tcp, server.tcp_port());
    idle.authenticate(guest_token(server.http_port(), "device-metrics-idle"));
    ASSERT_TRUE(idle.wait_closed(5s));
  }  // the server waits for our end of the socket before the connection is gone
  { blocking_client leaving(transport::ws_binary, server.http_port()); }  // closes its socket at once
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  std::string text;
  // The server notices the closes asynchronously: wait for both, bounded.
  while (std::chrono::steady_clock::now() < deadline) {
    text = scrape(server);
    if (metric_sample(text, "guildhall_connections_open{transport=\"websocket\"}") == 0 &&
        metric_sample(text, "guildhall_connections_open{transport=\"tcp\"}") == 0) {
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(metric_sample(text, "guildhall_connections_closed_total{transport=\"tcp\",reason=\"idle_timeout\"}"), 1) << text;
  EXPECT_EQ(metric_sample(text, "guildhall_connections_closed_total{transport=\"websocket\",reason=\"peer\"}"), 1) << text;
  EXPECT_EQ(metric_sample(text, "guildhall_connections_open{transport=\"tcp\"}"), 0) << text;
  EXPECT_EQ(metric_sample(text, "guildhall_connections_open{transport=\"websocket\"}"), 0) << text;
}

// /healthz says alive; /readyz says whether to send players here. Draining: SIGTERM with a client that keeps its
// socket open and a long grace period keeps the server up, and a health checker's open connection sees 503.
TEST(Observability, ReadyzIsReadyUntilTheServerDrains) {
  server_process server({"shutdown_grace_ms=30000", "limits.close_linger_ms=30000"});
  keep_alive_http checker(server.http_port());
  const auto ready = checker.get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready"})");
  EXPECT_EQ(checker.get("/healthz").status, 200);

  auto lingering = std::make_unique<blocking_client>(transport::tcp, server.tcp_port());
  lingering->authenticate(guest_token(server.http_port(), "device-lingering"));
  std::thread stopper([&] { EXPECT_EQ(server.stop(SIGTERM), 0); });
  // Its Closing (3001) says the drain has begun. (EXPECT, not ASSERT: the stopper thread must still be joined.)
  EXPECT_TRUE(lingering->next(5s).has_value());
  EXPECT_EQ(lingering->closing_code, 3001u);

  const auto draining = checker.get("/readyz");
  EXPECT_EQ(draining.status, 503);
  EXPECT_NE(draining.body.find(R"("status":"not ready")"), std::string::npos) << draining.body;
  EXPECT_NE(draining.body.find("draining"), std::string::npos) << draining.body;
  EXPECT_EQ(checker.get("/healthz").status, 200) << "a draining server is still alive";

  lingering.reset();  // the last client leaves: the drain ends long before its 30 s
  stopper.join();
}

TEST(Observability, VersionPrintsTheProjectVersionAndExitsZero) {
  const auto shown = run_command(std::string(GUILDHALL_BINARY) + " --version");
  EXPECT_EQ(shown.status, 0) << shown.text;
  EXPECT_EQ(shown.text.rfind("guildhall 0.", 0), 0u) << shown.text;
}

// --log-format json: every line of the server's log is one JSON object, and the lines an operator needs are
// there: the failed login (user and address, never the password) and each close with its user and code.
TEST(Observability, JsonLogsParseLineByLineAndNameFailedLoginsAndCloses) {
  server_process server({"log_format=json", "limits.idle_timeout_ms=300"});
  register_user(server.http_port(), "mallory", "correct horse battery");
  v1::AuthRequest wrong;
  wrong.set_username("mallory");
  wrong.set_password("hunter2-wrong-\"quoted\"");
  EXPECT_FALSE(client::call_auth("127.0.0.1", server.http_port(), "login", wrong).has_value());
  {
    blocking_client idle(transport::tcp, server.tcp_port());
    idle.authenticate(register_user(server.http_port(), "idler", "long enough password").token());
    ASSERT_TRUE(idle.wait_closed(5s));
  }
  ASSERT_EQ(server.stop(SIGTERM), 0);

  std::istringstream log(server.log());
  std::string line;
  int lines = 0;
  bool failed_login = false, closed = false;
  while (std::getline(log, line)) {
    ++lines;
    google::protobuf::Struct parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << "not JSON: " << line;
    const auto& fields = parsed.fields();
    ASSERT_TRUE(fields.contains("time") && fields.contains("level") && fields.contains("msg")) << line;
    const std::string& message = fields.at("msg").string_value();
    if (message.find("login failed") != std::string::npos && message.find("user=\"mallory\"") != std::string::npos &&
        message.find("address=127.0.0.1:") != std::string::npos) {
      failed_login = true;
      EXPECT_EQ(fields.at("level").string_value(), "warning");
    }
    if (message.find("closed") != std::string::npos && message.find("user=idler") != std::string::npos &&
        message.find("code=4001") != std::string::npos) {
      closed = true;
    }
    EXPECT_EQ(line.find("hunter2"), std::string::npos) << "a password in the log: " << line;
  }
  EXPECT_GT(lines, 3);
  EXPECT_TRUE(failed_login) << server.log();
  EXPECT_TRUE(closed) << server.log();
}

}  // namespace guildhall::testing
