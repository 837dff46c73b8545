// Chat over real sockets: both transports, both payload formats, every shard.
#include <gtest/gtest.h>

#include <map>

#include "blocking_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

blocking_client connected(transport kind, const server_process& server, const std::string& device) {
  blocking_client client(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
  const auto answer = client.authenticate(guest_token(server.http_port(), device));
  if (!answer.has_authenticated()) throw std::runtime_error("authenticate failed: " + answer.DebugString());
  return client;
}

// Reads pushes until `count` chat messages arrived (or time runs out).
std::vector<v1::ChatMessage> read_messages(blocking_client& client, std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<v1::ChatMessage> messages;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto push = client.next_push(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (!push) break;
    if (push->has_chat_message()) messages.push_back(push->chat_message());
  }
  return messages;
}

}  // namespace

TEST(Chat, TcpAndWebSocketClientsTalkInOneChannel) {
  server_process server;
  auto tcp = connected(transport::tcp, server, "device-tcp-1");
  auto json = connected(transport::ws_json, server, "device-json-1");

  EXPECT_TRUE(tcp.join("lobby").has_channel_joined());
  const auto joined = json.join("lobby");
  ASSERT_TRUE(joined.has_channel_joined());
  EXPECT_EQ(joined.channel_joined().members_size(), 2);

  const auto accepted = tcp.say("lobby", "héllo from tcp");
  ASSERT_TRUE(accepted.has_message_accepted()) << accepted.DebugString();
  const auto got = read_messages(json, 1, 3s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text(), "héllo from tcp");
  EXPECT_EQ(got[0].channel(), "lobby");
  EXPECT_EQ(got[0].message_id(), accepted.message_accepted().message_id());

  // The sender sees its own message too, in the same order as everyone else.
  const auto echoed = read_messages(tcp, 1, 3s);
  ASSERT_EQ(echoed.size(), 1u);
  EXPECT_EQ(echoed[0].text(), "héllo from tcp");
}

TEST(Chat, TwoHundredClientsAcrossShardsLoseAndReorderNothing) {
  server_process server({"shards=2"});
  constexpr int kClients = 210;
  constexpr int kMessagesEach = 8;
  std::vector<blocking_client> clients;
  for (int i = 0; i < kClients; ++i) {
    const auto kind = i % 3 == 0 ? transport::tcp : i % 3 == 1 ? transport::ws_binary : transport::ws_json;
    clients.push_back(connected(kind, server, "device-many-" + std::to_string(i)));
    ASSERT_TRUE(clients.back().join("crowd").has_channel_joined());
  }
  // Everyone sends without waiting for answers, so the server sees interleaved traffic from all shards.
  for (int round = 0; round < kMessagesEach; ++round) {
    for (int i = 0; i < kClients; ++i) {
      v1::Envelope message;
      message.set_cid(1000 + static_cast<std::uint32_t>(round));
      message.mutable_send_message()->set_channel("crowd");
      message.mutable_send_message()->set_text(std::to_string(i) + ":" + std::to_string(round));
      clients[static_cast<std::size_t>(i)].send(message);
    }
  }
  for (int i = 0; i < kClients; ++i) {
    auto& client = clients[static_cast<std::size_t>(i)];
    const auto messages = read_messages(client, kClients * kMessagesEach, 30s);
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(kClients * kMessagesEach)) << "client " << i;
    std::map<int, int> next_round_of;
    std::uint64_t last_id = 0;
    for (const auto& message : messages) {
      const auto colon = message.text().find(':');
      const int sender = std::stoi(message.text().substr(0, colon));
      const int round = std::stoi(message.text().substr(colon + 1));
      EXPECT_EQ(round, next_round_of[sender]++) << "reordered from sender " << sender << " at client " << i;
      EXPECT_GT(message.message_id(), last_id) << "channel order differs at client " << i;
      last_id = message.message_id();
    }
  }
}

