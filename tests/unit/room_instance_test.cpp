// services::room_instance driven directly, with injected time and a recording sink in place of connections:
// seats, spectators, lock, private rooms, kick, end, disposal, reconnection grace, missed events, reservations,
// inputs reaching the game in order.
#include "services/rooms/room_instance.hpp"
#include "services/rooms/room_metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace guildhall::services {
namespace {

constexpr std::int64_t kMs = 1000;  // µs per ms

// What the probe game saw, for assertions.
struct probe_log {
  std::vector<std::string> calls;   // "join:<user>", "leave:<user>:<dropped|returned|left>", "input:<user>:<seq>"
  int ticks = 0;
};
probe_log* current_log = nullptr;

// A small game whose callbacks are recorded and whose messages drive the engine's context.
class probe_room final : public room {
 public:
  explicit probe_room(room_context& context) : context_(context) {}
  std::expected<void, room_refusal> on_join(const room_member& m) override {
    if (m.username == "refused") return std::unexpected("not you");
    current_log->calls.push_back("join:" + std::to_string(m.user_id));
    if (!m.spectator) seats_[m.user_id] = m.seat;
    return {};
  }
  void on_leave(const room_member& m, leave_kind why) override {
    static const char* names[] = {"dropped", "returned", "left"};
    current_log->calls.push_back("leave:" + std::to_string(m.user_id) + ":" + names[static_cast<int>(why)]);
    if (why == leave_kind::left) seats_.erase(m.user_id);
  }
  void on_input(const room_member& m, const player_input& input) override {
    current_log->calls.push_back("input:" + std::to_string(m.user_id) + ":" + std::to_string(input.sequence));
  }
  void on_message(const room_member& m, std::string_view type, std::string_view payload) override {
    if (type == "kick") context_.kick(std::stoull(std::string(payload)), "bye");
    if (type == "end") context_.end("game over");
    if (type == "lock") context_.set_locked(true);
    if (type == "say") context_.broadcast("said", payload);
    if (type == "dm") context_.send(m.user_id, "dm", payload);
    if (type == "label") context_.set_label(std::string(payload));
    if (type == "bad entity") write_bad_entity_ = true;
  }
  void on_tick() override { ++current_log->ticks; }
  void write_world(world_writer& out) const override {
    for (const auto& [user, seat] : seats_) {
      out.entity(static_cast<std::uint32_t>(user), 0, {seat * 10.0}, relevance{});
    }
    if (write_bad_entity_) out.entity(7, 9, {1.0}, relevance{});  // type 9: the schema has one type
  }
  std::optional<viewpoint> viewpoint_for(const room_member&) const override { return std::nullopt; }

 private:
  room_context& context_;
  std::map<std::uint64_t, int> seats_;
  bool write_bad_entity_ = false;
};

class probe_type final : public room_type {
 public:
  probe_type() { schema_.types = {{"thing", {field_spec::fixed("x", 0, 1000, 1)}}}; }
  std::string_view name() const override { return "probe"; }
  room_settings settings() const override {
    return {.tick_hz = 10, .max_players = 2, .max_spectators = 1, .max_inputs_per_tick = 2, .max_input_bytes = 4,
            .snapshot_budget_bytes = 1200};
  }
  // Option "hz" picks the tick rate, as arena's tick_hz does.
  room_settings settings_for(const room_options& options) const override {
    room_settings s = settings();
    if (const auto hz = options.find("hz"); hz != options.end()) s.tick_hz = std::stoi(hz->second);
    return s;
  }
  const world_schema& schema() const override { return schema_; }
  std::expected<std::unique_ptr<room>, room_refusal> create(const room_options& options,
                                                            room_context& context) const override {
    if (options.contains("refuse")) return std::unexpected("bad options");
    return std::make_unique<probe_room>(context);
  }

 private:
  world_schema schema_;
};

struct recording_sink final : room_sink {
  struct exit_record {
    std::uint64_t user_id;
    room_exit why;
    std::string message;
  };
  void event(std::uint64_t user_id, const room_event& e) override { events[user_id].push_back(e); }
  void snapshot(std::uint64_t user_id, std::uint32_t tick, std::uint32_t baseline, std::span<const std::uint8_t>) override {
    snapshots[user_id].push_back({tick, baseline});
  }
  void exited(std::uint64_t user_id, room_exit why, std::string_view message) override {
    exits.push_back({user_id, why, std::string(message)});
  }
  std::map<std::uint64_t, std::vector<room_event>> events;
  std::map<std::uint64_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> snapshots;
  std::vector<exit_record> exits;
};

class RoomInstance : public ::testing::Test {
 protected:
  void SetUp() override { current_log = &log; }
  void TearDown() override { current_log = nullptr; }

