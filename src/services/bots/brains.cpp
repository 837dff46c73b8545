#include "services/bots/brains.hpp"

#include "services/bots/chess_bot_brain.hpp"

namespace guildhall::services {

brain_factory make_brain_factory(std::string stockfish_path) {
  return [stockfish = std::move(stockfish_path)](const std::string& game) -> std::unique_ptr<bot_brain> {
    if (game == "chess") return std::make_unique<chess_bot_brain>(stockfish);
    return nullptr;  // the runner plays a random legal move
  };
}

}  // namespace guildhall::services
