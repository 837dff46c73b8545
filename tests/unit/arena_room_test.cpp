// games/arena: the match through the room API - fire rate, hits and kills, respawn, the clock and the results,
// seats and bots, options, and the world each tick writes.
#include <gtest/gtest.h>

#include "arena_harness.hpp"
#include "games/arena/arena_events.hpp"

namespace guildhall::games::arena {
namespace {

using testing::aim_at;
using testing::arena_harness;
using testing::person;
using testing::spectator;
using testing::test_context;

// Two people in the open, facing each other across y = 11: Ann at x 17, Bob at x 27.
class ArenaDuel : public ::testing::Test {
 protected:
  void SetUp() override {
    h.join(ann);
    h.join(bob);
    h.step();
    ASSERT_TRUE(h.arena->place(0, {17, 11}));
    ASSERT_TRUE(h.arena->place(1, {27, 11}));
    h.step();
  }
  // Ann holds the trigger aimed at Bob for `ticks` ticks, sending `copies` inputs per tick.
  void ann_fires(int ticks, int copies = 1) {
    for (int i = 0; i < ticks; ++i) {
      for (int c = 0; c < copies; ++c) h.input(ann, kFire, aim_at(h.position(0), h.position(1)));
      h.step();
    }
  }
  arena_harness h;
  room_member ann = person(0, 1, "ann"), bob = person(1, 2, "bob \"the\" builder");
};

TEST_F(ArenaDuel, TheTriggerFiresAtMostOncePerFireInterval) {
  ann_fires(3 * kDefaultTickHz, 4);  // three seconds, four inputs a tick
  const auto interval_ticks = (kFireIntervalMs * kDefaultTickHz + 999) / 1000;
  EXPECT_EQ(h.arena->stats().shots, std::uint64_t((3 * kDefaultTickHz + interval_ticks - 1) / interval_ticks));
  EXPECT_LE(h.arena->stats().shots, std::uint64_t(3 * 1000 / kFireIntervalMs));
}

TEST_F(ArenaDuel, FourHitsKillAndScore) {
  ann_fires(1);
  EXPECT_EQ(h.player(1).fields[kPhealth], kMaxHealth - kShotDamage);
  ASSERT_EQ(h.world.entities.count(kShotIdBase), 1u);
  EXPECT_EQ(h.world.entities.at(kShotIdBase).fields[kShit], 1.0);
  ann_fires(3 * 8);
  EXPECT_EQ(h.arena->stats().hits, 4u);
  EXPECT_EQ(h.player(1).fields[kPhealth], 0.0);
  EXPECT_EQ(h.player(1).fields[kPalive], 0.0);
  EXPECT_EQ(h.player(1).fields[kPdeaths], 1.0);
  EXPECT_EQ(h.player(0).fields[kPscore], 1.0);
  const auto kills = h.context.of_type("kill");
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].payload,
            R"({"killer":0,"victim":1,"killer_name":"ann","victim_name":"bob \"the\" builder"})");
  // The dead neither move nor shoot, and cannot be shot again.
  const vec2 grave = h.position(1);
  h.input(bob, kLeft | kFire, aim_at(grave, h.position(0)));
  ann_fires(16);
  EXPECT_EQ(h.position(1), grave);
  EXPECT_EQ(h.arena->stats().hits, 4u);
  EXPECT_EQ(h.player(0).fields[kPhealth], kMaxHealth);
}

TEST_F(ArenaDuel, TheDeadRespawnAfterTheDelayAtAFreeSpawnPoint) {
  ann_fires(25);
  ASSERT_EQ(h.arena->stats().kills, 1u);
  const std::uint32_t died = h.context.tick_;
  const int delay_ticks = kRespawnDelayMs * kDefaultTickHz / 1000;
  while (h.context.tick_ < died + delay_ticks - 1) {
    h.step();
    ASSERT_EQ(h.player(1).fields[kPalive], 0.0) << h.context.tick_;
  }
  h.step();
  EXPECT_EQ(h.player(1).fields[kPalive], 1.0);
  EXPECT_EQ(h.player(1).fields[kPhealth], kMaxHealth);
  const vec2 at = h.position(1);
  const auto& spawns = yard_map().spawns;
  EXPECT_NE(std::find(spawns.begin(), spawns.end(), at), spawns.end());
  EXPECT_GE(distance(at, h.position(0)), kSpawnClearance);
  const auto respawns = h.context.of_type("respawn");
  ASSERT_EQ(respawns.size(), 1u);
  EXPECT_NE(respawns[0].payload.find("\"seat\":1"), std::string::npos);
}