  std::unique_ptr<room_instance> make(room_options options = {}, bool is_private = false,
                                      std::vector<std::uint64_t> invited = {}) {
    auto made = room_instance::create({42, &type, std::move(options), is_private, std::move(invited), 7, now, timing}, sink);
    EXPECT_TRUE(made) << made.error().message;
    return made ? std::move(*made) : nullptr;
  }
  result<room_instance::joined> join(room_instance& room, std::uint64_t user, bool spectate = false,
                                     std::string name = "", std::string reservation = "") {
    auto joined = room.join({user, name.empty() ? "user" + std::to_string(user) : name, spectate, reservation}, now);
    if (joined) room.activate(user);
    return joined;
  }
  std::vector<std::string> event_types(std::uint64_t user) {
    std::vector<std::string> out;
    for (const auto& e : sink.events[user]) {
      static const char* changes[] = {"", "joined", "left", "dropped", "returned"};
      out.push_back(e.change == member_change::none ? e.type
                                                   : std::string(changes[static_cast<int>(e.change)]) + ":" +
                                                         std::to_string(e.member.user_id));
    }
    return out;
  }
  // Moves the clock in 50 ms steps, waking the room at each as its timer would.
  void advance_ms(std::int64_t ms, room_instance& room) {
    for (std::int64_t done = 0; done < ms; done += 50) {
      now += std::min<std::int64_t>(50, ms - done) * kMs;
      room.run_due(now);
    }
  }

  probe_log log;
  probe_type type;
  recording_sink sink;
  std::int64_t now = 1'000'000 * kMs;
  room_timing timing{.reconnect_grace_ms = 5'000, .empty_dispose_ms = 2'000};
};

TEST_F(RoomInstance, RefusedOptionsMakeNoRoom) {
  auto made = room_instance::create({1, &type, {{"refuse", "1"}}, false, {}, 1, now, timing}, sink);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, errc::room_refused);
  EXPECT_EQ(made.error().message, "bad options");
}

TEST_F(RoomInstance, TheTypeMayTakeTheTickRateFromTheOptions) {
  auto room = make({{"hz", "20"}});
  ASSERT_TRUE(room);
  EXPECT_EQ(room->settings().tick_hz, 20);
  for (int step = 0; step < 20; ++step) advance_ms(50, *room);  // one wake-up per period: no catch-up cap
  EXPECT_EQ(log.ticks, 20);
  EXPECT_EQ(make()->settings().tick_hz, 10);
  // Out of the engine's range: no room, whatever the game would have said.
  auto refused = room_instance::create({2, &type, {{"hz", "129"}}, false, {}, 1, now, timing}, sink);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "room type tick_hz must be 1..128");
}

TEST_F(RoomInstance, SeatsFillInOrderThenTheRoomIsFull) {
  auto room = make();
  EXPECT_EQ(join(*room, 1)->you.seat, 0);
  EXPECT_EQ(join(*room, 2)->you.seat, 1);
  const auto third = join(*room, 3);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, errc::room_full);
  room->leave(1, now);
  EXPECT_EQ(join(*room, 3)->you.seat, 0);  // the freed seat
  EXPECT_EQ(room->players(), 2u);
}

TEST_F(RoomInstance, SpectatorsHaveNoSeatNoInputAndTheirOwnCap) {
  auto room = make();
  const auto watcher = join(*room, 9, true);
  ASSERT_TRUE(watcher);
  EXPECT_EQ(watcher->you.seat, -1);
  EXPECT_TRUE(watcher->you.spectator);
  std::string data = "k";
  EXPECT_EQ(room->input(9, 1, 0, 0, data), room_instance::input_outcome::not_player);
  EXPECT_EQ(join(*room, 10, true).error().code, errc::room_full);  // max_spectators 1
  EXPECT_EQ(room->players(), 0u);
  EXPECT_EQ(room->spectators(), 1u);
}

TEST_F(RoomInstance, TheGameMayRefuseAJoin) {
  auto room = make();
  const auto refused = join(*room, 5, false, "refused");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::room_refused);
  EXPECT_EQ(refused.error().message, "not you");
  EXPECT_EQ(room->players(), 0u);
}

TEST_F(RoomInstance, ALockedRoomTakesNobodyNewButReconnectionsComeBack) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(room->message(1, "lock", ""));
  EXPECT_TRUE(room->locked());
  EXPECT_EQ(join(*room, 2).error().code, errc::room_full);
  room->drop(1, now);
  const auto back = join(*room, 1);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->returned);
}

