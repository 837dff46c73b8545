#include "services/ratings/glicko2.hpp"

#include <cmath>
#include <numbers>

namespace guildhall::services {
namespace {

// Glicko-2 works on its own scale; this is 400 / ln 10 rounded as in the paper, so results match its example.
constexpr double kScale = 173.7178;
constexpr double kCentre = 1500;
// Convergence tolerance of the volatility iteration (step 5), the paper's value.
constexpr double kEpsilon = 1e-6;
// The iteration converges in a handful of steps; the cap only guards against non-finite input looping forever.
constexpr int kMaxIterations = 100;

double g(double phi) { return 1 / std::sqrt(1 + 3 * phi * phi / (std::numbers::pi * std::numbers::pi)); }

double expected_score(double mu, double mu_j, double phi_j) { return 1 / (1 + std::exp(-g(phi_j) * (mu - mu_j))); }

// Step 5: the new volatility, the root of f by the Illinois variant of regula falsi.
double new_volatility(double phi, double sigma, double v, double delta, double tau) {
  const double a = std::log(sigma * sigma);
  const auto f = [&](double x) {
    const double ex = std::exp(x);
    const double denominator = phi * phi + v + ex;
    return ex * (delta * delta - phi * phi - v - ex) / (2 * denominator * denominator) - (x - a) / (tau * tau);
  };

  double big_a = a;
  double big_b;
  if (delta * delta > phi * phi + v) {
    big_b = std::log(delta * delta - phi * phi - v);
  } else {
    int k = 1;
    while (f(a - k * tau) < 0 && k < kMaxIterations) ++k;
    big_b = a - k * tau;
  }
  double f_a = f(big_a);
  double f_b = f(big_b);
  for (int i = 0; i < kMaxIterations && std::abs(big_b - big_a) > kEpsilon; ++i) {
    const double big_c = big_a + (big_a - big_b) * f_a / (f_b - f_a);
    const double f_c = f(big_c);
    if (f_c * f_b <= 0) {
      big_a = big_b;
      f_a = f_b;
    } else {
      f_a /= 2;
    }
    big_b = big_c;
    f_b = f_c;
  }
  return std::exp(big_a / 2);
}

}  // namespace

glicko2_rating glicko2_update(const glicko2_rating& player, std::span<const glicko2_game> games, double tau) {
  // Step 2: to the Glicko-2 scale.
  const double mu = (player.rating - kCentre) / kScale;
  const double phi = player.deviation / kScale;
  const double sigma = player.volatility;

  // Steps 3 and 4: the estimated variance v of the rating from the games alone, and the improvement delta.
  double information = 0;  // 1 / v
  double surprise = 0;     // sum of g(phi_j) (s_j - E_j); delta = v * surprise
  for (const glicko2_game& game : games) {
    const double mu_j = (game.opponent.rating - kCentre) / kScale;
    const double phi_j = game.opponent.deviation / kScale;
    const double e = expected_score(mu, mu_j, phi_j);
    information += g(phi_j) * g(phi_j) * e * (1 - e);
    surprise += g(phi_j) * (game.score - e);
  }
  // No games (or only games so lopsided that they carry no information): only the deviation grows.
  if (information <= 0) {
    return {.rating = player.rating, .deviation = kScale * std::sqrt(phi * phi + sigma * sigma), .volatility = sigma};
  }
  const double v = 1 / information;
  const double delta = v * surprise;

  // Step 5: the new volatility.
  const double sigma_new = new_volatility(phi, sigma, v, delta, tau);

  // Steps 6 and 7: the pre-period deviation, then the new deviation and rating.
  const double phi_star = std::sqrt(phi * phi + sigma_new * sigma_new);
  const double phi_new = 1 / std::sqrt(1 / (phi_star * phi_star) + 1 / v);
  const double mu_new = mu + phi_new * phi_new * surprise;

  // Step 8: back to the Glicko scale.
  return {.rating = kScale * mu_new + kCentre, .deviation = kScale * phi_new, .volatility = sigma_new};
}

}  // namespace guildhall::services
