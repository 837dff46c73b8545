// games/arena: the bot brain - pure and deterministic for a seed, fed only what a client could decode from a
// snapshot - and bots playing a real match in a room.
#include <gtest/gtest.h>

#include <vector>

#include "arena_harness.hpp"
#include "games/arena/arena_bot.hpp"

namespace guildhall::games::arena {
namespace {

using testing::arena_harness;

TEST(ArenaBot, ButtonsApproximateTheWishedDirection) {
  EXPECT_EQ(buttons_for({0, 0}), 0);
  EXPECT_EQ(buttons_for({1, 0}), kRight);
  EXPECT_EQ(buttons_for({-3, 0.1}), kLeft);
  EXPECT_EQ(buttons_for({1, 1}), kRight | kUp);
  EXPECT_EQ(buttons_for({-0.2, -5}), kDown);
}

TEST(ArenaBot, AimsAndFiresAtAnEnemyInSight) {
  arena_bot bot(1);
  const std::vector<bot_body> others{{3, {27, 11}, 100, true}};
  const arena_input in = bot.think({{0, {17, 11}, 100, true}, others, 30});
  EXPECT_TRUE(in.held(kFire));
  const double aim = aim_radians(in.aim);
  EXPECT_LT(std::min(aim, 2 * std::numbers::pi - aim), 0.07);  // about straight right, with a little error
}

TEST(ArenaBot, HoldsFireAtEnemiesBehindWallsAndTheDead) {
  arena_bot bot(1);
  const std::vector<bot_body> hidden{{3, {30, 16}, 100, true}}, dead{{3, {27, 11}, 0, false}};
  EXPECT_FALSE(bot.think({{0, {18, 16}, 100, true}, hidden, 30}).held(kFire));
  EXPECT_FALSE(bot.think({{0, {17, 11}, 100, true}, dead, 30}).held(kFire));
  EXPECT_EQ(bot.think({{0, {17, 11}, 0, false}, hidden, 30}), arena_input{});  // a dead bot presses nothing
}

TEST(ArenaBot, TheSameSeedThinksTheSameThoughts) {
  arena_bot a(99), b(99), c(100);
  const std::vector<bot_body> others{{3, {27, 11}, 100, true}};
  const std::vector<bot_body> nobody;
  bool differs = false;
  for (int tick = 0; tick < 300; ++tick) {
    // A view holds a span: what it points at must outlive it (a temporary vector here was freed before think()
    // read it; TSan's use-after-free report found it).
    const bot_view view{{0, {17 + tick * 0.01, 11}, 100, true}, tick % 50 < 25 ? others : nobody, 30};
    const arena_input x = a.think(view), y = b.think(view), z = c.think(view);
    ASSERT_EQ(x, y) << tick;
    differs = differs || !(x == z);
  }
  EXPECT_TRUE(differs);
}

// The whole loop: bots in a room, nobody else, a few simulated minutes at most.
TEST(ArenaBot, TwoSeededBotsInARoomScoreKills) {
  arena_harness h(room_options{{"bots", "2"}, {"seed", "11"}, {"duration_s", "120"}});
  int ticks = 0;
  while (h.arena->stats().kills < 2 && !h.context.ended) {
    h.step();
    ++ticks;
  }
  EXPECT_GE(h.arena->stats().kills, 2u) << "after " << ticks / kDefaultTickHz << " s";
  EXPECT_GT(h.arena->stats().shots, h.arena->stats().kills);
  const auto kills = h.context.of_type("kill");
  ASSERT_FALSE(kills.empty());
  // Both bots are real fighters in the world, with their scores.
  double score = h.player(7).fields[kPscore] + h.player(6).fields[kPscore];
  EXPECT_EQ(score, double(h.arena->stats().kills));
}

TEST(ArenaBot, AMatchOfBotsReplaysExactlyFromItsSeed) {
  const auto play = [](std::string seed) {
    arena_harness h(room_options{{"bots", "4"}, {"seed", seed}, {"duration_s", "20"}});
    while (!h.context.ended) h.step();
    return h.context.events;
  };
  const auto first = play("3"), again = play("3"), other = play("4");
  ASSERT_EQ(first.size(), again.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].payload, again[i].payload);
  EXPECT_NE(first.back().payload, other.back().payload);
}

}  // namespace
}  // namespace guildhall::games::arena
