// The arena over real sockets, with a real server process: bots play a whole match to its results, and a hostile
// client (floods of inputs, oversized and malformed inputs, inputs for someone else's room) gains nothing: its
// fighter moves no faster than the speed cap, the other player does not move at all, and every refusal is
// answered or counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <thread>

#include "games/arena/arena_input.hpp"
#include "games/arena/arena_rules.hpp"
#include "games/arena/arena_schema.hpp"
#include "room_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {
namespace arena = games::arena;

room_player fighter(const server_process& server, const std::string& device, transport kind = transport::tcp) {
  return room_player(kind, kind == transport::tcp ? server.tcp_port() : server.http_port(),
                     guest_token(server.http_port(), "arena-test-" + device), 0, "arena",
                     arena::arena_world_schema());
}

std::string input(std::uint8_t buttons) {
  const auto bytes = arena::encode_input({buttons, 0});
  return {bytes.begin(), bytes.end()};
}

std::uint32_t player_id(const room_player& p) { return arena::kPlayerIdBase + static_cast<std::uint32_t>(p.seat); }

// Inputs dropped for `reason`, in a /metrics scrape (0 when the series is not there).
double dropped(const std::string& scrape, const std::string& reason) {
  return std::max(0.0, metric_sample(scrape, "guildhall_room_inputs_dropped_total{reason=\"" + reason + "\"}"));
}

}  // namespace

TEST(Arena, BotsPlayAWholeMatchToItsResults) {
  server_process server({"shards=2"});
  auto watcher = fighter(server, "match-watcher");
  // Seven bots and a person who never moves, for the shortest match; the seed makes the bots' play repeat.
  const auto joined = watcher.create({{"bots", "7"}, {"duration_s", std::to_string(arena::kMinDurationS)},
                                      {"seed", "3"}}, true);
  ASSERT_TRUE(joined.has_room_joined()) << joined.DebugString();
  EXPECT_EQ(joined.room_joined().tick_hz(), static_cast<std::uint32_t>(arena::kDefaultTickHz));

  ASSERT_TRUE(watcher.read_until([&] { return watcher.closed.has_value(); },
                                 std::chrono::seconds(arena::kMinDurationS + 10)))
      << "the match did not end";
  EXPECT_EQ(watcher.closed->reason(), v1::RoomClosed::ENDED);
  const auto results = std::find_if(watcher.events.begin(), watcher.events.end(),
                                    [](const v1::RoomEvent& e) { return e.type() == "results"; });
  ASSERT_NE(results, watcher.events.end()) << "no results event";
  const std::string& payload = results->payload();
  EXPECT_NE(payload.find(R"("reason":"time")"), std::string::npos) << payload;
  // Eight fighters on the score board, and the bots fought: kills were scored.
  const std::regex kills(R"re("kills":(\d+))re");
  int lines = 0, total_kills = 0;
  for (auto it = std::sregex_iterator(payload.begin(), payload.end(), kills); it != std::sregex_iterator(); ++it) {
    ++lines;
    total_kills += std::stoi((*it)[1]);
  }
  std::printf("[ arena ] a %d s match of 8 bots: %d kills, %u snapshots to the watcher\n", arena::kMinDurationS,
              total_kills, watcher.snapshots);
  EXPECT_EQ(lines, arena::kMaxFighters) << payload;
  EXPECT_GT(total_kills, 0) << payload;
  // The last snapshot shows the match over with no time left.
  const auto match = watcher.entity(arena::kMatchId);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ((*match)[arena::kMstate], static_cast<double>(arena::match_state::over));
  EXPECT_EQ((*match)[arena::kMtime_left], 0.0);
  EXPECT_GT(watcher.snapshots, static_cast<std::uint32_t>(arena::kMinDurationS * arena::kDefaultTickHz / 2));
}

