// services::matchmaker_service end to end on a real shard, with the room engine's seam (room_allocator) played by
// a recorder the test answers, injected time, and recorded pushes: tickets, parties, cancellation, reservation
// tokens reaching each player, and what a failed placement does.
#include "services/matchmaker/matchmaker_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "recording_connection.hpp"

namespace guildhall::services {
namespace {
namespace v1 = wire::v1;
using namespace std::chrono_literals;

constexpr std::int64_t kStart = 1'800'000'000'000;

// The room engine's side of the seam: remembers each request; the test answers it.
class recording_allocator final : public room_allocator {
 public:
  struct call {
    std::string room_type;
    std::map<std::string, std::string, std::less<>> options;
    std::vector<std::uint64_t> user_ids;
    std::move_only_function<void(std::expected<placement, std::string>)> done;
  };
  void allocate(std::string_view room_type, const std::map<std::string, std::string, std::less<>>& options,
                std::vector<std::uint64_t> user_ids,
                std::move_only_function<void(std::expected<placement, std::string>)> done) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({std::string(room_type), options, std::move(user_ids), std::move(done)});
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }
  call take(std::size_t index) {
    std::lock_guard lock(mutex_);
    return std::move(calls_.at(index));
  }

 private:
  std::mutex mutex_;
  std::vector<call> calls_;
};

class MatchmakerService : public ::testing::Test {
 protected:
  MatchmakerService() {
    matchmaker_config config;
    config.fill_wait_ms = 0;
    service_ = std::make_unique<matchmaker_service>(
        shards_, &rooms_,
        [](std::string_view type) -> std::optional<int> {
          if (type == "dots") return 2;
          if (type == "squad") return 4;
          return std::nullopt;
        },
        [this](std::uint64_t user_id, v1::Envelope message, std::move_only_function<void()> when_offline) {
          std::lock_guard lock(mutex_);
          if (!online_.contains(user_id)) return when_offline();
          pushes_[user_id].push_back(std::move(message));
        },
        config, [this] { return now_.load(); });
    shards_.start();
  }
  ~MatchmakerService() override { shards_.stop(); }

  // Runs `work` on the matchmaker's shard and waits for it; also flushes everything posted there before.
  void on_shard(std::move_only_function<void()> work) {
    std::promise<void> ran;
    shards_.post(matchmaker_service::kShard, [&] {
      work();
      ran.set_value();
    });
    ASSERT_EQ(ran.get_future().wait_for(5s), std::future_status::ready);
  }
  void settle() { on_shard([] {}); }

  void connect(const identity& who) {
    {
      std::lock_guard lock(mutex_);
      online_.insert(who.user_id);
    }
    service_->connected(who);
  }
  void disconnect(const identity& who) {
    {
      std::lock_guard lock(mutex_);
      online_.erase(who.user_id);
    }
    service_->disconnected(who);
  }

  v1::Envelope add(const identity& who, v1::MatchmakerAdd request) {
    const std::uint32_t cid = next_cid_++;
    service_->add(who, device_, cid, std::move(request));
    settle();
    // Already sent (settled): no wait.
    auto answer = device_->next([cid](const v1::Envelope& e) { return e.cid() == cid; }, 0ms);
    return answer ? *answer : v1::Envelope{};
  }
  v1::Envelope remove(const identity& who, std::uint64_t ticket) {
    const std::uint32_t cid = next_cid_++;
    service_->remove(who, device_, cid, ticket);
    settle();
    // Already sent (settled): no wait.
    auto answer = device_->next([cid](const v1::Envelope& e) { return e.cid() == cid; }, 0ms);
    return answer ? *answer : v1::Envelope{};
  }
  static v1::MatchmakerAdd request(std::string room_type, std::vector<std::string> party = {}) {
    v1::MatchmakerAdd made;
    made.set_room_type(std::move(room_type));
    for (auto& name : party) made.add_party(std::move(name));
    return made;
  }
  void process() {
    on_shard([this] { service_->process(); });
  }
  std::vector<v1::Envelope> pushes_to(std::uint64_t user_id) {
    std::lock_guard lock(mutex_);
    return pushes_[user_id];
  }
  std::size_t queued() {
    std::size_t count = 0;
    on_shard([&] { count = service_->queued(); });
    return count;
  }

