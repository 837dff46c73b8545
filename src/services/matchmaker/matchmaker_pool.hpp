#pragma once
// The tickets waiting for one room type, and the search that groups them into matches. Pure: time comes in as
// `now_ms`, nothing here does I/O, so "a 1500 and a 1700 player meet after 20 s" is a unit test.
//
// The search (form_matches) is greedy and fair, in the spirit of Open Match's match functions: it takes the
// oldest waiting ticket as an anchor, then walks the rest oldest first and adds each ticket that every ticket
// already in the group accepts and that accepts each of them (both directions, each at its own widening), while
// the party sizes fit what every ticket in the group allows. A party is one ticket, so it is never split. A group
// that reaches the smallest max_count of its tickets forms at once; one that only reaches the largest min_count
// forms once its anchor has waited `fill_wait_ms` (Nakama's max_intervals: a full room first, a smaller one
// rather than none later). Tickets of a formed group leave the pool; the others wait for the next pass.
// Thread-safety: none; the matchmaker service keeps every pool on one shard.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "services/matchmaker/ticket.hpp"

namespace guildhall::services::matchmaking {

// One pass compares at most this many pairs of tickets, so a full pool of tickets nobody can match costs a
// bounded slice of the shard per interval: a pair check with a four-term query takes 0.2 to 0.4 us of CPU here
// (MatchmakerPool.APassOverAFullPoolOfStrangersIsBounded prints it), so a pass costs 10 to 20 ms at most. The oldest
// anchors are searched first, so what a pass leaves undone is the newest tickets' turn.
inline constexpr std::size_t kMaxChecksPerPass = 50'000;

struct pool_limits {
  int room_seats = 8;                 // the room type's seats: no match, and no party, is larger
  std::size_t max_tickets = 10'000;   // add() refuses past this (UNAVAILABLE): memory and search time stay bounded
  std::int64_t fill_wait_ms = 10'000; // a group short of its max_count forms only after its anchor waited this
  std::size_t max_checks_per_pass = kMaxChecksPerPass;
};

struct match_group {
  std::vector<ticket> tickets;  // oldest first
  int players = 0;
};

class matchmaker_pool {
 public:
  explicit matchmaker_pool(pool_limits limits) : limits_(limits) {}

  // Queues a ticket (validated against the caps and the room's seats). Refused when the pool is full
  // (unavailable), the id is queued already, or one of its players already holds a ticket here (conflict).
  result<void> add(ticket queued);
  // Takes a ticket out (the player left the queue); nullopt when it is not waiting here.
  std::optional<ticket> remove(std::uint64_t ticket_id);
  // Takes out the ticket holding `user_id`, whose whole party thereby leaves (a member disconnected).
  std::optional<ticket> remove_user(std::uint64_t user_id);
  // Groups what can be grouped at `now_ms` and takes those tickets out of the pool.
  std::vector<match_group> form_matches(std::int64_t now_ms);

  std::size_t size() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  const ticket* find(std::uint64_t ticket_id) const;
  // Pair checks the last form_matches made (for metrics and tests of the work bound).
  std::size_t last_checks() const { return last_checks_; }

 private:
  // Queue order: oldest first, ties by id. A ticket put back after a failed placement keeps its place.
  using order = std::pair<std::int64_t, std::uint64_t>;

  std::vector<std::size_t> search(const std::vector<const ticket*>& waiting, std::vector<bool>& used,
                                    std::size_t anchor, std::int64_t now_ms, std::size_t& checks) const;
  std::optional<ticket> take(std::uint64_t ticket_id);

  pool_limits limits_;
  std::map<order, ticket> queue_;
  std::unordered_map<std::uint64_t, order> by_id_;
  std::unordered_map<std::uint64_t, std::uint64_t> by_user_;  // user id -> ticket id
  std::size_t last_checks_ = 0;
};

}  // namespace guildhall::services::matchmaking