TEST_F(ArenaDuel, TradedShotsInOneTickBothLand) {
  h.input(ann, kFire, aim_at(h.position(0), h.position(1)));
  h.input(bob, kFire, aim_at(h.position(1), h.position(0)));
  h.step();
  EXPECT_EQ(h.player(0).fields[kPhealth], kMaxHealth - kShotDamage);
  EXPECT_EQ(h.player(1).fields[kPhealth], kMaxHealth - kShotDamage);
}

TEST(ArenaMatch, TheClockStartsWithTwoFightersAndEndsWithResults) {
  arena_harness h(room_options{{"duration_s", "5"}});
  h.join(person(0, 1, "ann"));
  h.steps(10);
  EXPECT_EQ(h.match().fields[kMstate], double(match_state::waiting));
  EXPECT_EQ(h.match().fields[kMtime_left], 5.0);
  h.join(person(1, 2, "bob"));
  h.step();
  const std::uint32_t started = h.context.tick_;
  EXPECT_EQ(h.match().fields[kMstate], double(match_state::playing));
  EXPECT_EQ(h.match().fields[kMtime_left], 5.0);
  h.steps(kDefaultTickHz);
  EXPECT_NEAR(h.match().fields[kMtime_left], 4.0, 1e-9);
  while (h.context.tick_ < started + 5 * kDefaultTickHz - 1) {
    h.step();
    ASSERT_FALSE(h.context.ended) << h.context.tick_;
  }
  h.step();
  EXPECT_EQ(h.arena->state(), match_state::over);
  EXPECT_EQ(h.match().fields[kMstate], double(match_state::over));
  EXPECT_EQ(h.match().fields[kMtime_left], 0.0);
  ASSERT_TRUE(h.context.ended);
  EXPECT_TRUE(h.context.locked);
  const auto results = h.context.of_type("results");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].payload,
            R"({"reason":"time","winner":0,"scores":[)"
            R"({"seat":0,"name":"ann","kills":0,"deaths":0,"bot":false},)"
            R"({"seat":1,"name":"bob","kills":0,"deaths":0,"bot":false}]})");
  // Nobody new after the end; further ticks do nothing.
  EXPECT_FALSE(h.arena->on_join(person(2, 3)).has_value());
  h.steps(10);
  EXPECT_EQ(h.context.of_type("results").size(), 1u);
}

TEST(ArenaMatch, ResultsRankByKillsThenDeaths) {
  const std::string json = results_event({{0, "a", 1, 5, false}, {3, "b", 4, 2, true}, {5, "c", 1, 1, false}}, "time");
  EXPECT_EQ(json, R"({"reason":"time","winner":3,"scores":[{"seat":3,"name":"b","kills":4,"deaths":2,"bot":true},)"
                  R"({"seat":5,"name":"c","kills":1,"deaths":1,"bot":false},)"
                  R"({"seat":0,"name":"a","kills":1,"deaths":5,"bot":false}]})");
  EXPECT_EQ(results_event({}, "time"), R"({"reason":"time","winner":null,"scores":[]})");
}

TEST(ArenaMatch, NamesAreEscapedAndCut) {
  EXPECT_EQ(json_name("a\"b\\c\n\x01"), R"("a\"b\\c\u000a\u0001")");
  EXPECT_EQ(json_name(std::string(40, 'x')), "\"" + std::string(kMaxNameBytes, 'x') + "\"");
  // Cut on a character boundary: 31 ASCII bytes then a two-byte character straddling byte 32.
  EXPECT_EQ(json_name(std::string(31, 'x') + "\xc3\xa9yz"), "\"" + std::string(31, 'x') + "\"");
}

