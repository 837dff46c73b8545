#pragma once
// Matchmaker values (docs/protocol.md, "Matchmaker"). When a match forms the SDK reports matchmaker_matched; join
// its room with client::join_room_reserved(matched.room_id, matched.reservation) soon, before the seat expires.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "guildhall/client/chat.hpp"

namespace guildhall::client {

struct matchmaker_range {
  double min = 0;
  double max = 0;
};

struct matchmaker_request {
  std::string room_type{};
  std::map<std::string, std::string> string_properties{};
  std::map<std::string, double> numeric_properties{};
  std::map<std::string, std::string> query_equal{};           // others must have these values
  std::map<std::string, matchmaker_range> query_ranges{};     // and these numbers within range (server widening)
  std::vector<std::string> party{};                           // usernames queued with this player
  std::uint32_t min_count = 0;                              // 0: the room's seats
  std::uint32_t max_count = 0;
};

struct matchmaker_ticket {
  std::uint64_t ticket = 0;
  std::string room_type{};
  std::vector<channel_member> party{};
};

struct matchmaker_matched {
  std::uint64_t ticket = 0;
  std::uint64_t room_id = 0;
  std::string room_type{};
  std::string reservation{};
  std::vector<channel_member> players{};
};

struct matchmaker_cancelled {
  std::uint64_t ticket = 0;
  std::string reason{};
};

}  // namespace guildhall::client