TEST_F(RoomInstance, APrivateRoomAdmitsOnlyTheInvited) {
  auto room = make({}, true, {1, 2});
  EXPECT_TRUE(join(*room, 1));
  EXPECT_EQ(join(*room, 3).error().code, errc::room_full);
  EXPECT_TRUE(join(*room, 2));
}

TEST_F(RoomInstance, KickRemovesAfterTheCallbackAndTellsEveryone) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(join(*room, 2));
  ASSERT_TRUE(room->message(1, "kick", "2"));
  EXPECT_EQ(room->member(2), nullptr);
  ASSERT_EQ(sink.exits.size(), 1u);
  EXPECT_EQ(sink.exits[0].user_id, 2u);
  EXPECT_EQ(sink.exits[0].why, room_exit::kicked);
  EXPECT_EQ(sink.exits[0].message, "bye");
  EXPECT_EQ(log.calls.back(), "leave:2:left");
  EXPECT_EQ(event_types(1).back(), "left:2");
}

TEST_F(RoomInstance, EndTellsEveryMemberAndFinishesTheRoom) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(join(*room, 9, true));
  ASSERT_TRUE(room->message(1, "end", ""));
  EXPECT_TRUE(room->finished());
  ASSERT_EQ(sink.exits.size(), 2u);
  for (const auto& e : sink.exits) {
    EXPECT_EQ(e.why, room_exit::ended);
    EXPECT_EQ(e.message, "game over");
  }
  EXPECT_EQ(join(*room, 2).error().code, errc::room_not_found);
}

TEST_F(RoomInstance, ARoomWithoutPlayersIsDisposedAfterTheDelay) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  advance_ms(3'000, *room);
  EXPECT_FALSE(room->finished());  // someone plays
  room->leave(1, now);
  advance_ms(1'000, *room);
  EXPECT_FALSE(room->finished());
  ASSERT_TRUE(join(*room, 9, true));  // a spectator does not keep a room alive
  advance_ms(800, *room);
  EXPECT_FALSE(room->finished());
  advance_ms(400, *room);
  EXPECT_TRUE(room->finished());
  ASSERT_FALSE(sink.exits.empty());
  EXPECT_EQ(sink.exits.back().why, room_exit::disposed);
}

TEST_F(RoomInstance, TicksApplyInputsInOrderAtMostPerTick) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  for (std::uint32_t s : {2u, 1u, 3u, 1u}) {
    std::string data = "k";
    room->input(1, s, 0, 0, data);
  }
  std::string big = "toolong";
  EXPECT_EQ(room->input(1, 4, 0, 0, big), room_instance::input_outcome::dropped);
  log.calls.clear();
  advance_ms(100, *room);  // one tick at 10 Hz
  EXPECT_EQ(log.calls, (std::vector<std::string>{"input:1:1", "input:1:2"}));
  advance_ms(100, *room);
  EXPECT_EQ(log.calls.back(), "input:1:3");
  EXPECT_EQ(room->stats().inputs_dropped[static_cast<std::size_t>(input_drop::duplicate)], 1u);
  EXPECT_EQ(room->stats().inputs_dropped[static_cast<std::size_t>(input_drop::oversize)], 1u);
  EXPECT_EQ(log.ticks, 2);
}

TEST_F(RoomInstance, EveryActiveMemberGetsASnapshotEachTickFullAfterJoining) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  advance_ms(100, *room);
  advance_ms(100, *room);
  ASSERT_EQ(sink.snapshots[1].size(), 2u);
  EXPECT_EQ(sink.snapshots[1][0], std::make_pair(1u, 0u));
  EXPECT_EQ(sink.snapshots[1][1].second, 0u);  // nothing acknowledged: still against nothing
  room->acknowledge(1, 2);
  advance_ms(100, *room);
  EXPECT_EQ(sink.snapshots[1].back(), std::make_pair(3u, 2u));
}