  const identity ada{1, "Ada"}, bob{2, "bob"}, cy{3, "cy"}, dee{4, "dee"};
  net::shard_pool shards_{1};
  recording_allocator rooms_;
  std::atomic<std::int64_t> now_{kStart};
  std::mutex mutex_;
  std::set<std::uint64_t> online_;
  std::map<std::uint64_t, std::vector<v1::Envelope>> pushes_;
  std::shared_ptr<recording_connection> device_ = std::make_shared<recording_connection>(1);
  std::uint32_t next_cid_ = 1;
  std::unique_ptr<matchmaker_service> service_;
};

TEST_F(MatchmakerService, ReservationTokensReachEveryPlayer) {
  connect(ada);
  connect(bob);
  auto wants_eu = request("dots");
  (*wants_eu.mutable_string_properties())["region"] = "eu";
  (*wants_eu.mutable_query()->mutable_equal())["region"] = "eu";
  const auto first = add(ada, wants_eu);
  ASSERT_TRUE(first.has_matchmaker_ticket()) << first.DebugString();
  EXPECT_EQ(first.matchmaker_ticket().room_type(), "dots");
  const auto second = add(bob, wants_eu);
  ASSERT_TRUE(second.has_matchmaker_ticket()) << second.DebugString();

  process();
  ASSERT_EQ(rooms_.count(), 1u);
  auto call = rooms_.take(0);
  EXPECT_EQ(call.room_type, "dots");
  EXPECT_EQ(call.user_ids, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(call.options, (std::map<std::string, std::string, std::less<>>{{"region", "eu"}}));
  EXPECT_EQ(queued(), 0u);
  EXPECT_TRUE(pushes_to(1).empty()) << "nobody is told before the room exists";

  // The room engine answers from another thread, as it would from the room's shard.
  std::thread([done = std::move(call.done)]() mutable {
    done(room_allocator::placement{77, {{1, "token-ada"}, {2, "token-bob"}}});
  }).join();
  settle();
  for (const auto& [who, ticket, token] : {std::tuple{ada, first.matchmaker_ticket().ticket(), "token-ada"},
                                           std::tuple{bob, second.matchmaker_ticket().ticket(), "token-bob"}}) {
    const auto got = pushes_to(who.user_id);
    ASSERT_EQ(got.size(), 1u) << who.username;
    ASSERT_TRUE(got[0].has_matchmaker_matched()) << got[0].DebugString();
    const auto& matched = got[0].matchmaker_matched();
    EXPECT_EQ(got[0].cid(), 0u);
    EXPECT_EQ(matched.ticket(), ticket);
    EXPECT_EQ(matched.room_id(), 77u);
    EXPECT_EQ(matched.room_type(), "dots");
    EXPECT_EQ(matched.reservation(), token) << "each player gets their own token";
    ASSERT_EQ(matched.players_size(), 2);
    EXPECT_EQ(matched.players(0).username(), "Ada");
    EXPECT_EQ(matched.players(1).username(), "bob");
  }
  // Matched players hold no ticket any more: they may queue again.
  EXPECT_TRUE(add(ada, request("dots")).has_matchmaker_ticket());
}

TEST_F(MatchmakerService, AFailedPlacementRequeuesAndTheThirdTellsThePlayers) {
  connect(ada);
  connect(bob);
  const auto ticket = add(ada, request("dots")).matchmaker_ticket().ticket();
  add(bob, request("dots"));
  for (std::size_t attempt = 0; attempt < matchmaker_service::kMaxPlacementAttempts; ++attempt) {
    process();
    ASSERT_EQ(rooms_.count(), attempt + 1) << "placement " << attempt;
    rooms_.take(attempt).done(std::unexpected(std::string("the server is full")));
    settle();
    if (attempt + 1 < matchmaker_service::kMaxPlacementAttempts) {
      EXPECT_EQ(queued(), 2u) << "back in the queue";
      EXPECT_TRUE(pushes_to(1).empty());
    }
  }
  EXPECT_EQ(queued(), 0u);
  const auto got = pushes_to(1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].has_matchmaker_cancelled());
  EXPECT_EQ(got[0].matchmaker_cancelled().ticket(), ticket);
  EXPECT_NE(got[0].matchmaker_cancelled().reason().find("the server is full"), std::string::npos);
  EXPECT_EQ(pushes_to(2).size(), 1u);
  EXPECT_TRUE(add(bob, request("dots")).has_matchmaker_ticket()) << "a cancelled ticket frees its players";
}

TEST_F(MatchmakerService, APartyNeedsEveryMemberOnlineAndUnqueued) {
  connect(ada);
  auto refused = add(ada, request("squad", {"bob"}));
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::NOT_ONLINE);

  connect(bob);
  connect(cy);
  const auto alone = add(cy, request("squad"));
  ASSERT_TRUE(alone.has_matchmaker_ticket());
  refused = add(ada, request("squad", {"BOB", "cy"}));  // names are matched regardless of case
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ALREADY_QUEUED);
  ASSERT_TRUE(remove(cy, alone.matchmaker_ticket().ticket()).has_matchmaker_removed());

  const auto party = add(ada, request("squad", {"BOB", "cy"}));
  ASSERT_TRUE(party.has_matchmaker_ticket()) << party.DebugString();
  ASSERT_EQ(party.matchmaker_ticket().party_size(), 3);
  EXPECT_EQ(party.matchmaker_ticket().party(0).username(), "Ada") << "the leader first";
  for (const auto member : {2u, 3u}) {
    const auto told = pushes_to(member);
    ASSERT_EQ(told.size(), 1u);
    ASSERT_TRUE(told[0].has_matchmaker_ticket());
    EXPECT_EQ(told[0].matchmaker_ticket().ticket(), party.matchmaker_ticket().ticket());
  }
  refused = add(bob, request("dots"));
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ALREADY_QUEUED) << "one ticket per user, across room types";

  refused = add(dee, request("squad", {"ada"}));
  EXPECT_EQ(refused.error().code(), v1::ALREADY_QUEUED);
}

