// The UDP transport against a real server process: a client connects with a connect token from the HTTP API and
// is authenticated by it; every request of the protocol works over the reliable channel and room snapshots come
// over the unreliable one; tokens that are forged, expired or replayed from another address, garbage, truncated
// and spoofed packets, and a flood from one address get no answer and cost the server only a counted check; no
// answer before the handshake is larger than what provoked it.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "blocking_client.hpp"
#include "server_process.hpp"
#include "udp_client.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::testing {
namespace {
namespace udp = wire::udp;

udp::issued_connect_token guest_udp_token(const server_process& server, const std::string& device) {
  return fetch_connect_token(server.http_port(), guest_token(server.http_port(), device));
}

// A plain socket for datagrams no client would send, which reports whether anything came back.
class raw_socket {
 public:
  explicit raw_socket(std::uint16_t server_port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    server_.sin_family = AF_INET;
    server_.sin_port = htons(server_port);
    server_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }
  ~raw_socket() { ::close(fd_); }
  void send(std::span<const std::uint8_t> bytes) {
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&server_), sizeof server_);
  }
  // The size of the next datagram within `timeout`, or nullopt.
  std::optional<std::size_t> receive(std::chrono::milliseconds timeout) {
    std::array<std::uint8_t, 2048> buffer;
    return receive_into(buffer, timeout);
  }
  std::optional<std::size_t> receive_into(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
    pollfd readable{fd_, POLLIN, 0};
    if (::poll(&readable, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) return std::nullopt;
    return static_cast<std::size_t>(n);
  }

 private:
  int fd_;
  sockaddr_in server_{};
};

double udp_dropped(std::uint16_t http_port, const std::string& reason) {
  return metric_sample(http_get(http_port, "/metrics").body, "guildhall_udp_dropped_total{reason=\"" + reason + "\"}");
}

v1::Envelope ping() {
  v1::Envelope request;
  request.mutable_ping()->set_client_time_ms(7);
  return request;
}

}  // namespace

TEST(Udp, AGuestConnectsWithATokenAndIsAuthenticatedByIt) {
  server_process server;
  ASSERT_NE(server.udp_port(), 0);
  udp_client client(guest_udp_token(server, "udp-guest"));
  EXPECT_EQ(client.sent_datagrams().size(), 0u);
  ASSERT_TRUE(client.connect()) << udp::to_string(client.state());
  const auto hello = client.next_push();
  ASSERT_TRUE(hello && hello->has_authenticated()) << (hello ? hello->DebugString() : "nothing");
  EXPECT_GT(hello->authenticated().user_id(), 0u);
  EXPECT_EQ(hello->authenticated().username().rfind("guest", 0), 0u) << hello->authenticated().username();
  const auto pong = client.call(ping());
  ASSERT_TRUE(pong.has_pong()) << pong.DebugString();
  EXPECT_EQ(pong.pong().client_time_ms(), 7);
  // Authenticate again over UDP is refused like on any authenticated connection.
  v1::Envelope again;
  again.mutable_authenticate()->set_token("x");
  EXPECT_EQ(client.call(again).error().code(), v1::ALREADY_AUTHENTICATED);
}

