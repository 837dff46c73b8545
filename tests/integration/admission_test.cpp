// Admission control against a real server: nothing a client does grows the server without bound. Per-address
// limits on HTTP login/register and on reads, caps on connections per address and in all, bounded work queues
// answering UNAVAILABLE with a retry-after, and the send budget spent by channel requests.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "blocking_client.hpp"
#include "wire/close_code.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct raw_answer {
  int status = 0;
  std::string head;
  std::string body;
};

int open_http(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return fd;
}

void send_text(int fd, const std::string& text) {
  ASSERT_EQ(::send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
}

std::string post_auth(const std::string& action, const std::string& json) {
  return "POST /v1/auth/" + action + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
         "application/json\r\nContent-Length: " + std::to_string(json.size()) + "\r\n\r\n" + json;
}

// Reads the whole answer of a Connection: close request.
raw_answer read_answer(int fd) {
  timeval wait{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string raw;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) raw.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  raw_answer answer;
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || head_end == std::string::npos) return answer;
  answer.status = std::stoi(raw.substr(9, 3));
  answer.head = raw.substr(0, head_end);
  answer.body = raw.substr(head_end + 4);
  return answer;
}

raw_answer exchange(std::uint16_t port, const std::string& request) {
  const int fd = open_http(port);
  send_text(fd, request);
  return read_answer(fd);
}

bool has_retry_after(const raw_answer& answer) { return answer.head.find("\r\nRetry-After: ") != std::string::npos; }

TEST(Admission, LoginAttemptsPerAddressAreLimited) {
  server_process server({"auth.logins_per_ip_per_minute=3"});
  const std::string wrong = R"({"username":"nobody","password":"long enough"})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(exchange(server.http_port(), post_auth("login", wrong)).status, 401) << i;
  const auto refused = exchange(server.http_port(), post_auth("login", wrong));
  EXPECT_EQ(refused.status, 429) << refused.head << refused.body;
  EXPECT_TRUE(has_retry_after(refused)) << refused.head;
  EXPECT_NE(refused.body.find("RATE_LIMITED"), std::string::npos) << refused.body;
  // Register shares the budget (both run argon2); guest logins do not.
  EXPECT_EQ(exchange(server.http_port(), post_auth("register", R"({"username":"newbie","password":"long enough"})")).status,
            429);
  EXPECT_EQ(exchange(server.http_port(), post_auth("guest", R"({"device_id":"device-admission"})")).status, 200);
}

TEST(Admission, LeaderboardAndPgnReadsPerAddressAreLimited) {
  server_process server({"http.reads_per_ip_per_minute=30"});  // a burst of 3
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_get(server.http_port(), "/v1/leaderboards/chess").status, 200) << i;
  const auto refused = exchange(server.http_port(), "GET /v1/matches/1/pgn HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(refused.status, 429);
  EXPECT_TRUE(has_retry_after(refused)) << refused.head;
  EXPECT_EQ(http_get(server.http_port(), "/healthz").status, 200);  // other pages are not reads
}

TEST(Admission, AFullHashingQueueRefusesRegistrationAtOnceWithUnavailable) {
  // One hash waiting at most: of a burst of registrations, one runs, one waits and the rest are refused.
  constexpr int kBurst = 8;
  server_process server({"auth.max_queued_hashes=1"});
  std::vector<int> sockets;
  for (int i = 0; i < kBurst; ++i) sockets.push_back(open_http(server.http_port()));
  for (int i = 0; i < kBurst; ++i) {
    send_text(sockets[static_cast<std::size_t>(i)],
              post_auth("register", R"({"username":"burst)" + std::to_string(i) + R"(","password":"long enough"})"));
  }
  int created = 0, refused = 0;
  for (const int fd : sockets) {
    const auto answer = read_answer(fd);
    if (answer.status == 200) {
      ++created;
    } else {
      EXPECT_EQ(answer.status, 503) << answer.body;
      EXPECT_NE(answer.body.find("UNAVAILABLE"), std::string::npos) << answer.body;
      EXPECT_NE(answer.body.find("retryAfterMs"), std::string::npos) << answer.body;
      EXPECT_TRUE(has_retry_after(answer)) << answer.head;
      ++refused;
    }
  }
  EXPECT_GE(created, 1);
  EXPECT_GE(refused, 1) << "nothing was refused: the queue is not bounded";
  EXPECT_EQ(created + refused, kBurst);
}

