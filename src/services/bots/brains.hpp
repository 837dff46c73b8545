#pragma once
// Which brain thinks for which game: chess asks stockfish when it is installed and falls back to the built-in
// engine; every other game plays a random legal move (bot_runner's default).
#include <string>

#include "services/bots/bot_runner.hpp"

namespace guildhall::services {

// `stockfish_path`: see uci_engine_options::path (empty: "stockfish" on PATH, then /usr/games/stockfish).
brain_factory make_brain_factory(std::string stockfish_path);

}  // namespace guildhall::services