TEST_F(MatchmakerService, AMemberDisconnectingCancelsThePartysTicket) {
  connect(ada);
  connect(bob);
  connect(cy);
  const auto party = add(ada, request("squad", {"bob", "cy"}));
  ASSERT_TRUE(party.has_matchmaker_ticket());
  connect(bob);  // a second device: closing one of two connections is not leaving
  disconnect(bob);
  settle();
  EXPECT_EQ(queued(), 1u);
  disconnect(bob);
  settle();
  EXPECT_EQ(queued(), 0u);
  for (const auto member : {1u, 3u}) {
    const auto told = pushes_to(member);
    ASSERT_FALSE(told.empty());
    ASSERT_TRUE(told.back().has_matchmaker_cancelled()) << told.back().DebugString();
    EXPECT_EQ(told.back().matchmaker_cancelled().reason(), "bob disconnected");
  }
  EXPECT_TRUE(add(ada, request("squad", {"cy"})).has_matchmaker_ticket());
}

TEST_F(MatchmakerService, RemovingTellsTheRestOfTheParty) {
  connect(ada);
  connect(bob);
  const auto party = add(ada, request("squad", {"bob"}));
  const auto ticket = party.matchmaker_ticket().ticket();
  auto wrong = remove(ada, ticket + 1);
  ASSERT_TRUE(wrong.has_error());
  EXPECT_EQ(wrong.error().code(), v1::NOT_FOUND);
  wrong = remove(cy, ticket);
  EXPECT_EQ(wrong.error().code(), v1::NOT_FOUND) << "only its own players may cancel a ticket";
  const auto removed = remove(bob, ticket);
  ASSERT_TRUE(removed.has_matchmaker_removed()) << removed.DebugString();
  EXPECT_EQ(removed.matchmaker_removed().ticket(), ticket);
  const auto told = pushes_to(1);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].matchmaker_cancelled().reason(), "bob left the queue");
  EXPECT_EQ(pushes_to(2).size(), 1u) << "bob hears only of the ticket, not of his own leaving";
  EXPECT_EQ(queued(), 0u);
}

TEST_F(MatchmakerService, LeavingWhileTheRoomIsMadeMeansNoMatchPush) {
  connect(ada);
  connect(bob);
  const auto ticket = add(ada, request("dots")).matchmaker_ticket().ticket();
  add(bob, request("dots"));
  process();
  ASSERT_EQ(rooms_.count(), 1u);
  ASSERT_TRUE(remove(ada, ticket).has_matchmaker_removed());
  rooms_.take(0).done(room_allocator::placement{5, {{1, "a"}, {2, "b"}}});
  settle();
  EXPECT_TRUE(pushes_to(1).empty()) << "ada left: her reservation just expires unused";
  const auto got = pushes_to(2);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].has_matchmaker_matched());
  EXPECT_EQ(got[0].matchmaker_matched().players_size(), 1);
}

TEST_F(MatchmakerService, UnknownRoomTypesAndBadTicketsAreRefused) {
  connect(ada);
  auto refused = add(ada, request("no-such-room"));
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::ROOM_NOT_FOUND);
  auto bad = request("dots");
  bad.set_max_count(3);  // more than the room's two seats
  refused = add(ada, bad);
  EXPECT_EQ(refused.error().code(), v1::INVALID_ARGUMENT);
  bad = request("dots");
  for (int i = 0; i < 17; ++i) (*bad.mutable_numeric_properties())["p" + std::to_string(i)] = i;
  refused = add(ada, bad);
  EXPECT_EQ(refused.error().code(), v1::INVALID_ARGUMENT);
  bad = request("dots");
  (*bad.mutable_query()->mutable_ranges())["skill"].set_min(10);  // min 10 > max 0
  refused = add(ada, bad);
  EXPECT_EQ(refused.error().code(), v1::INVALID_ARGUMENT);
  EXPECT_EQ(queued(), 0u);
  EXPECT_TRUE(add(ada, request("dots")).has_matchmaker_ticket()) << "a refused request leaves no trace";
}

TEST_F(MatchmakerService, QueriesWidenWithTheInjectedClock) {
  connect(ada);
  connect(bob);
  auto skilled = [](double skill) {
    auto made = request("dots");
    (*made.mutable_numeric_properties())["skill"] = skill;
    auto& range = (*made.mutable_query()->mutable_ranges())["skill"];
    range.set_min(skill - 100);
    range.set_max(skill + 100);  // widening from the server's defaults: 10 a second, at most 500
    return made;
  };
  add(ada, skilled(1500));
  add(bob, skilled(1800));
  process();
  EXPECT_EQ(rooms_.count(), 0u);
  now_ += 19'000;  // +190 on each side: 1210..1790 and 1510..2090 each miss the other
  process();
  EXPECT_EQ(rooms_.count(), 0u);
  now_ += 1'000;  // +200: 1200..1800 and 1500..2100 now hold each other
  process();
  EXPECT_EQ(rooms_.count(), 1u);
}

}  // namespace
}  // namespace guildhall::services
