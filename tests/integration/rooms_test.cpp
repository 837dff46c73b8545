// Real-time rooms over real sockets, with a real server process and the built-in `dots` game: create, list,
// join, join-or-create, two players seeing each other move through decoded snapshots, reconnection within and
// after the grace period, hostile inputs, a slow reader under latest-wins, seat reservations.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <thread>

#include "room_client.hpp"
#include "server_process.hpp"
#include "wire/snapshot/schema_json.hpp"

namespace guildhall::testing {
namespace {

room_player player(const server_process& server, const std::string& device, transport kind = transport::tcp,
                   int receive_buffer_bytes = 0) {
  return room_player(kind, kind == transport::tcp ? server.tcp_port() : server.http_port(),
                     guest_token(server.http_port(), "rooms-test-" + device), receive_buffer_bytes);
}

v1::Envelope list(blocking_client& client, const std::map<std::string, std::string>& filter) {
  v1::Envelope request;
  request.mutable_list_rooms()->set_type("dots");
  for (const auto& [k, v] : filter) (*request.mutable_list_rooms()->mutable_label_filter())[k] = v;
  return client.call(request);
}

bool has_event(const room_player& p, const std::string& name) {
  const auto names = p.event_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST(Rooms, CreateListAndJoinById) {
  server_process server({"shards=2"});
  auto alice = player(server, "rooms-alice");
  const auto created = alice.create({{"mode", "alpha"}});
  ASSERT_TRUE(created.has_room_joined()) << created.DebugString();
  const auto& joined = created.room_joined();
  EXPECT_EQ(joined.you().seat(), 0);
  EXPECT_EQ(joined.tick_hz(), 20u);
  EXPECT_EQ(joined.schema_json(), wire::snapshot::schema_to_json(dots_schema()));
  EXPECT_EQ(joined.room().label(), R"({"mode":"alpha"})");
  EXPECT_EQ(joined.max_input_bytes(), 8u);

  auto bob = player(server, "rooms-bob", transport::ws_json);
  const auto found = list(bob.client, {{"mode", "alpha"}});
  ASSERT_TRUE(found.has_room_list()) << found.DebugString();
  ASSERT_EQ(found.room_list().rooms_size(), 1);
  EXPECT_EQ(found.room_list().rooms(0).room_id(), alice.room_id);
  EXPECT_EQ(found.room_list().rooms(0).players(), 1u);
  EXPECT_EQ(list(bob.client, {{"mode", "beta"}}).room_list().rooms_size(), 0);

  const auto bob_joined = bob.join(alice.room_id);
  ASSERT_TRUE(bob_joined.has_room_joined()) << bob_joined.DebugString();
  EXPECT_EQ(bob_joined.room_joined().you().seat(), 1);
  EXPECT_EQ(bob_joined.room_joined().members_size(), 2);
  EXPECT_TRUE(alice.read_until([&] { return has_event(alice, "JOINED:" + std::to_string(bob.user_id)); }));

  const auto missing = bob.join(12345);
  ASSERT_TRUE(missing.has_error());
  EXPECT_EQ(missing.error().code(), v1::ROOM_NOT_FOUND);
}

TEST(Rooms, JoinOrCreateFillsARoomBeforeMakingAnother) {
  server_process server({"shards=2"});
  auto a = player(server, "joc-a");
  auto b = player(server, "joc-b");
  auto c = player(server, "joc-c");
  ASSERT_TRUE(a.join_or_create({{"mode", "gamma"}}).has_room_joined());
  ASSERT_TRUE(b.join_or_create({{"mode", "gamma"}}).has_room_joined());
  EXPECT_EQ(a.room_id, b.room_id);
  ASSERT_TRUE(c.join_or_create({{"mode", "delta"}}).has_room_joined());
  EXPECT_NE(c.room_id, a.room_id);
}

// Regression: join-or-create searches sent at the same moment each found no room and each created one, so a
// crowd pressing "quick join" together was spread over rooms of one. Eight at once, four seats a room: two full
// rooms.
TEST(Rooms, SimultaneousJoinOrCreatesFillOneRoomBeforeOpeningAnother) {
  server_process server({"shards=2"});
  std::vector<std::unique_ptr<room_player>> crowd;
  for (int i = 0; i < 8; ++i) {
    crowd.push_back(std::make_unique<room_player>(player(server, "rush-" + std::to_string(i),
                                                         i % 2 == 0 ? transport::tcp : transport::ws_binary)));
  }
  for (auto& p : crowd) {  // every search is on its way before any answer is read
    v1::Envelope request;
    request.set_cid(77);
    request.mutable_join_room()->set_type("dots");
    (*request.mutable_join_room()->mutable_options())["mode"] = "rush";
    p->client.send(request);
  }
  std::map<std::uint64_t, int> seated;
  for (auto& p : crowd) {
    std::optional<v1::Envelope> answer;
    while ((answer = p->client.next(5s)) && !answer->has_room_joined() && !answer->has_error()) {
    }
    ASSERT_TRUE(answer.has_value()) << "no answer to join-or-create";
    ASSERT_TRUE(answer->has_room_joined()) << answer->DebugString();
    ++seated[answer->room_joined().room().room_id()];
  }
  EXPECT_EQ(seated.size(), 2u);
  for (const auto& [room_id, players] : seated) EXPECT_EQ(players, 4) << "room " << room_id;
}

TEST(Rooms, TwoPlayersSeeEachOtherMove) {
  server_process server({"shards=2"});
  auto a = player(server, "move-a");
  auto b = player(server, "move-b", transport::ws_binary);
  ASSERT_TRUE(a.create().has_room_joined());
  ASSERT_TRUE(b.join(a.room_id).has_room_joined());
  ASSERT_TRUE(a.read_until([&] { return a.dot(1).has_value(); }));
  ASSERT_TRUE(b.read_until([&] { return b.dot(0).has_value(); }));
  const auto a_start = *b.dot(0);
  const auto b_start = *a.dot(1);
  a.press(games::kDotsRight);
  b.press(games::kDotsDown);
  // Both hold their key for about a second (each read_for pair is 200 ms: 4 ticks): each moves about 20 units,
  // and each sees the other's move.
  for (int i = 0; i < 5; ++i) {
    a.read_for(100ms);
    b.read_for(100ms);
    a.press(games::kDotsRight);  // held: the same keys again (also carries the newest ack)
    b.press(games::kDotsDown);
  }
  ASSERT_TRUE(b.dot(0) && a.dot(1));
  EXPECT_GT(b.dot(0)->first, a_start.first + 5);   // a moved right, as b sees it
  EXPECT_DOUBLE_EQ(b.dot(0)->second, a_start.second);
  EXPECT_GT(a.dot(1)->second, b_start.second + 5);  // b moved down, as a sees it
  // Going on, they leave each other's view radius (40): each stops seeing the other.
  for (int i = 0; i < 10 && (a.dot(1) || b.dot(0)); ++i) {
    a.read_for(100ms);
    b.read_for(100ms);
    a.press(games::kDotsRight);
    b.press(games::kDotsDown);
  }
  EXPECT_FALSE(a.dot(1).has_value());
  EXPECT_FALSE(b.dot(0).has_value());
  EXPECT_TRUE(a.dot(0).has_value());  // but each still sees itself
  EXPECT_EQ(a.full_snapshots, 1u) << "acked deltas after the first";
  EXPECT_GT(a.snapshots, 15u);
}

// Regression: input() and message() posted to `room_shard(request.room_id())` while the same call's lambda moved
// `request` out, and GCC evaluated the lambda first: every input and message went to shard 0, so a player in a
// room on shard 1 never moved (the browser arena's "two people" test found it). Rooms are placed on the shard
// with the fewest, so of two rooms one is on each shard.
TEST(Rooms, InputsAndMessagesReachRoomsOnEveryShard) {
  server_process server({"shards=2"});
  auto first = player(server, "shards-first");
  auto second = player(server, "shards-second", transport::ws_json);
  ASSERT_TRUE(first.create().has_room_joined());
  ASSERT_TRUE(second.create().has_room_joined());
  ASSERT_NE(first.room_id % 2, second.room_id % 2) << "the two rooms should be on different shards";
  for (auto* p : {&first, &second}) {
    ASSERT_TRUE(p->read_until([&] { return p->dot(0).has_value(); }));
    const auto start = *p->dot(0);
    for (int i = 0; i < 5; ++i) {
      p->press(games::kDotsRight);
      p->read_for(100ms);
    }
    ASSERT_TRUE(p->dot(0).has_value());
    EXPECT_GT(p->dot(0)->first, start.first + 5) << "the player in room " << p->room_id << " did not move";
    p->say("on shard " + std::to_string(p->room_id % 2));
    EXPECT_TRUE(p->read_until([&] { return has_event(*p, "said"); })) << "room " << p->room_id;
    EXPECT_TRUE(p->errors.empty()) << p->errors.front().DebugString();
  }
}

// A stopping server tells each room's members that the room is gone (so a client that reconnects to the
// restarted server does not try to rejoin it), before the connection's own goodbye (3001).
TEST(Rooms, AServerShuttingDownTellsEveryMemberTheRoomIsGone) {
  server_process server({"shards=2"});
  auto a = player(server, "shutdown-a");
  auto b = player(server, "shutdown-b", transport::ws_json);
  ASSERT_TRUE(a.create().has_room_joined());
  ASSERT_TRUE(b.create().has_room_joined());  // the second room is on the other shard
  ASSERT_TRUE(a.read_until([&] { return a.snapshots > 0; }));
  std::thread stopper([&] { EXPECT_EQ(server.stop(SIGTERM), 0); });
  for (auto* p : {&a, &b}) {
    EXPECT_TRUE(p->read_until([&] { return p->closed.has_value(); }));
    ASSERT_TRUE(p->closed.has_value()) << "no RoomClosed before the connection closed";
    EXPECT_EQ(p->closed->reason(), v1::RoomClosed::SHUTDOWN);
    EXPECT_EQ(p->closed->room_id(), p->room_id);
    EXPECT_TRUE(p->client.wait_closed(5s));
    EXPECT_EQ(p->client.closing_code, 3001u);
  }
  stopper.join();
}

TEST(Rooms, AReturningPlayerKeepsTheSeatAndGetsAFullSnapshotAndMissedEvents) {
  server_process server({"shards=2", "rooms.reconnect_grace_ms=10000"});
  auto a = player(server, "grace-a");
  ASSERT_TRUE(a.create().has_room_joined());
  std::uint64_t b_user = 0;
  int b_seat = -1;
  {
    auto b = player(server, "grace-b");
    ASSERT_TRUE(b.join(a.room_id).has_room_joined());
    b_user = b.user_id;
    b_seat = b.seat;
    ASSERT_TRUE(b.read_until([&] { return b.snapshots > 2; }));
  }  // b's connection drops
  ASSERT_TRUE(a.read_until([&] { return has_event(a, "DROPPED:" + std::to_string(b_user)); }));
  a.say("while you were gone");
  ASSERT_TRUE(a.read_until([&] { return has_event(a, "said"); }));

  auto back = player(server, "grace-b");
  ASSERT_EQ(back.user_id, b_user);
  const auto answer = back.join(a.room_id);
  ASSERT_TRUE(answer.has_room_joined()) << answer.DebugString();
  EXPECT_TRUE(answer.room_joined().returned());
  EXPECT_EQ(answer.room_joined().you().seat(), b_seat);
  ASSERT_TRUE(back.read_until([&] { return back.snapshots > 0 && has_event(back, "RETURNED:" + std::to_string(b_user)); }));
  EXPECT_EQ(back.snapshot_ticks.size() >= 1 ? back.full_snapshots : 0u, 1u);
  const auto names = back.event_names();
  const auto dropped = std::find(names.begin(), names.end(), "DROPPED:" + std::to_string(b_user));
  const auto said = std::find(names.begin(), names.end(), "said");
  ASSERT_NE(said, names.end()) << "the event sent while away was replayed";
  EXPECT_LT(dropped - names.begin(), said - names.begin());
  EXPECT_TRUE(a.read_until([&] { return has_event(a, "RETURNED:" + std::to_string(b_user)); }));
}

TEST(Rooms, APlayerBackAfterTheGraceHasLostTheSeat) {
  server_process server({"rooms.reconnect_grace_ms=300"});
  auto a = player(server, "late-a");
  ASSERT_TRUE(a.create().has_room_joined());
  std::uint64_t b_user = 0;
  {
    auto b = player(server, "late-b");
    ASSERT_TRUE(b.join(a.room_id).has_room_joined());
    b_user = b.user_id;
  }
  ASSERT_TRUE(a.read_until([&] { return has_event(a, "LEFT:" + std::to_string(b_user)); }, 5s));
  auto back = player(server, "late-b");
  const auto answer = back.join(a.room_id);
  ASSERT_TRUE(answer.has_room_joined());
  EXPECT_FALSE(answer.room_joined().returned());
}

TEST(Rooms, HostileInputsAreRefusedAndChangeNothing) {
  server_process server;
  auto a = player(server, "evil-a");
  auto victim = player(server, "evil-victim");
  ASSERT_TRUE(victim.create().has_room_joined());
  ASSERT_TRUE(victim.read_until([&] { return victim.dot(0).has_value(); }));
  const auto victim_at = *victim.dot(0);

  // Inputs for a room a is not in: refused, and the victim's dot does not move.
  v1::Envelope foreign;
  foreign.mutable_room_input()->set_room_id(victim.room_id);
  auto* frame = foreign.mutable_room_input()->add_inputs();
  frame->set_sequence(1);
  frame->set_data(std::string(1, static_cast<char>(games::kDotsRight)));
  const auto refused = a.client.call(foreign);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), v1::NOT_MEMBER);

