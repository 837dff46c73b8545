#pragma once
// The turn-based games this server offers, by name. Filled once at start-up (src/server/games.cpp), read-only
// afterwards.
// Thread-safety: `add` before the server starts; `find` and `names` from any thread after.
#include <guildhall/turn_game.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::services {

class game_registry {
 public:
  void add(std::unique_ptr<turn_game> game) {
    const std::string name(game->name());
    games_[name] = std::move(game);
  }
  const turn_game* find(std::string_view name) const {
    auto found = games_.find(name);
    return found == games_.end() ? nullptr : found->second.get();
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, game] : games_) out.push_back(name);
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<turn_game>, std::less<>> games_;
};

}  // namespace guildhall::services
