#pragma once
// Wiring for turn-based play: which games the server offers and the bot's account (how bots think per game is
// services/bots/brains.hpp).
#include "base/result.hpp"
#include "services/turns/game_registry.hpp"
#include "services/turns/match.hpp"
#include "services/turns/turns_config.hpp"
#include "store/database.hpp"

namespace guildhall::server {

// The account bots play under; it cannot log in (its password hash matches no password).
inline constexpr std::string_view kBotUsername = "GuildhallBot";

void register_games(services::game_registry& games);
// Finds or creates the bot's account. Blocks: call at start-up only.
result<services::player_ref> ensure_bot_player(store::database& db);

}  // namespace guildhall::server