// A connection the server refuses gets its reason, then the close.
void expect_refused(transport kind, const server_process& server, wire::close_code code) {
  blocking_client refused(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
  EXPECT_TRUE(refused.wait_closed(10s));
  ASSERT_TRUE(refused.closing_code);
  EXPECT_EQ(*refused.closing_code, static_cast<std::uint32_t>(code));
}

TEST(Admission, ConnectionsPerAddressAreCapped) {
  server_process server({"limits.max_connections_per_ip=2"});
  const auto token = guest_token(server.http_port(), "device-capped");
  std::optional<blocking_client> first(std::in_place, transport::tcp, server.tcp_port());
  blocking_client second(transport::ws_binary, server.http_port());
  ASSERT_TRUE(first->authenticate(token).has_authenticated());
  ASSERT_TRUE(second.authenticate(token).has_authenticated());
  expect_refused(transport::tcp, server, wire::close_code::too_many_connections);
  expect_refused(transport::ws_binary, server, wire::close_code::too_many_connections);
  // A place frees up when a connection goes.
  first.reset();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool admitted = false;
  while (!admitted && std::chrono::steady_clock::now() < deadline) {
    blocking_client again(transport::tcp, server.tcp_port());
    v1::Envelope hello;
    hello.set_cid(1);
    hello.mutable_authenticate()->set_token(token);
    again.send(hello);
    const auto answer = again.next(5s);  // Authenticated, or the Closing of a refusal
    admitted = answer && answer->has_authenticated();
    if (!admitted) std::this_thread::sleep_for(50ms);  // polling for the server to notice the close
  }
  EXPECT_TRUE(admitted);
}

TEST(Admission, TheServerCapsConnectionsInAll) {
  server_process server({"limits.max_connections=2", "limits.max_connections_per_ip=0"});
  const auto token = guest_token(server.http_port(), "device-full");
  blocking_client first(transport::tcp, server.tcp_port());
  blocking_client second(transport::tcp, server.tcp_port());
  ASSERT_TRUE(first.authenticate(token).has_authenticated());
  ASSERT_TRUE(second.authenticate(token).has_authenticated());
  expect_refused(transport::ws_json, server, wire::close_code::server_full);
  EXPECT_TRUE(first.say("lobby", "still served").has_error());  // not joined: an answer, so still connected
}

TEST(Admission, JoiningAndReadingChannelsSpendTheSendBudget) {
  server_process server({"chat.message_burst=3", "chat.messages_per_second=0.01"});
  blocking_client client(transport::tcp, server.tcp_port());
  ASSERT_TRUE(client.authenticate(guest_token(server.http_port(), "device-budget")).has_authenticated());
  EXPECT_TRUE(client.join("one").has_channel_joined());
  EXPECT_TRUE(client.join("two").has_channel_joined());
  v1::Envelope history;
  history.mutable_channel_history()->set_channel("one");
  EXPECT_TRUE(client.call(history).has_history_page());
  const auto refused = client.join("three");
  ASSERT_TRUE(refused.has_error()) << refused.DebugString();
  EXPECT_EQ(refused.error().code(), v1::RATE_LIMITED);
  v1::Envelope members;
  members.mutable_list_members()->set_channel("one");
  EXPECT_EQ(client.call(members).error().code(), v1::RATE_LIMITED);
}

}  // namespace
}  // namespace guildhall::testing
