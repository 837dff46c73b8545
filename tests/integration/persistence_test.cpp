// Durability and resumption: accounts and history survive restarts, including kill -9, and clients pick up
// where they left off.
#include <gtest/gtest.h>
#include <signal.h>

#include "blocking_client.hpp"
#include "client/http_login.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

std::vector<std::string> history_texts(blocking_client& client, const std::string& channel, std::uint64_t before_id = 0) {
  v1::Envelope request;
  request.mutable_channel_history()->set_channel(channel);
  request.mutable_channel_history()->set_before_id(before_id);
  request.mutable_channel_history()->set_limit(100);
  const auto page = client.call(request);
  std::vector<std::string> texts;
  for (const auto& message : page.history_page().messages()) texts.push_back(message.text());
  return texts;
}

}  // namespace

TEST(Persistence, AccountsTokensAndHistorySurviveARestart) {
  const std::string data = make_temp_dir("guildhall-restart");
  v1::AuthSession session;
  {
    server_process server({}, data);
    session = register_user(server.http_port(), "dana", "long enough");
    blocking_client client(transport::tcp, server.tcp_port());
    client.authenticate(session.token());
    client.join("saga");
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.say("saga", "chapter " + std::to_string(i)).has_message_accepted());
    EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  }
  server_process server({}, data);
  // The token signed before the restart is still good (the key is kept in the data folder) ...
  blocking_client client(transport::ws_json, server.http_port());
  EXPECT_TRUE(client.authenticate(session.token()).has_authenticated());
  // ... the password still logs in ...
  v1::AuthRequest login;
  login.set_username("dana");
  login.set_password("long enough");
  EXPECT_TRUE(client::call_auth("127.0.0.1", server.http_port(), "login", login));
  // ... and the history is all there.
  client.join("saga");
  const auto texts = history_texts(client, "saga");
  ASSERT_EQ(texts.size(), 5u);
  EXPECT_EQ(texts.front(), "chapter 4");
}

TEST(Persistence, AcknowledgedMessagesSurviveKillNine) {
  const std::string data = make_temp_dir("guildhall-kill9");
  std::string token;
  std::vector<std::string> acknowledged;
  {
    server_process server({"chat.message_burst=1000", "chat.messages_per_second=1000"}, data);
    token = guest_token(server.http_port(), "device-kill9");
    blocking_client client(transport::tcp, server.tcp_port());
    client.authenticate(token);
    client.join("ledger");
    for (int i = 0; i < 300; ++i) {
      const std::string text = "entry " + std::to_string(i);
      if (client.say("ledger", text).has_message_accepted()) acknowledged.push_back(text);
    }
    EXPECT_EQ(server.stop(SIGKILL), 128 + SIGKILL);
  }
  ASSERT_EQ(acknowledged.size(), 300u);
  server_process server({}, data);
  blocking_client client(transport::tcp, server.tcp_port());
  client.authenticate(token);
  client.join("ledger");
  std::vector<std::string> stored;
  std::uint64_t before = 0;
  while (true) {
    v1::Envelope request;
    request.mutable_channel_history()->set_channel("ledger");
    request.mutable_channel_history()->set_before_id(before);
    request.mutable_channel_history()->set_limit(100);
    const auto page = client.call(request);
    for (const auto& message : page.history_page().messages()) stored.push_back(message.text());
    before = page.history_page().next_before_id();
    if (before == 0) break;
  }
  ASSERT_EQ(stored.size(), acknowledged.size());
  std::reverse(stored.begin(), stored.end());
  EXPECT_EQ(stored, acknowledged);
}

TEST(Persistence, AReconnectingClientResumesWhereItLeftOff) {
  server_process server;
  const std::string token = guest_token(server.http_port(), "device-resume");
  auto talker = blocking_client(transport::tcp, server.tcp_port());
  talker.authenticate(guest_token(server.http_port(), "device-talker"));
  talker.join("radio");

  std::uint64_t last_seen = 0;
  {
    blocking_client listener(transport::ws_binary, server.http_port());
    listener.authenticate(token);
    listener.join("radio");
    ASSERT_TRUE(talker.say("radio", "before the drop").has_message_accepted());
    while (auto push = listener.next_push(3s)) {
      if (push->has_chat_message()) {
        last_seen = push->chat_message().message_id();
        break;
      }
    }
    ASSERT_NE(last_seen, 0u);
  }  // the listener's connection drops
  ASSERT_TRUE(talker.say("radio", "missed 1").has_message_accepted());
  ASSERT_TRUE(talker.say("radio", "missed 2").has_message_accepted());

  // Same token, new connection: authenticate, rejoin, and fetch what came after the last message seen.
  blocking_client listener(transport::ws_binary, server.http_port());
  ASSERT_TRUE(listener.authenticate(token).has_authenticated());
  ASSERT_TRUE(listener.join("radio").has_channel_joined());
  std::vector<std::string> missed;
  v1::Envelope request;
  request.mutable_channel_history()->set_channel("radio");
  const auto page = listener.call(request);
  for (const auto& message : page.history_page().messages()) {
    if (message.message_id() > last_seen) missed.push_back(message.text());
  }
  EXPECT_EQ(missed, (std::vector<std::string>{"missed 2", "missed 1"}));
  // And it is live again.
  ASSERT_TRUE(talker.say("radio", "welcome back").has_message_accepted());
  bool live = false;
  while (auto push = listener.next_push(3s)) {
    if (push->has_chat_message() && push->chat_message().text() == "welcome back") {
      live = true;
      break;
    }
  }
  EXPECT_TRUE(live);
}

}  // namespace guildhall::testing
