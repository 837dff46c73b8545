#pragma once
// The read-only HTTP routes of turn-based play:
//   GET /v1/leaderboards/{game}[?around=USERNAME][&limit=N]  -> LeaderboardPage as JSON
//   GET /v1/matches/{id}/pgn                                 -> a chess match as PGN text
// Thread-safety: `handle` on a shard; the answer comes from a database reader thread.
#include <string>

#include "net/http_types.hpp"
#include "services/turns/game_registry.hpp"
#include "store/database.hpp"

namespace guildhall::server {

class match_routes {
 public:
  match_routes(store::database& db, const services::game_registry& games) : db_(db), games_(games) {}

  // False when `path` is not one of these routes.
  bool handle(const std::string& path, const std::string& query, net::http_responder& respond);

 private:
  void leaderboard(const std::string& game, const std::string& query, net::http_responder respond);
  void pgn(const std::string& match_id, net::http_responder respond);

  store::database& db_;
  const services::game_registry& games_;
};

}  // namespace guildhall::server