TEST(ArenaSeats, BotsFillTheHighSlotsAndGiveWayToPeople) {
  arena_harness h(room_options{{"bots", "7"}, {"seed", "5"}});
  h.step();
  EXPECT_EQ(h.context.label, R"({"mode":"ffa","map":"yard","players":0,"bots":7})");
  for (int slot = 1; slot < kMaxFighters; ++slot) EXPECT_EQ(h.player(slot).fields[kPbot], 1.0);
  EXPECT_FALSE(h.has_player(0));
  h.join(person(0, 1));
  h.join(person(1, 2));  // seat 1 was a bot's: it goes, the room now wants six
  h.step();
  EXPECT_EQ(h.context.label, R"({"mode":"ffa","map":"yard","players":2,"bots":6})");
  EXPECT_EQ(h.player(1).fields[kPbot], 0.0);
  EXPECT_EQ(h.player(1).fields[kPseat], 1.0);
  h.arena->on_leave(person(1, 2), leave_kind::left);
  h.step();
  EXPECT_EQ(h.context.label, R"({"mode":"ffa","map":"yard","players":1,"bots":7})");
}

TEST(ArenaSeats, ABotInAPersonsSeatMovesToAFreeOne) {
  arena_harness h(room_options{{"bots", "2"}, {"seed", "5"}});
  h.join(person(7, 1));  // bots sit in 7 and 6: the one in 7 moves down
  h.step();
  EXPECT_EQ(h.player(7).fields[kPbot], 0.0);
  EXPECT_EQ(h.player(6).fields[kPbot], 1.0);
  EXPECT_EQ(h.player(5).fields[kPbot], 1.0);
  EXPECT_EQ(h.context.label, R"({"mode":"ffa","map":"yard","players":1,"bots":2})");
}

TEST(ArenaSeats, ATakenSeatOrOneOutsideTheArenaIsRefused) {
  arena_harness h;
  h.join(person(0, 1));
  EXPECT_EQ(h.arena->on_join(person(0, 2)).error(), "that place in the arena is taken");
  EXPECT_FALSE(h.arena->on_join(person(8, 3)).has_value());
  EXPECT_FALSE(h.arena->on_join(person(-1, 3)).has_value());
  EXPECT_TRUE(h.arena->on_join(spectator(4)).has_value());
}

TEST(ArenaOptions, BadValuesAreRefusedInWords) {
  const arena_type type;
  test_context context;
  const auto refused = [&](room_options options) {
    auto made = type.create(options, context);
    return made.has_value() ? std::string() : made.error();
  };
  EXPECT_EQ(refused({{"duration_s", "abc"}}),
            "the match length (duration_s, seconds) must be a whole number from 5 to 3600, not 'abc'");
  EXPECT_NE(refused({{"duration_s", "4"}}), "");
  EXPECT_NE(refused({{"duration_s", "3601"}}), "");
  EXPECT_NE(refused({{"duration_s", " 60"}}), "");
  EXPECT_NE(refused({{"duration_s", "60s"}}), "");
  EXPECT_EQ(refused({{"bots", "8"}}), "the number of bots (bots) must be a whole number from 0 to 7, not '8'");
  EXPECT_NE(refused({{"bots", "-1"}}), "");
  EXPECT_EQ(refused({{"seed", "-1"}}), "the seed must be an unsigned whole number, not '-1'");
  EXPECT_EQ(refused({{"map", "moon\x01"}}), "there is no arena map called 'moon?' (there is 'yard')");
  EXPECT_NE(refused({{"mode", "ctf"}}), "");
  const std::string long_refusal = refused({{"bots", std::string(100, '9')}});
  EXPECT_NE(long_refusal.find("not '9999999999999999...'"), std::string::npos) << long_refusal;  // cut short
  EXPECT_EQ(refused({{"duration_s", "60"}, {"bots", "0"}, {"seed", "18446744073709551615"}, {"map", "yard"},
                     {"mode", "ffa"}, {"region", "eu"}}),
            "");
}

