#include "services/turns/leaderboard.hpp"

namespace guildhall::services {

result<wire::v1::LeaderboardPage> read_leaderboard(store::backend& store, const std::string& game,
                                                   const std::string& around, std::uint32_t limit) {
  if (limit > kLeaderboardMaxLimit) return fail(errc::invalid_argument, "limit is at most " + std::to_string(kLeaderboardMaxLimit));
  if (limit == 0) limit = kLeaderboardDefaultLimit;
  std::uint32_t offset = 0;
  if (!around.empty()) {
    auto user = store.find_user_by_name(around);
    if (!user) return fail(errc::not_found, "no user named '" + around + "'");
    auto rank = store.leaderboard_rank(user->id, game);
    if (!rank) {
      if (rank.error().code == errc::not_found) return fail(errc::not_found, around + " has no rating in " + game + " yet");
      return std::unexpected(rank.error());
    }
    offset = *rank - 1 >= limit / 2 ? *rank - 1 - limit / 2 : 0;
  }
  auto rows = store.leaderboard(game, offset, limit);
  if (!rows) return std::unexpected(rows.error());
  wire::v1::LeaderboardPage page;
  page.set_game(game);
  std::uint32_t rank = offset;
  for (const auto& row : *rows) {
    auto* entry = page.add_entries();
    entry->set_rank(++rank);
    entry->set_user_id(row.user_id);
    entry->set_username(row.username);
    entry->set_rating(static_cast<std::int32_t>(row.rating + 0.5));
    entry->set_deviation(static_cast<std::int32_t>(row.deviation + 0.5));
    entry->set_games(row.games);
    entry->set_wins(row.wins);
    entry->set_losses(row.losses);
    entry->set_draws(row.draws);
  }
  return page;
}

}  // namespace guildhall::services
