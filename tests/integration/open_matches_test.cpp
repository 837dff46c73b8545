// The open-match list as a lobby sees it: each open match says whether its creator is connected, a match whose
// creator has been away for turns.open_match_offline_ttl_ms is withdrawn, and a subscribed connection is told
// of every change (created, creator gone or back, joined, cancelled, expired) without asking again.
#include <gtest/gtest.h>

#include "match_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct lobby {
  explicit lobby(std::vector<std::string> settings = {"turns.sweep_interval_ms=20"}) : server(std::move(settings)) {}
  server_process server;
  v1::AuthSession watcher_session = register_user(server.http_port(), "wendy", "long enough");
  v1::AuthSession creator_session = register_user(server.http_port(), "cecil", "long enough");
  blocking_client watcher = connect(transport::ws_json, watcher_session);
  std::optional<blocking_client> creator{connect(transport::tcp, creator_session)};

  blocking_client connect(transport kind, const v1::AuthSession& session) {
    blocking_client client(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
    EXPECT_TRUE(client.authenticate(session.token()).has_authenticated());
    return client;
  }

  v1::MatchList list(blocking_client& client, bool subscribe) {
    v1::Envelope request;
    request.mutable_list_open_matches()->set_game("tictactoe");
    request.mutable_list_open_matches()->set_subscribe(subscribe);
    const auto answer = client.call(request);
    EXPECT_TRUE(answer.has_match_list()) << answer.DebugString();
    return answer.match_list();
  }

  // The next change to the watcher's list, skipping other pushes.
  std::optional<v1::OpenMatchesChanged> next_change(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto push = watcher.next_push(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!push) return std::nullopt;
      if (push->has_open_matches_changed()) return push->open_matches_changed();
    }
    return std::nullopt;
  }

  std::uint64_t create() {
    const auto created = create_match(*creator);
    EXPECT_TRUE(created.has_match_snapshot()) << created.DebugString();
    return created.match_snapshot().info().match_id();
  }
};

TEST(OpenMatches, TheListMarksCreatorsOnlineOrOfflineAndUpdatesLive) {
  lobby t;
  EXPECT_EQ(t.list(t.watcher, true).matches_size(), 0);
  const auto id = t.create();
  auto change = t.next_change();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->kind(), v1::OpenMatchesChanged::ADDED);
  EXPECT_EQ(change->match().match_id(), id);
  EXPECT_TRUE(change->match().creator_online());

  t.creator.reset();  // the creator goes away: the list says so
  change = t.next_change();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->kind(), v1::OpenMatchesChanged::UPDATED);
  EXPECT_FALSE(change->match().creator_online());
  const auto listed = t.list(t.watcher, true);
  ASSERT_EQ(listed.matches_size(), 1);
  EXPECT_FALSE(listed.matches(0).creator_online());

  t.creator.emplace(t.connect(transport::ws_binary, t.creator_session));  // and back
  change = t.next_change();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->kind(), v1::OpenMatchesChanged::UPDATED);
  EXPECT_TRUE(change->match().creator_online());

  auto joiner = t.connect(transport::tcp, register_user(t.server.http_port(), "jonas", "long enough"));
  ASSERT_TRUE(join_match(joiner, id).has_match_snapshot());  // joined: it leaves the list, started
  change = t.next_change();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->kind(), v1::OpenMatchesChanged::REMOVED);
  EXPECT_EQ(change->match().status(), v1::MatchInfo::ACTIVE);

  const auto cancelled = t.create();  // cancelled by its creator: it leaves the list too
  ASSERT_EQ(t.next_change()->kind(), v1::OpenMatchesChanged::ADDED);
  v1::Envelope leave;
  leave.mutable_leave_match()->set_match_id(cancelled);
  ASSERT_TRUE(t.creator->call(leave).has_match_left());
  change = t.next_change();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->kind(), v1::OpenMatchesChanged::REMOVED);
  EXPECT_EQ(change->match().status(), v1::MatchInfo::ABORTED);

  t.list(t.watcher, false);  // unsubscribed: nothing more comes
  t.create();
  EXPECT_FALSE(t.next_change(500ms));
}

// Regression: an open match whose creator had gone stayed listed and joinable for a day.
TEST(OpenMatches, AMatchWhoseCreatorStaysAwayExpires) {
  lobby t({"turns.sweep_interval_ms=20", "turns.open_match_offline_ttl_ms=300"});
  t.list(t.watcher, true);
  const auto id = t.create();
  ASSERT_EQ(t.next_change()->kind(), v1::OpenMatchesChanged::ADDED);
  t.creator.reset();
  std::optional<v1::OpenMatchesChanged> change;
  while ((change = t.next_change()) && change->kind() != v1::OpenMatchesChanged::REMOVED) {}
  ASSERT_TRUE(change) << t.server.log();
  EXPECT_EQ(change->match().match_id(), id);
  EXPECT_EQ(change->match().status(), v1::MatchInfo::ABORTED);
  EXPECT_EQ(change->match().result().reason(), "creator offline");
  EXPECT_EQ(t.list(t.watcher, false).matches_size(), 0);
  EXPECT_EQ(join_match(t.watcher, id).error().code(), v1::MATCH_CLOSED);
}

TEST(OpenMatches, InviteOnlyMatchesArePushedToTheirGuestsOnly) {
  lobby t;
  auto guest = t.connect(transport::tcp, register_user(t.server.http_port(), "gus", "long enough"));
  t.list(t.watcher, true);
  t.list(guest, true);
  match_options invite_only;
  invite_only.invite = {"gus"};
  ASSERT_TRUE(create_match(*t.creator, invite_only).has_match_snapshot());
  std::optional<v1::Envelope> push;
  while ((push = guest.next_push()) && !push->has_open_matches_changed()) {}
  ASSERT_TRUE(push);
  EXPECT_EQ(push->open_matches_changed().kind(), v1::OpenMatchesChanged::ADDED);
  EXPECT_FALSE(t.next_change(500ms));  // wendy is not invited
}

}  // namespace
}  // namespace guildhall::testing
