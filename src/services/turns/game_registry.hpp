#pragma once
// The turn-based games this server offers, by name (filled by src/server/turn_games.cpp).
#include <guildhall/turn_game.hpp>

#include "services/named_registry.hpp"

namespace guildhall::services {

using game_registry = named_registry<turn_game>;

}  // namespace guildhall::services
