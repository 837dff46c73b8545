#include "server/turn_games.hpp"

#include <future>

#include "base/ids.hpp"
#include "games/chess/chess_game.hpp"
#include "games/tictactoe/tictactoe.hpp"

namespace guildhall::server {

void register_games(services::game_registry& games) {
  games.add(std::make_unique<games::chess::chess_game>());
  games.add(std::make_unique<games::tictactoe_game>());
}

result<services::player_ref> ensure_bot_player(store::database& db) {
  std::promise<result<store::user_record>> found;
  db.write([&found](store::backend& store) {
    auto user = store.find_user_by_name(kBotUsername);
    if (!user && user.error().code == errc::not_found) user = store.create_user(kBotUsername, "!", "", unix_now_ms());
    found.set_value(std::move(user));
  });
  auto user = found.get_future().get();
  if (!user) return std::unexpected(user.error());
  return services::player_ref{user->id, user->username, true, 0};
}

}  // namespace guildhall::server