TEST(Chat, HistoryPagesNewestFirstWithACursor) {
  server_process server({"chat.message_burst=100"});
  auto client = connected(transport::ws_binary, server, "device-history");
  client.join("archive");
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(client.say("archive", "line " + std::to_string(i)).has_message_accepted());

  v1::Envelope request;
  request.mutable_channel_history()->set_channel("archive");
  request.mutable_channel_history()->set_limit(10);
  std::vector<std::string> seen;
  while (true) {
    const auto page = client.call(request);
    ASSERT_TRUE(page.has_history_page()) << page.DebugString();
    for (const auto& message : page.history_page().messages()) seen.push_back(message.text());
    if (page.history_page().next_before_id() == 0) break;
    request.mutable_channel_history()->set_before_id(page.history_page().next_before_id());
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(seen.front(), "line 24");
  EXPECT_EQ(seen.back(), "line 0");
}

TEST(Chat, DirectMessagesReachEveryConnectionOfBothPeopleAndAreKept) {
  server_process server({"auth.password_ops_limit=1", "auth.password_mem_limit=8192"});
  const auto ada = register_user(server.http_port(), "ada", "correct horse");
  const auto bob = register_user(server.http_port(), "bob", "battery staple");
  blocking_client ada_phone(transport::tcp, server.tcp_port());
  blocking_client ada_laptop(transport::ws_json, server.http_port());
  blocking_client bob_client(transport::ws_binary, server.http_port());
  ASSERT_TRUE(ada_phone.authenticate(ada.token()).has_authenticated());
  ASSERT_TRUE(ada_laptop.authenticate(ada.token()).has_authenticated());
  ASSERT_TRUE(bob_client.authenticate(bob.token()).has_authenticated());

  v1::Envelope direct;
  direct.mutable_send_direct()->set_to_username("ADA");  // names match without case
  direct.mutable_send_direct()->set_text("hi ada");
  ASSERT_TRUE(bob_client.call(direct).has_message_accepted());
  for (auto* client : {&ada_phone, &ada_laptop, &bob_client}) {
    const auto got = read_messages(*client, 1, 3s);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].from_username(), "bob");
    EXPECT_EQ(got[0].to_username(), "ada");
    EXPECT_EQ(got[0].text(), "hi ada");
  }

  v1::Envelope history;
  history.mutable_direct_history()->set_with_username("bob");
  const auto page = ada_phone.call(history);
  ASSERT_EQ(page.history_page().messages_size(), 1);
  EXPECT_EQ(page.history_page().messages(0).text(), "hi ada");

  direct.mutable_send_direct()->set_to_username("nobody");
  EXPECT_EQ(bob_client.call(direct).error().code(), v1::NOT_FOUND);
}

TEST(Chat, PresenceTellsMembersWhoJoinsLeavesAndGoesOffline) {
  server_process server;
  auto watcher = connected(transport::tcp, server, "device-watcher");
  watcher.join("plaza");
  auto next_presence = [&] {
    while (auto push = watcher.next_push(3s)) {
      if (push->has_presence()) return push->presence();
    }
    return v1::PresenceEvent();
  };
  EXPECT_EQ(next_presence().kind(), v1::PresenceEvent::JOINED);  // the watcher's own join
  {
    auto visitor = connected(transport::ws_binary, server, "device-visitor");
    visitor.join("plaza");
    const auto joined = next_presence();
    EXPECT_EQ(joined.kind(), v1::PresenceEvent::JOINED);
    EXPECT_EQ(joined.channel(), "plaza");
    v1::Envelope leave;
    leave.mutable_leave_channel()->set_channel("plaza");
    EXPECT_TRUE(visitor.call(leave).has_channel_left());
    EXPECT_EQ(next_presence().kind(), v1::PresenceEvent::LEFT);
    visitor.join("plaza");
    EXPECT_EQ(next_presence().kind(), v1::PresenceEvent::JOINED);
  }  // the visitor's socket closes here
  EXPECT_EQ(next_presence().kind(), v1::PresenceEvent::OFFLINE);
  auto back = connected(transport::tcp, server, "device-visitor");
  back.join("plaza");
  EXPECT_EQ(next_presence().kind(), v1::PresenceEvent::ONLINE);

  v1::Envelope members;
  members.mutable_list_members()->set_channel("plaza");
  EXPECT_EQ(watcher.call(members).member_list().members_size(), 2);
}

}  // namespace guildhall::testing

namespace guildhall::testing {

// Regression: join/send hashed a moved-from (empty) channel name, so every channel lived on one shard while a
// disconnect looked for it on the shard of its real name, and half the departed users stayed members forever.
TEST(Chat, RegressionDisconnectFindsEachChannelOnItsOwnShard) {
  server_process server({"shards=2", "chat.message_burst=100"});  // 24 joins and member lists, which spend it
  blocking_client watcher(transport::tcp, server.tcp_port());
  watcher.authenticate(guest_token(server.http_port(), "device-regression-watcher"));
  constexpr int kChannels = 12;  // names that hash to both shards
  for (int i = 0; i < kChannels; ++i) ASSERT_TRUE(watcher.join("room" + std::to_string(i)).has_channel_joined());
  for (int i = 0; i < kChannels; ++i) {
    blocking_client visitor(transport::ws_binary, server.http_port());
    visitor.authenticate(guest_token(server.http_port(), "device-regression-" + std::to_string(i)));
    ASSERT_TRUE(visitor.join("room" + std::to_string(i)).has_channel_joined());
  }  // each visitor disconnects at the end of its iteration
  int offline = 0;
  while (auto push = watcher.next_push(2s)) offline += push->has_presence() && push->presence().kind() == v1::PresenceEvent::OFFLINE;
  EXPECT_EQ(offline, kChannels);
  for (int i = 0; i < kChannels; ++i) {
    v1::Envelope members;
    members.mutable_list_members()->set_channel("room" + std::to_string(i));
    EXPECT_EQ(watcher.call(members).member_list().members_size(), 1) << "room" << i;
  }
}

}  // namespace guildhall::testing