  // A huge input and too many inputs in one message: refused with a reason.
  ASSERT_TRUE(a.join(victim.room_id).has_room_joined());
  v1::Envelope huge;
  huge.mutable_room_input()->set_room_id(victim.room_id);
  huge.mutable_room_input()->add_inputs()->set_data(std::string(2000, 'x'));
  EXPECT_EQ(a.client.call(huge).error().code(), v1::INVALID_ARGUMENT);
  v1::Envelope crowded;
  crowded.mutable_room_input()->set_room_id(victim.room_id);
  for (int i = 1; i <= 9; ++i) crowded.mutable_room_input()->add_inputs()->set_sequence(static_cast<std::uint32_t>(i));
  EXPECT_EQ(a.client.call(crowded).error().code(), v1::INVALID_ARGUMENT);

  // A flood of inputs: the connection is closed as flooding, and the dot it could move went at most the
  // legal speed (inputs only choose keys; the server moves).
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 5000 && !a.client.closed(); ++i) a.press(games::kDotsRight);
  EXPECT_TRUE(a.client.wait_closed(5s));
  EXPECT_EQ(a.client.closing_code, 4005u);
  victim.read_for(300ms);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (const auto moved = victim.dot(1)) {
    EXPECT_LE(moved->first - 50, games::kDotsSpeed * 20 * (seconds + 0.5));
  }
  EXPECT_EQ(*victim.dot(0), victim_at);  // the victim's own dot never moved
  EXPECT_FALSE(victim.client.closed());
}

