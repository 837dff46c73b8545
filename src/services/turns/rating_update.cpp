#include "services/turns/rating_update.hpp"

#include "services/ratings/glicko2.hpp"

namespace guildhall::services {
namespace {

store::rating_record rating_or_new(store::backend& store, const store::match_seat& seat, const std::string& game) {
  auto found = store.find_rating(seat.user_id, game);
  if (found) return *found;
  store::rating_record fresh;
  fresh.user_id = seat.user_id;
  fresh.username = seat.username;
  fresh.game = game;
  return fresh;
}

glicko2_rating as_glicko(const store::rating_record& record) {
  return glicko2_rating{record.rating, record.deviation, record.volatility};
}

}  // namespace

result<void> apply_ratings(store::backend& store, const store::match_record& finished) {
  if (finished.seats.size() != 2) return {};
  store::rating_record players[2] = {rating_or_new(store, finished.seats[0], finished.game),
                                     rating_or_new(store, finished.seats[1], finished.game)};
  const glicko2_rating before[2] = {as_glicko(players[0]), as_glicko(players[1])};
  for (int seat = 0; seat < 2; ++seat) {
    auto& player = players[seat];
    const double score = finished.winner < 0 ? 0.5 : (finished.winner == seat ? 1.0 : 0.0);
    const glicko2_game game{before[1 - seat], score};
    const auto after = glicko2_update(before[seat], std::span(&game, 1));
    player.rating = after.rating;
    player.deviation = after.deviation;
    player.volatility = after.volatility;
    ++player.games;
    if (score == 1.0) ++player.wins;
    else if (score == 0.0) ++player.losses;
    else ++player.draws;
    player.updated_at_ms = finished.updated_at_ms;
    if (auto saved = store.save_rating(player); !saved) return saved;
  }
  return {};
}

}  // namespace guildhall::services
