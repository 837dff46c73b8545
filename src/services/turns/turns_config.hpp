#pragma once
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::services {

struct turns_config {
  // A match without a clock: a player who does not move within this loses as "abandoned" (the match is aborted
  // instead if it had barely begun). Lower it for fast casual play; 0 never adjudicates.
  std::int64_t move_deadline_ms = 3LL * 24 * 3600 * 1000;
  // A match with a clock: each side's clock starts only after its first move, so a side that does not make its
  // first move within this (from its turn's start) has the match aborted. Raise it for slow, long clocks.
  std::int64_t first_move_deadline_ms = 60'000;
  std::int64_t open_match_ttl_ms = 24LL * 3600 * 1000;  // an open match nobody joins is cancelled after this
  // An open match whose creator has had no connection for this long is cancelled, so the list offers only
  // matches someone is waiting at. 0: never.
  std::int64_t open_match_offline_ttl_ms = 5LL * 60 * 1000;
  std::uint32_t sweep_interval_ms = 100;  // how often each shard checks clocks: how late a flag can fall, at most
  std::int64_t max_initial_ms = 24LL * 3600 * 1000;     // longest clock a match may ask for
  std::uint32_t max_live_matches_per_user = 100;        // open + active, so nobody fills the server with matches
  std::uint32_t notifications_per_login = 50;           // stored notifications pushed at each Authenticate
  std::uint32_t bot_threads = 1;                        // threads that think for bots (each may run a stockfish)
  std::string stockfish_path;                           // empty: "stockfish" on PATH, then /usr/games/stockfish
  std::uint32_t bot_skill_level = 5;                    // 0..20 when CreateMatch leaves it 0
  std::uint32_t bot_move_time_ms = 200;                 // per move when CreateMatch leaves it 0
  std::uint32_t max_bot_move_time_ms = 5'000;

  result<void> validate() const {
    if (sweep_interval_ms == 0 || bot_threads == 0 || notifications_per_login == 0) {
      return fail(errc::invalid_argument, "turns.sweep_interval_ms, bot_threads and notifications_per_login must be positive");
    }
    if (open_match_offline_ttl_ms < 0) return fail(errc::invalid_argument, "turns.open_match_offline_ttl_ms must not be negative");
    if (first_move_deadline_ms <= 0) return fail(errc::invalid_argument, "turns.first_move_deadline_ms must be positive");
    if (bot_skill_level > 20) return fail(errc::invalid_argument, "turns.bot_skill_level is 0..20");
    if (bot_move_time_ms == 0 || bot_move_time_ms > max_bot_move_time_ms) {
      return fail(errc::invalid_argument, "turns.bot_move_time_ms must be 1..max_bot_move_time_ms");
    }
    return {};
  }
};

}  // namespace guildhall::services