TEST(Udp, ChatCrossesBetweenAUdpClientAndAWebSocketClient) {
  server_process server;
  udp_client over_udp(guest_udp_token(server, "udp-chatter"));
  ASSERT_TRUE(over_udp.connect());
  ASSERT_TRUE(over_udp.next_push());  // Authenticated
  blocking_client over_ws(transport::ws_binary, server.http_port());
  ASSERT_TRUE(over_ws.authenticate(guest_token(server.http_port(), "ws-chatter")).has_authenticated());

  v1::Envelope join;
  join.mutable_join_channel()->set_channel("lobby");
  ASSERT_TRUE(over_udp.call(join).has_channel_joined());
  ASSERT_TRUE(over_ws.join("lobby").has_channel_joined());
  // A long message: more than one datagram, fragmented and reassembled.
  const std::string text(1900, 'u');
  v1::Envelope say;
  say.mutable_send_message()->set_channel("lobby");
  say.mutable_send_message()->set_text(text);
  ASSERT_TRUE(over_udp.call(say).has_message_accepted());
  std::optional<v1::Envelope> heard;
  while ((heard = over_ws.next_push()) && !heard->has_chat_message()) {
  }
  ASSERT_TRUE(heard) << "the WebSocket client never heard the UDP client";
  EXPECT_EQ(heard->chat_message().text(), text);

  ASSERT_TRUE(over_ws.say("lobby", "hello over there").has_message_accepted());
  // Its own message comes back to the UDP client first.
  while ((heard = over_udp.next_push()) && !(heard->has_chat_message() && heard->chat_message().text().size() < 100)) {
  }
  ASSERT_TRUE(heard) << "the UDP client never heard the WebSocket client";
  EXPECT_EQ(heard->chat_message().text(), "hello over there");

  // History: a page bigger than one datagram comes back whole.
  v1::Envelope history;
  history.mutable_channel_history()->set_channel("lobby");
  const auto page = over_udp.call(history);
  ASSERT_TRUE(page.has_history_page()) << page.DebugString();
  EXPECT_EQ(page.history_page().messages_size(), 2);
}

TEST(Udp, ForgedExpiredAndUnknownTokensGetNoAnswer) {
  server_process server({"udp.token_lifetime_s=1"});
  auto forged = guest_udp_token(server, "udp-forger");
  forged.sealed_private[100] ^= 0x40;
  udp_client forger(forged);
  EXPECT_FALSE(forger.connect(1500ms));

  auto late = guest_udp_token(server, "udp-late");
  std::this_thread::sleep_for(2100ms);  // past its 1 s lifetime
  udp_client latecomer(late);
  EXPECT_FALSE(latecomer.connect(1500ms));

  // A token for another server (another key) opens with nothing here.
  server_process other;
  udp_client stranger(guest_udp_token(other, "udp-stranger"));
  auto wrong = guest_udp_token(other, "udp-wrong-server");
  wrong.server_addresses = {*udp::parse_peer_address("127.0.0.1:" + std::to_string(server.udp_port()))};
  udp_client misdirected(wrong);
  EXPECT_FALSE(misdirected.connect(1500ms));
  EXPECT_GE(udp_dropped(server.http_port(), "refused_packet"), 3);
}

TEST(Udp, AConnectionRequestReplayedFromAnotherAddressGetsNothing) {
  server_process server;
  udp_client player(guest_udp_token(server, "udp-replayed"));
  ASSERT_TRUE(player.connect());
  const auto request = player.sent_datagrams().front();
  ASSERT_EQ(request.size(), udp::kConnectionRequestBytes);
  raw_socket thief(server.udp_port());
  thief.send(request);
  EXPECT_FALSE(thief.receive(500ms)) << "the server answered a replayed request";
  // The player is not disturbed.
  EXPECT_TRUE(player.call(ping()).has_pong());
}

// The handshake carried by hand over a plain socket, so every answer's size can be compared with what caused it.
TEST(Udp, NoAnswerBeforeTheHandshakeIsLargerThanWhatCausedIt) {
  server_process server;
  udp_client client(guest_udp_token(server, "udp-amplify"), true);
  raw_socket wire_(server.udp_port());
  client.start();
  const auto request = client.sent_datagrams().back();
  ASSERT_EQ(request.size(), udp::kConnectionRequestBytes);
  wire_.send(request);
  std::array<std::uint8_t, 2048> answer{};
  const auto challenge_bytes = wire_.receive_into(answer, 2s);
  ASSERT_TRUE(challenge_bytes) << "no challenge";
  EXPECT_LE(*challenge_bytes, request.size());

  client.feed(std::span(answer).first(*challenge_bytes));
  ASSERT_EQ(client.state(), udp::client_state::sending_response);
  const auto response = client.sent_datagrams().back();
  wire_.send(response);
  const auto keep_alive_bytes = wire_.receive_into(answer, 2s);
  ASSERT_TRUE(keep_alive_bytes) << "no keep-alive after the response";
  EXPECT_LE(*keep_alive_bytes, response.size());
  client.feed(std::span(answer).first(*keep_alive_bytes));
  EXPECT_EQ(client.state(), udp::client_state::connected);
}

