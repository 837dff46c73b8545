// Connection and server lifecycle: timeouts, slow readers, graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>

#include "blocking_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {

TEST(Lifecycle, SilentClientsAreClosedAfterTheIdleTimeout) {
  server_process server({"limits.idle_timeout_ms=400"});
  blocking_client client(transport::ws_binary, server.http_port());
  client.authenticate(guest_token(server.http_port(), "device-idle"));
  EXPECT_TRUE(client.wait_closed(3s));
  EXPECT_EQ(client.closing_code, 4001u);
  EXPECT_EQ(client.websocket_close_code, 4001);
}

TEST(Lifecycle, PingsKeepAConnectionAlive) {
  server_process server({"limits.idle_timeout_ms=400"});
  blocking_client client(transport::tcp, server.tcp_port());
  client.authenticate(guest_token(server.http_port(), "device-pinger"));
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(200ms);
    v1::Envelope ping;
    ping.mutable_ping();
    ASSERT_TRUE(client.call(ping).has_pong()) << "closed after " << i << " pings";
  }
}

TEST(Lifecycle, ClientsThatNeverAuthenticateAreClosed) {
  server_process server({"limits.auth_timeout_ms=300"});
  blocking_client client(transport::tcp, server.tcp_port());
  EXPECT_TRUE(client.wait_closed(3s));
  EXPECT_EQ(client.closing_code, 4003u);
}

TEST(Lifecycle, AReaderThatFallsBehindIsDisconnectedNotBuffered) {
  // A long linger: the sleeper reads only after the whole flood, seconds after it was told to go.
  server_process server({"limits.max_outbound_bytes=262144", "chat.messages_per_second=100000",
                         "chat.message_burst=100000", "chat.max_message_bytes=60000", "limits.close_linger_ms=30000"});
  blocking_client sleeper(transport::tcp, server.tcp_port());
  sleeper.authenticate(guest_token(server.http_port(), "device-sleeper"));
  sleeper.join("firehose");
  blocking_client talker(transport::tcp, server.tcp_port());
  talker.authenticate(guest_token(server.http_port(), "device-firehose"));
  talker.join("firehose");

  // 24 MB through the channel while the sleeper reads nothing: far past the socket buffers and its 256 KiB
  // queue. The talker waits for each acknowledgement, reading its own echoes, so it keeps up.
  const std::string text(60000, 'x');
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(talker.say("firehose", text).has_message_accepted()) << "message " << i;
    talker.pushes.clear();
  }
  EXPECT_TRUE(sleeper.wait_closed(20s));
  EXPECT_EQ(sleeper.closing_code, 4006u);
  ASSERT_FALSE(talker.closed()) << "talker closed with " << talker.closing_code.value_or(0);
}

namespace {

// True when no byte to or from `port` waits in a kernel queue on its way to the server: every client socket's send
// queue and every server socket's receive queue on that port is empty (/proc/net/tcp, loopback IPv4).
bool server_has_read_everything(std::uint16_t port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues;
    fields >> slot >> local >> remote >> state >> queues;
    const auto port_of = [](const std::string& address) { return std::stoul(address.substr(address.find(':') + 1), nullptr, 16); };
    const auto colon = queues.find(':');
    const unsigned long tx = std::stoul(queues.substr(0, colon), nullptr, 16);
    const unsigned long rx = std::stoul(queues.substr(colon + 1), nullptr, 16);
    if (port_of(remote) == port && tx != 0) return false;
    if (port_of(local) == port && rx != 0) return false;
  }
  return true;
}

}  // namespace

