#pragma once
// Plain records the stores read and write; backend-neutral.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace guildhall::store {

struct user_record {
  std::uint64_t id = 0;
  std::string username;
  std::string password_hash;  // argon2id string, empty for guests
  std::string device_id;      // set for guests
  std::int64_t created_at_ms = 0;
};

// A chat line: a channel message (channel set) or a direct message (to_user_id set).
struct chat_record {
  std::uint64_t id = 0;  // time-ordered (base/ids.hpp), assigned by the service
  std::string channel;
  std::uint64_t from_user_id = 0;
  std::string from_username;
  std::uint64_t to_user_id = 0;
  std::string to_username;
  std::string text;
  std::int64_t sent_at_ms = 0;
};

}  // namespace guildhall::store

namespace guildhall::store {

enum class match_status { open = 1, active = 2, finished = 3, aborted = 4 };

struct match_seat {
  std::uint64_t user_id = 0;  // 0: free
  std::string username;
  bool bot = false;
  int rating = 0;                     // when the match was created
  std::vector<std::string> invited;   // a free seat of an invite-only match: who may take it
};

// A turn-based match: everything needed to rebuild it after a restart. The game's own position is `state`
// (game_state::serialize()); the engine's bookkeeping is the rest.
struct match_record {
  std::uint64_t id = 0;
  std::string game;
  match_status status = match_status::open;
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<match_seat> seats;
  std::string state;
  std::uint32_t ply = 0;
  int to_move = -1;
  std::int64_t initial_ms = 0;    // 0: no clock
  std::int64_t increment_ms = 0;
  std::vector<std::int64_t> clock_ms;     // per seat, as of turn_started_at_ms
  std::int64_t turn_started_at_ms = 0;    // when the seat to move started thinking
  bool rated = false;
  int winner = -1;
  std::string result_reason;
  int draw_offered_by = -1;
  int bot_skill_level = 0;
  int bot_move_time_ms = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct move_record {
  std::uint64_t match_id = 0;
  std::uint32_t ply = 0;
  int seat = 0;
  std::string move;       // canonical
  std::string display;
  std::int64_t at_ms = 0;
  std::int64_t clock_ms = 0;
};

struct notification_record {
  std::uint64_t id = 0;  // assigned by the store
  std::uint64_t user_id = 0;
  int kind = 0;          // wire Notification.Kind
  std::uint64_t match_id = 0;
  std::string game;
  std::string text;
  std::int64_t created_at_ms = 0;
};

// What rotating a refresh token found. Reuse of a rotated token (someone kept a copy) revokes its family.
enum class refresh_outcome : std::uint8_t { rotated, unknown, expired, revoked, reused };

struct refresh_rotation {
  refresh_outcome outcome = refresh_outcome::unknown;
  std::uint64_t user_id = 0;  // set when rotated
  bool within_grace = false;  // rotated although already used, within the reuse grace period
};

// A player's Glicko-2 rating in one game, with their record.
struct rating_record {
  std::uint64_t user_id = 0;
  std::string username;
  std::string game;
  double rating = 1500;
  double deviation = 350;
  double volatility = 0.06;
  std::uint32_t games = 0;
  std::uint32_t wins = 0;
  std::uint32_t losses = 0;
  std::uint32_t draws = 0;
  std::int64_t updated_at_ms = 0;
};

}  // namespace guildhall::store