TEST(Udp, GarbageTruncatedAndSpoofedPacketsGetNoAnswerAndAreCounted) {
  server_process server;
  udp_client player(guest_udp_token(server, "udp-bystander"));
  ASSERT_TRUE(player.connect());
  const double before = udp_dropped(server.http_port(), "refused_packet");
  raw_socket attacker(server.udp_port());
  std::mt19937 random(5);
  std::vector<std::uint8_t> bytes;
  for (int i = 0; i < 200; ++i) {
    bytes.resize(1 + random() % 1200);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    attacker.send(bytes);
  }
  // Truncated copies of the player's real packets, and its payload packets from the wrong address (spoofed).
  for (const auto& sent : player.sent_datagrams()) {
    attacker.send(std::span(sent).first(sent.size() / 2));
    attacker.send(sent);
  }
  std::array<std::uint8_t, 2048> answer{};
  const auto answered = attacker.receive_into(answer, 500ms);
  EXPECT_FALSE(answered) << "the server answered garbage with " << *answered << " bytes, prefix "
                         << int(answer[0]);
  const double after = udp_dropped(server.http_port(), "refused_packet");
  EXPECT_GE(after - before, 200) << "drops were not counted";
  EXPECT_TRUE(player.call(ping()).has_pong());
}

TEST(Udp, AFloodFromOneAddressLeavesOtherPlayersServed) {
  server_process server({"shards=2"});
  udp_client player(guest_udp_token(server, "udp-flood-victim"));
  ASSERT_TRUE(player.connect());
  std::atomic<bool> flooding = true;
  std::thread flood([&] {
    raw_socket attacker(server.udp_port());
    std::vector<std::uint8_t> junk(1200, 0x55);
    while (flooding) {
      for (int i = 0; i < 1000; ++i) attacker.send(junk);
    }
  });
  std::vector<std::chrono::milliseconds> latencies;
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(player.call(ping(), 3s).has_pong()) << "ping " << i << " unanswered during the flood";
    latencies.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start));
  }
  flooding = false;
  flood.join();
  std::ranges::sort(latencies);
  EXPECT_LT(latencies[latencies.size() / 2], 500ms) << "median round trip under the flood";
}

TEST(Udp, FiveHundredClientsConnectAndAreServedAcrossShards) {
  // One address asks for 500 tokens: lift the per-address budget of the token endpoint for this test.
  server_process server({"shards=2", "http.reads_per_ip_per_minute=0"});
  constexpr int kClients = 500;
  std::vector<std::unique_ptr<udp_client>> clients;
  const std::string token = guest_token(server.http_port(), "udp-many");
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<udp_client>(fetch_connect_token(server.http_port(), token)));
  }
  for (auto& client : clients) ASSERT_TRUE(client->connect()) << udp::to_string(client->state());
  for (auto& client : clients) ASSERT_TRUE(client->call(ping()).has_pong());
  const auto scrape = http_get(server.http_port(), "/metrics").body;
  EXPECT_EQ(metric_sample(scrape, "guildhall_connections_open{transport=\"udp\"}"), kClients);
}

TEST(Udp, AServerShuttingDownClosesUdpClientsWith3001) {
  server_process server;
  udp_client player(guest_udp_token(server, "udp-shutdown"));
  ASSERT_TRUE(player.connect());
  ASSERT_TRUE(player.call(ping()).has_pong());
  std::thread stopper([&] { server.stop(SIGTERM); });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!player.closing_code && std::chrono::steady_clock::now() < deadline) player.pump(20ms);
  stopper.join();
  ASSERT_TRUE(player.closing_code);
  EXPECT_EQ(*player.closing_code, 3001u);
}

TEST(Udp, ADisabledTransportServesNoTokens) {
  server_process server({"udp.enabled=false"});
  EXPECT_EQ(server.udp_port(), 0);
  EXPECT_THROW(guest_udp_token(server, "udp-off"), std::runtime_error);
}

}  // namespace guildhall::testing