// Regression: a connection that was closing kept feeding what it read to its framer, so a peer that went on
// sending grew the server's memory by every byte it sent until close_linger_ms.
TEST(Lifecycle, AClosingConnectionDropsWhatItReadsInsteadOfFramingIt) {
  server_process server({"limits.max_outbound_bytes=65536", "limits.close_linger_ms=60000"});
  blocking_client client(transport::ws_binary, server.http_port(), 4096);
  ASSERT_TRUE(client.authenticate(guest_token(server.http_port(), "device-chatterbox")).has_authenticated());
  const long before_kib = resident_kib_of(server.pid());

  // Pings whose pongs the client never reads: the server's socket fills, its queue passes 64 KiB and it closes the
  // connection, but cannot write its goodbye, so the connection stays closing for the whole linger.
  const wire::ws::mask_key mask{1, 2, 3, 4};
  const std::string ping = wire::ws::make_frame(wire::ws::opcode::ping, std::string(125, 'p'), mask);
  std::string pings;
  for (int i = 0; i < 1000; ++i) pings += ping;
  for (int i = 0; i < 100; ++i) client.send_raw(pings);  // 12.7 MB of pings, as many bytes of pongs
  // Then 64 MiB more, which a framer would keep.
  const std::string junk(1 << 20, 'x');
  for (int i = 0; i < 64; ++i) client.send_raw(junk);

  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!server_has_read_everything(server.http_port()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(server_has_read_everything(server.http_port())) << "the server stopped reading";
  const long grown_kib = resident_kib_of(server.pid()) - before_kib;
  EXPECT_LT(grown_kib, 32 * 1024) << "the server kept " << grown_kib << " KiB of what a closing connection sent";
}

TEST(Lifecycle, SigtermTellsClientsAndExitsCleanly) {
  server_process server;
  blocking_client tcp(transport::tcp, server.tcp_port());
  tcp.authenticate(guest_token(server.http_port(), "device-drain-1"));
  blocking_client ws(transport::ws_json, server.http_port());
  ws.authenticate(guest_token(server.http_port(), "device-drain-2"));
  blocking_client anonymous(transport::tcp, server.tcp_port());

  const auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] { EXPECT_EQ(server.stop(SIGTERM), 0); });
  for (auto* client : {&tcp, &ws, &anonymous}) {
    EXPECT_TRUE(client->wait_closed(5s));
    EXPECT_EQ(client->closing_code, 3001u);
  }
  EXPECT_EQ(ws.websocket_close_code, 3001);
  stopper.join();
  // Clients that keep their sockets open get close_linger_ms (2 s) to read the goodbye, not the 5 s grace period.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4500ms) << "drain should not wait for the grace period";
}

// Messages wait up to chat.store_batch_ms before their batch goes to the database. A shutdown inside that wait
// must still store them: here the wait is a second, longer than the test takes to stop the server.
TEST(Lifecycle, SigtermStoresMessagesStillWaitingForTheirBatch) {
  server_process server({"chat.store_batch_ms=1000"});
  {
    blocking_client client(transport::tcp, server.tcp_port());
    client.authenticate(guest_token(server.http_port(), "device-batch"));
    ASSERT_TRUE(client.join("archive").has_channel_joined());
    v1::Envelope say;
    say.mutable_send_message()->set_channel("archive");
    say.mutable_send_message()->set_text("stored at shutdown");
    client.send(say);
    // Delivered to its sender at once (deliveries never wait for the store); not yet acknowledged.
    std::optional<v1::Envelope> echo;
    while ((echo = client.next_push(2s)) && !echo->has_chat_message()) {
    }
    ASSERT_TRUE(echo.has_value()) << "the message was not delivered";
  }  // gone: the drain then has no connection to wait for, so it ends before the batch's second is up
  EXPECT_EQ(server.stop(SIGTERM), 0);
  server.start();
  blocking_client reader(transport::tcp, server.tcp_port());
  reader.authenticate(guest_token(server.http_port(), "device-batch-reader"));
  ASSERT_TRUE(reader.join("archive").has_channel_joined());
  v1::Envelope history;
  history.mutable_channel_history()->set_channel("archive");
  const auto page = reader.call(history);
  ASSERT_TRUE(page.has_history_page()) << page.DebugString();
  ASSERT_EQ(page.history_page().messages_size(), 1);
  EXPECT_EQ(page.history_page().messages(0).text(), "stored at shutdown");
}

}  // namespace guildhall::testing