// A reader that stops reading while the room keeps sending: its snapshots replace one another in its queue
// (latest-wins) instead of piling up, while every reliable event still arrives, in order.
TEST(Rooms, ASlowReaderGetsLatestSnapshotsAndEveryEventInOrder) {
  server_process server({"limits.max_outbound_bytes=33554432", "chat.messages_per_second=100000",
                         "chat.message_burst=100000"});
  auto talker = player(server, "slow-talker");
  ASSERT_TRUE(talker.create().has_room_joined());
  auto sleeper = player(server, "slow-sleeper", transport::tcp, 4096);
  ASSERT_TRUE(sleeper.join(talker.room_id).has_room_joined());

  // 4 MB of events while the sleeper reads nothing, paced so ticks (and snapshots) run in between.
  constexpr int kEvents = 1000;
  const std::string ballast(4000, 'e');
  for (int i = 0; i < kEvents; ++i) {
    talker.say(std::to_string(i) + ":" + ballast);
    if (i % 50 == 49) talker.read_for(60ms);
  }
  talker.read_for(500ms);
  const auto metrics = http_get(server.http_port(), "/metrics").body;
  const std::string sample = "\nguildhall_frames_replaced_total ";
  const auto at = metrics.find(sample);
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stoull(metrics.substr(at + sample.size())), 0u) << "no snapshot was ever replaced";

  // Now read everything: every event, in order; snapshots newest-last, fewer than the ticks that ran.
  std::vector<int> said;
  ASSERT_TRUE(sleeper.read_until([&] {
    said.clear();
    for (const auto& e : sleeper.events) {
      if (e.type() == "said") said.push_back(std::stoi(e.payload().substr(0, e.payload().find(':'))));
    }
    return said.size() == kEvents;
  }, 30s)) << "got " << said.size() << " events";
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(said[static_cast<std::size_t>(i)], i);
  std::uint64_t last_seq = 0;
  for (const auto& e : sleeper.events) {
    EXPECT_GT(e.seq(), last_seq);
    last_seq = e.seq();
  }
  ASSERT_GT(sleeper.snapshots, 1u);
  // Replaced snapshots leave gaps: fewer snapshots than the ticks they span.
  EXPECT_LT(sleeper.snapshots, sleeper.snapshot_ticks.back() - sleeper.snapshot_ticks.front() + 1);
  EXPECT_FALSE(sleeper.client.closed());
}

TEST(Rooms, SpectatorsWatchWithoutASeat) {
  server_process server;
  auto a = player(server, "spec-a");
  auto watcher = player(server, "spec-watch");
  ASSERT_TRUE(a.create().has_room_joined());
  const auto joined = watcher.join(a.room_id, "", true);
  ASSERT_TRUE(joined.has_room_joined());
  EXPECT_EQ(joined.room_joined().you().seat(), -1);
  EXPECT_TRUE(watcher.read_until([&] { return watcher.dot(0).has_value(); }));
}

TEST(Rooms, AnEndedRoomTellsItsMembers) {
  server_process server;
  auto a = player(server, "end-a");
  ASSERT_TRUE(a.create({{"end_after_ticks", "10"}}).has_room_joined());
  ASSERT_TRUE(a.read_until([&] { return a.closed.has_value(); }));
  EXPECT_EQ(a.closed->reason(), v1::RoomClosed::ENDED);
  EXPECT_EQ(a.closed->message(), "time is up");
  EXPECT_EQ(list(a.client, {}).room_list().rooms_size(), 0);
}

}  // namespace guildhall::testing
