#pragma once
// Leaderboard pages, for the protocol and for HTTP: the top N of a game, or the N around one player.
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "store/store.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

constexpr std::uint32_t kLeaderboardDefaultLimit = 20;
constexpr std::uint32_t kLeaderboardMaxLimit = 100;

// Runs on a database thread. `around` empty: from rank 1. `limit` 0 means the default; above the maximum is refused.
result<wire::v1::LeaderboardPage> read_leaderboard(store::backend& store, const std::string& game,
                                                   const std::string& around, std::uint32_t limit);

}  // namespace guildhall::services
