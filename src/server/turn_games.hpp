#pragma once
// Wiring for turn-based play: which games the server offers, the bot's account, and how bots think per game.
#include "base/result.hpp"
#include "services/bots/bot_runner.hpp"
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
// Chess bots ask stockfish when it is installed and fall back to the built-in engine; other games play a random
// legal move.
services::brain_factory make_brain_factory(const services::turns_config& config);

}  // namespace guildhall::server