TEST(Arena, AFloodingClientMovesNoFasterThanTheCapAndCannotMoveAnyoneElse) {
  server_process server({"shards=2"});
  auto cheat = fighter(server, "flood-cheat");
  auto other = fighter(server, "flood-other", transport::ws_binary);
  ASSERT_TRUE(cheat.create({{"seed", "1"}}, true).has_room_joined());
  ASSERT_TRUE(other.create({{"seed", "2"}}, true).has_room_joined());
  ASSERT_TRUE(cheat.read_until([&] { return cheat.entity(player_id(cheat)).has_value(); }));
  ASSERT_TRUE(other.read_until([&] { return other.entity(player_id(other)).has_value(); }));
  const auto start = *cheat.entity(player_id(cheat));
  const auto other_start = *other.entity(player_id(other));
  const std::uint32_t start_tick = cheat.newest_tick;
  // Towards the middle of the map, where every spawn point has a second of open floor.
  const std::uint8_t towards_middle = start[arena::kPx] < 24 ? arena::kRight : arena::kLeft;
  const std::string before = http_get(server.http_port(), "/metrics").body;

  // One second of 200 input messages (each a new input and two resends), well past one input per tick; an
  // oversized input and one with a reserved button bit among them; and inputs for the other player's room.
  const auto flood_end = std::chrono::steady_clock::now() + 1s;
  int sent = 0;
  while (std::chrono::steady_clock::now() < flood_end) {
    cheat.press_data(input(towards_middle));
    if (++sent % 50 == 0) cheat.press_data(std::string(32, '\xff'));      // over the arena's 16-byte cap
    if (sent % 50 == 25) cheat.press_data(input(towards_middle | 0x20));  // a reserved bit: ignored whole
    if (sent % 40 == 0) {
      v1::Envelope forged;
      forged.mutable_room_input()->set_room_id(other.room_id);
      auto* frame = forged.mutable_room_input()->add_inputs();
      frame->set_sequence(1'000'000 + static_cast<std::uint32_t>(sent));
      frame->set_data(input(arena::kUp | arena::kLeft));
      cheat.client.send(forged);
    }
    cheat.read_for(5ms);
  }
  cheat.read_for(500ms);  // what was queued is applied (or dropped); the fighter comes to rest
  other.read_for(200ms);

  const auto end = *cheat.entity(player_id(cheat));
  const double ticks = cheat.newest_tick - start_tick;
  const double moved = std::hypot(end[arena::kPx] - start[arena::kPx], end[arena::kPy] - start[arena::kPy]);
  const double cap = arena::kMaxSpeed * ticks / arena::kDefaultTickHz;
  std::printf("[ arena ] %d flooding messages: moved %.2f units in %.0f ticks (cap %.2f)\n", sent, moved, ticks, cap);
  EXPECT_GT(moved, 3.0) << "the inputs were applied";
  EXPECT_LE(moved, cap + 0.2) << "moved " << moved << " units in " << ticks << " ticks";
  // The other player never moved, and the forged inputs were refused in words.
  const auto other_end = *other.entity(player_id(other));
  EXPECT_EQ(other_end[arena::kPx], other_start[arena::kPx]);
  EXPECT_EQ(other_end[arena::kPy], other_start[arena::kPy]);
  const auto refused = std::count_if(cheat.errors.begin(), cheat.errors.end(),
                                     [](const v1::Error& e) { return e.code() == v1::NOT_MEMBER; });
  EXPECT_GT(refused, 0) << "inputs for a room the client is not in are answered NOT_MEMBER";
  // The surplus was dropped and counted, the oversized inputs among it.
  const std::string after = http_get(server.http_port(), "/metrics").body;
  EXPECT_GT(dropped(after, "backlog_full") + dropped(after, "duplicate"),
            dropped(before, "backlog_full") + dropped(before, "duplicate"));
  EXPECT_GT(dropped(after, "oversize"), dropped(before, "oversize"));
  EXPECT_FALSE(cheat.closed.has_value());
}

}  // namespace guildhall::testing
