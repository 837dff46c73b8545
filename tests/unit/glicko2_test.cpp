// services/ratings/glicko2: Glickman's published worked example, and the properties any rating update must have.
#include "services/ratings/glicko2.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace guildhall::services {
namespace {

// "Example of the Glicko-2 system", Glickman: a 1500/200/0.06 player beats a 1400/30, loses to a 1550/100 and
// to a 1700/300 in one rating period, tau 0.5. The paper prints r' = 1464.06, RD' = 151.52, sigma' = 0.05999,
// computed from intermediates rounded to four places (v = 1.7785, delta = -0.4834, mu' = -0.2069); in full
// precision the same steps give 1464.0507, 151.5165 and 0.0599960, which other implementations also report.
// The tolerances cover exactly that rounding.
TEST(Glicko2, GlickmansWorkedExample) {
  const glicko2_rating player{.rating = 1500, .deviation = 200, .volatility = 0.06};
  const std::vector<glicko2_game> games = {
      {.opponent = {.rating = 1400, .deviation = 30}, .score = 1},
      {.opponent = {.rating = 1550, .deviation = 100}, .score = 0},
      {.opponent = {.rating = 1700, .deviation = 300}, .score = 0},
  };
  const glicko2_rating after = glicko2_update(player, games, 0.5);
  EXPECT_NEAR(after.rating, 1464.06, 0.01);
  EXPECT_NEAR(after.deviation, 151.52, 0.005);
  EXPECT_NEAR(after.volatility, 0.05999, 0.00001);
  EXPECT_NEAR((after.rating - 1500) / 173.7178, -0.2069, 0.00005);  // mu' as the paper prints it
  EXPECT_NEAR(after.deviation / 173.7178, 0.8722, 0.00005);         // phi'
  // Full precision, so a change to the arithmetic cannot hide inside the paper's rounding.
  EXPECT_NEAR(after.rating, 1464.0507, 0.0001);
  EXPECT_NEAR(after.deviation, 151.5165, 0.0001);
  EXPECT_NEAR(after.volatility, 0.0599960, 0.0000001);
}

TEST(Glicko2, DefaultTauIsTheExamplesTau) {
  const glicko2_rating player{.rating = 1500, .deviation = 200, .volatility = 0.06};
  const std::vector<glicko2_game> games = {{.opponent = {.rating = 1400, .deviation = 30}, .score = 1}};
  const glicko2_rating with_default = glicko2_update(player, games);
  const glicko2_rating with_half = glicko2_update(player, games, 0.5);
  EXPECT_EQ(with_default.rating, with_half.rating);
  EXPECT_EQ(with_default.volatility, with_half.volatility);
}

// Step 6 alone: RD' = sqrt(RD^2 + (173.7178 sigma)^2); rating and volatility are unchanged.
TEST(Glicko2, NoGamesOnlyWidensTheDeviation) {
  const glicko2_rating player{.rating = 1700, .deviation = 200, .volatility = 0.06};
  const glicko2_rating after = glicko2_update(player, {});
  EXPECT_EQ(after.rating, 1700);
  EXPECT_EQ(after.volatility, 0.06);
  EXPECT_NEAR(after.deviation, std::sqrt(200.0 * 200.0 + (173.7178 * 0.06) * (173.7178 * 0.06)), 1e-9);
  EXPECT_GT(after.deviation, player.deviation);
}

TEST(Glicko2, NewPlayerDefaults) {
  const glicko2_rating fresh;
  EXPECT_EQ(fresh.rating, 1500);
  EXPECT_EQ(fresh.deviation, 350);
  EXPECT_EQ(fresh.volatility, 0.06);
}

TEST(Glicko2, DrawBetweenEqualsLeavesTheRatingAndNarrowsTheDeviation) {
  const glicko2_rating players[] = {glicko2_rating{}, {.rating = 1830, .deviation = 60, .volatility = 0.05}};
  for (const glicko2_rating& player : players) {
    const std::vector<glicko2_game> draw = {{.opponent = player, .score = 0.5}};
    const glicko2_rating after = glicko2_update(player, draw);
    EXPECT_NEAR(after.rating, player.rating, 1e-9);
    EXPECT_LT(after.deviation, player.deviation);
    EXPECT_LE(after.volatility, player.volatility);  // no surprise at all: never more volatile
  }
}

// Between two players with the same deviation and volatility, what the winner gains the loser loses, and both
// become equally certain. The update is also a mirror image: losing to someone is the reverse of beating them.
TEST(Glicko2, WinAndLossAreSymmetric) {
  const glicko2_rating a{.rating = 1620, .deviation = 120, .volatility = 0.06};
  const glicko2_rating b{.rating = 1480, .deviation = 120, .volatility = 0.06};
  const std::vector<glicko2_game> a_beats_b = {{.opponent = b, .score = 1}};
  const std::vector<glicko2_game> b_loses_to_a = {{.opponent = a, .score = 0}};
  const glicko2_rating a_after = glicko2_update(a, a_beats_b);
  const glicko2_rating b_after = glicko2_update(b, b_loses_to_a);
  EXPECT_GT(a_after.rating, a.rating);
  EXPECT_LT(b_after.rating, b.rating);
  EXPECT_NEAR(a_after.rating - a.rating, b.rating - b_after.rating, 1e-9);
  EXPECT_NEAR(a_after.deviation, b_after.deviation, 1e-9);

  // Mirror: reflect both ratings around 1500 and flip the result; the change is reflected too.
  const glicko2_rating a_mirror{.rating = 3000 - a.rating, .deviation = 120, .volatility = 0.06};
  const glicko2_rating b_mirror{.rating = 3000 - b.rating, .deviation = 120, .volatility = 0.06};
  const std::vector<glicko2_game> a_mirror_loses = {{.opponent = b_mirror, .score = 0}};
  const glicko2_rating a_mirror_after = glicko2_update(a_mirror, a_mirror_loses);
  EXPECT_NEAR(a_mirror_after.rating - 1500, -(a_after.rating - 1500), 1e-9);
  EXPECT_NEAR(a_mirror_after.deviation, a_after.deviation, 1e-9);
  EXPECT_NEAR(a_mirror_after.volatility, a_after.volatility, 1e-12);
}

TEST(Glicko2, AnUpsetMovesMoreThanAnExpectedResult) {
  const glicko2_rating player{.rating = 1500, .deviation = 100, .volatility = 0.06};
  const glicko2_rating stronger{.rating = 1900, .deviation = 100, .volatility = 0.06};
  const glicko2_rating weaker{.rating = 1100, .deviation = 100, .volatility = 0.06};
  const std::vector<glicko2_game> upset = {{.opponent = stronger, .score = 1}};
  const std::vector<glicko2_game> expected = {{.opponent = weaker, .score = 1}};
  EXPECT_GT(glicko2_update(player, upset).rating - 1500, 5 * (glicko2_update(player, expected).rating - 1500));
  EXPECT_GT(glicko2_update(player, upset).volatility, glicko2_update(player, expected).volatility);
}

// Ratings so far apart that the expected score rounds to exactly 0 or 1 carry no information; the update must
// still return finite numbers (it treats the period as one without games).
TEST(Glicko2, HopelesslyLopsidedGameStaysFinite) {
  const glicko2_rating player{.rating = 1500, .deviation = 30, .volatility = 0.06};
  const std::vector<glicko2_game> games = {{.opponent = {.rating = 1e7, .deviation = 30}, .score = 0}};
  const glicko2_rating after = glicko2_update(player, games);
  EXPECT_TRUE(std::isfinite(after.rating));
  EXPECT_TRUE(std::isfinite(after.deviation));
  EXPECT_TRUE(std::isfinite(after.volatility));
  EXPECT_NEAR(after.rating, 1500, 1e-6);
}

TEST(Glicko2, RatingPeriodsChain) {
  // A newcomer winning five games in a row against established 1500s climbs each time, and grows more certain.
  glicko2_rating player;
  const glicko2_rating opponent{.rating = 1500, .deviation = 50, .volatility = 0.06};
  for (int game = 0; game < 5; ++game) {
    const std::vector<glicko2_game> win = {{.opponent = opponent, .score = 1}};
    const glicko2_rating after = glicko2_update(player, win);
    EXPECT_GT(after.rating, player.rating);
    EXPECT_LT(after.deviation, player.deviation);
    player = after;
  }
}

}  // namespace
}  // namespace guildhall::services