// Dropped: the seat is kept and the game told; back within the grace: same seat, full snapshot, and the events
// sent meanwhile; the other player saw dropped and returned.
TEST_F(RoomInstance, AReturningPlayerKeepsTheSeatAndGetsWhatItMissed) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(join(*room, 2));
  room->acknowledge(2, 0);
  advance_ms(100, *room);
  room->drop(2, now);
  EXPECT_EQ(log.calls.back(), "leave:2:dropped");
  EXPECT_EQ(room->players(), 2u);  // the seat is held
  EXPECT_EQ(join(*room, 3).error().code, errc::room_full);
  ASSERT_TRUE(room->message(1, "say", "while you were away"));
  advance_ms(1'000, *room);
  const std::size_t snapshots_before = sink.snapshots[2].size();
  sink.events[2].clear();

  const auto back = join(*room, 2);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->returned);
  EXPECT_EQ(back->you.seat, 1);
  EXPECT_FALSE(back->events_lost);
  EXPECT_EQ(log.calls.back(), "leave:2:returned");
  EXPECT_EQ(event_types(2), (std::vector<std::string>{"dropped:2", "said", "returned:2"}));
  advance_ms(100, *room);
  ASSERT_EQ(sink.snapshots[2].size(), snapshots_before + 1);
  EXPECT_EQ(sink.snapshots[2].back().second, 0u);  // full
  const auto seen_by_1 = event_types(1);
  EXPECT_NE(std::find(seen_by_1.begin(), seen_by_1.end(), "dropped:2"), seen_by_1.end());
  EXPECT_EQ(seen_by_1.back(), "returned:2");
}

TEST_F(RoomInstance, APlayerNotBackWithinTheGraceLosesTheSeat) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(join(*room, 2));
  room->drop(2, now);
  advance_ms(4'900, *room);
  EXPECT_NE(room->member(2), nullptr);
  advance_ms(200, *room);
  EXPECT_EQ(room->member(2), nullptr);
  EXPECT_EQ(log.calls.back(), "leave:2:left");
  EXPECT_EQ(event_types(1).back(), "left:2");
  const auto again = join(*room, 2);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->returned);  // a new member now
}

TEST_F(RoomInstance, ReliableEventsKeepTheirOrderAndPrivateOnesReachOnlyTheirMember) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(join(*room, 2));
  sink.events.clear();
  ASSERT_TRUE(room->message(1, "say", "a"));
  ASSERT_TRUE(room->message(1, "dm", "secret"));
  ASSERT_TRUE(room->message(2, "say", "b"));
  EXPECT_EQ(event_types(1), (std::vector<std::string>{"said", "dm", "said"}));
  EXPECT_EQ(event_types(2), (std::vector<std::string>{"said", "said"}));
  EXPECT_LT(sink.events[2][0].seq, sink.events[2][1].seq);
}

TEST_F(RoomInstance, AReservationHoldsASeatForItsUserUntilItExpires) {
  auto room = make({}, true, {});
  ASSERT_TRUE(room->reserve(1, "token-1", now / kMs + 1'000));
  ASSERT_TRUE(room->reserve(2, "token-2", now / kMs + 1'000));
  EXPECT_EQ(room->free_seats(), 0u);
  EXPECT_EQ(join(*room, 3).error().code, errc::room_full);
  EXPECT_EQ(join(*room, 2, false, "", "token-1").error().code, errc::room_full);  // not theirs
  EXPECT_TRUE(join(*room, 1, false, "", "token-1"));
  advance_ms(1'100, *room);  // user 2's reservation expires unused
  EXPECT_EQ(room->free_seats(), 1u);
  EXPECT_EQ(join(*room, 2, false, "", "token-2").error().code, errc::room_full);
  EXPECT_TRUE(join(*room, 2));  // invited by the reservation, so the private room still admits them
}

TEST_F(RoomInstance, LabelsMustBeFlatJsonObjects) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  ASSERT_TRUE(room->message(1, "label", R"({"map":"yard","players":3})"));
  EXPECT_EQ(room->label().at("map"), "yard");
  EXPECT_EQ(room->label().at("players"), "3");
  ASSERT_TRUE(room->message(1, "label", "not json"));
  EXPECT_EQ(room->label_json(), R"({"map":"yard","players":3})");
}

// An entity the game wrote wrong is left out of the world, never sent, and counted in the room's stats and in
// guildhall_room_entities_rejected_total, so the game's developer can see it (it was counted but not exported).
TEST_F(RoomInstance, EntitiesTheGameWritesWrongAreLeftOutAndCounted) {
  auto room = make();
  ASSERT_TRUE(join(*room, 1));
  const auto exported_before = rooms_metrics().entities_rejected.value();
  ASSERT_TRUE(room->message(1, "bad entity", ""));
  advance_ms(300, *room);  // three ticks at 10 Hz, one bad entity each
  EXPECT_EQ(room->stats().entities_rejected, 3u);
  EXPECT_EQ(rooms_metrics().entities_rejected.value() - exported_before, 3u);
  EXPECT_EQ(sink.snapshots[1].size(), 3u) << "the good entities still go out";
}

}  // namespace
}  // namespace guildhall::services