TEST(ArenaOptions, TickHzSetsTheRoomsTickRateWithinTheEnginesRange) {
  const arena_type type;
  EXPECT_EQ(type.settings_for({}).tick_hz, 30);
  EXPECT_EQ(type.settings_for({{"tick_hz", "20"}}).tick_hz, 20);
  EXPECT_EQ(type.settings_for({{"tick_hz", "128"}}).tick_hz, 128);
  EXPECT_EQ(type.settings_for({{"tick_hz", "1"}}).tick_hz, 1);
  // Unacceptable: the defaults stand here and create() refuses in words.
  EXPECT_EQ(type.settings_for({{"tick_hz", "129"}}).tick_hz, 30);
  test_context context;
  for (const char* bad : {"0", "129", "20.5", "-20", ""}) {
    auto made = type.create({{"tick_hz", bad}}, context);
    ASSERT_FALSE(made.has_value()) << bad;
    EXPECT_EQ(made.error().rfind("the tick rate (tick_hz) must be a whole number from 1 to 128", 0), 0u) << made.error();
  }
  EXPECT_TRUE(type.create({{"tick_hz", "20"}}, context).has_value());
}

TEST(ArenaWorld, EveryEntityCarriesItsTypesFieldCount) {
  const world_schema& schema = arena_type().schema();
  ASSERT_EQ(schema.types.size(), 3u);
  EXPECT_EQ(schema.types[kPlayerType].name, "player");
  EXPECT_EQ(schema.types[kPlayerType].fields.size(), std::size_t(kPlayerFields));
  EXPECT_EQ(schema.types[kShotType].fields.size(), std::size_t(kShotFields));
  EXPECT_EQ(schema.types[kMatchType].fields.size(), std::size_t(kMatchFields));
  EXPECT_EQ(schema.types[kPlayerType].fields[kPx].bits, 10);  // 48 units in sixteenths
  EXPECT_EQ(schema.types[kPlayerType].fields[kPy].bits, 10);  // 0..512 sixteenths
  EXPECT_EQ(schema.types[kPlayerType].fields[kPangle].bits, kAngleBits);

  arena_harness h(room_options{{"bots", "3"}});
  h.join(person(0, 1));
  h.steps(20);
  h.input(person(0, 1), kFire);
  h.step();
  std::size_t players = 0, shots = 0, matches = 0;
  for (const auto& [id, e] : h.world.entities) {
    ASSERT_LT(e.type, schema.types.size());
    EXPECT_EQ(e.fields.size(), schema.types[e.type].fields.size()) << "entity " << id;
    players += e.type == kPlayerType;
    shots += e.type == kShotType;
    matches += e.type == kMatchType;
    if (e.type == kMatchType) {
      EXPECT_TRUE(e.where.always);
    }
    if (e.type == kPlayerType) {
      EXPECT_FALSE(e.where.always);
      EXPECT_EQ(e.where.x, float(e.fields[kPx]));
    }
  }
  EXPECT_EQ(players, 4u);
  EXPECT_GE(shots, 1u);
  EXPECT_EQ(matches, 1u);
}

TEST(ArenaWorld, PlayersSeeAroundThemselvesAndSpectatorsSeeEverything) {
  arena_harness h;
  h.join(person(0, 1));
  h.join(spectator(9));
  h.step();
  const auto view = h.arena->viewpoint_for(person(0, 1));
  ASSERT_TRUE(view);
  EXPECT_EQ(view->x, float(h.position(0).x));
  EXPECT_EQ(view->radius, float(kViewRadius));
  EXPECT_FALSE(h.arena->viewpoint_for(spectator(9)));
  EXPECT_FALSE(h.arena->viewpoint_for(person(0, 2)));
}

TEST(ArenaWorld, TracersFadeAfterTheirLifetime) {
  arena_harness h;
  h.join(person(0, 1));
  h.step();
  h.input(person(0, 1), kFire);
  h.step();
  EXPECT_EQ(h.world.entities.count(kShotIdBase), 1u);
  h.steps(kTracerLifetimeMs * kDefaultTickHz / 1000);
  EXPECT_EQ(h.world.entities.count(kShotIdBase), 0u);
}

}  // namespace
}  // namespace guildhall::games::arena
