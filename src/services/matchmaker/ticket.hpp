#pragma once
// A matchmaker ticket: one player or a party queued for a room type, what they are (properties) and whom they will
// play with (a query). Pure values and functions: no clock (callers pass `now_ms`), no I/O.
//
// A query is a set of required string equalities and numeric ranges. Each range widens the longer its ticket
// waits: by `widen_per_second` for every second waited, up to `max_widen` on each side, so a 1500-rated player
// asking for 1400..1600 accepts 1300..1700 after ten seconds at 10/s. Two tickets match only when each one's
// query accepts the other's properties, each at its own widening (Nakama's "rev precision", always on): a
// patient player never drags an impatient one into a match the latter did not ask for.
// Thread-safety: plain values; share read-only or copy.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace guildhall::services::matchmaking {

// Caps on what one ticket may carry: every byte is hostile, and each term is compared against every other ticket
// in the pool, so a ticket's size bounds the pool's work as well as its memory.
inline constexpr std::size_t kMaxProperties = 16;         // string and numeric properties, each
inline constexpr std::size_t kMaxQueryTerms = 16;         // string equalities and numeric ranges, each
inline constexpr std::size_t kMaxPropertyNameBytes = 32;  // [A-Za-z0-9_.-]
inline constexpr std::size_t kMaxPropertyValueBytes = 64;
inline constexpr std::size_t kMaxRoomTypeBytes = 64;
inline constexpr std::size_t kMaxPartySize = 16;          // and never more than the room type's seats
// A range cannot widen past this on a side whatever the ticket asks: far beyond any rating or latency scale,
// small enough that arithmetic on it stays exact.
inline constexpr double kMaxWiden = 1e9;

using string_properties = std::map<std::string, std::string, std::less<>>;
using numeric_properties = std::map<std::string, double, std::less<>>;

// [min, max], widened on both sides as the ticket waits. A property the other ticket lacks never satisfies it.
struct numeric_range {
  double min = 0;
  double max = 0;
  double widen_per_second = 0;  // added to each side per second waited
  double max_widen = 0;         // the most it widens on each side
};

struct query {
  string_properties equal;                             // the other ticket's property must equal this value
  std::map<std::string, numeric_range, std::less<>> ranges;  // the other ticket's property must lie in the range
};

struct party_member {
  std::uint64_t user_id = 0;
  std::string username;
};

struct ticket {
  std::uint64_t id = 0;
  std::string room_type;
  std::vector<party_member> party;  // 1..room size; the first is the one who queued (the leader)
  string_properties strings;
  numeric_properties numbers;
  struct query wants;
  int min_count = 0;  // players in the match, parties included: at least this many ...
  int max_count = 0;  // ... and at most this many (at most the room's seats)
  std::int64_t queued_at_ms = 0;

  int size() const { return static_cast<int>(party.size()); }
};

// Checks a ticket against the caps above and `room_seats` (the room type's size): counts, lengths, names, finite
// numbers, ordered ranges, 1 <= min_count <= max_count <= room_seats, party of 1..max_count distinct users.
result<void> validate_ticket(const ticket& candidate, int room_seats);

// How far `range` has widened on each side after `waited_ms` (never negative, at most its max_widen).
double widening(const numeric_range& range, std::int64_t waited_ms);

// Whether `seeker`'s query, widened for its wait at `now_ms`, accepts `other`'s properties. One direction only.
bool accepts(const ticket& seeker, const ticket& other, std::int64_t now_ms);

// Both directions: the two may share a match.
inline bool compatible(const ticket& a, const ticket& b, std::int64_t now_ms) {
  return accepts(a, b, now_ms) && accepts(b, a, now_ms);
}

}  // namespace guildhall::services::matchmaking
