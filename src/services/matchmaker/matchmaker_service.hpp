#pragma once
// The matchmaker on the server: one pool of tickets per room type, searched every matchmaker.interval_ms; each
// group that forms gets a room and a seat reservation per player from the room engine (room_allocator), and every
// player is pushed a MatchmakerMatched with their token.
//
// Everything lives on shard 0. A pool has to see all of its tickets to compare them, and the one-ticket-per-user
// rule and "every party member is online" need one place that knows every queued and every connected user across
// room types; one shard gives both without a lock. What that costs is one post per request, connect and
// disconnect (each player queues about once per match), and a pass that runs on that shard, bounded by
// matchmaking::kMaxChecksPerPass per pool. Across nodes the pools would move to Redis (docs/architecture.md).
//
// Rules: a user holds at most one ticket at a time, queued or being placed. A party leader queues for the party;
// every member must be online and not queued, and each is pushed the MatchmakerTicket. Any member may cancel
// the party's ticket, and a member's last connection closing cancels it; the others are pushed a
// MatchmakerCancelled with the reason. A placement that fails puts the group's tickets back in their places in the
// queue; the third failure for a ticket cancels it with the room engine's reason.
// Thread-safety: request methods, connected and disconnected may be called on any shard (they post to shard 0);
// process and the inspection methods only on shard 0.
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/ids.hpp"
#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "services/chat/chat_config.hpp"
#include "services/matchmaker/matchmaker_config.hpp"
#include "services/matchmaker/matchmaker_pool.hpp"
#include "services/matchmaker/room_allocator.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

using connection_ptr = std::shared_ptr<net::connection>;  // as in services/chat

class matchmaker_service {
 public:
  static constexpr unsigned kShard = 0;
  // Failed placements a ticket survives (put back in the queue) before it is cancelled.
  static constexpr int kMaxPlacementAttempts = 3;

  // The seats of a room type (room_settings::max_players), or nullopt when the server has no such type.
  using room_seats_fn = std::function<std::optional<int>(std::string_view room_type)>;
  // Pushes to every connection of a user; `when_offline` runs if they have none (chat_service::push_to_user).
  using notify_fn = std::function<void(std::uint64_t user_id, wire::v1::Envelope message,
                                       std::move_only_function<void()> when_offline)>;
  using clock_fn = std::function<std::int64_t()>;

  // `rooms` may be null while no room engine is wired: matches then form and their players are told no room
  // could be created. `clock` is Unix milliseconds, injected for tests.
  matchmaker_service(net::shard_pool& shards, room_allocator* rooms, room_seats_fn room_seats, notify_fn notify,
                     matchmaker_config config, clock_fn clock = unix_now_ms);

  // Starts the periodic search on shard 0. Call after the shards start; passes stop when the shards stop.
  void start();

  // The user has a new authenticated connection / one of their connections closed.
  void connected(const identity& who);
  void disconnected(const identity& who);

  // MatchmakerAdd: answers `cid` on `connection` with a MatchmakerTicket or an Error.
  void add(const identity& who, const connection_ptr& connection, std::uint32_t cid, wire::v1::MatchmakerAdd request);
  // MatchmakerRemove: answers MatchmakerRemoved, or NOT_FOUND when the caller holds no such ticket.
  void remove(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t ticket_id);

  // On shard 0: searches every pool once now and places what forms (the timer's work; tests call it directly).
  void process();
  // On shard 0: tickets waiting in the queues, and tickets whose room is being created.
  std::size_t queued() const;
  std::size_t placing() const { return placing_.size(); }

  const matchmaker_config& config() const { return config_; }

 private:
  struct online_user {
    std::string username;
    unsigned connections = 0;
  };
  // A ticket whose room is being created. `cancelled`: a member left or disconnected meanwhile, so its players
  // are not told of the room (their reservations expire unused).
  struct in_placement {
    matchmaking::ticket held;
    bool cancelled = false;
  };
  using placement_result = std::expected<room_allocator::placement, std::string>;

  void schedule();
  // On shard 0, for add(): the members of the caller's party, leader first, or why not.
  result<std::vector<matchmaking::party_member>> resolve_party(const identity& who,
                                                               const wire::v1::MatchmakerAdd& request) const;
  result<matchmaking::ticket> queue(const identity& who, const wire::v1::MatchmakerAdd& request);
  // Takes the ticket out of its pool or its placement and tells every member but `except_user` why.
  void cancel(std::uint64_t ticket_id, const std::string& reason, std::uint64_t except_user);
  void place(const std::string& room_type, matchmaking::match_group group);
  void placed(const std::string& room_type, const std::vector<std::uint64_t>& ticket_ids, placement_result outcome);
  void placement_failed(const std::string& room_type, matchmaking::ticket held, const std::string& why);
  void release(const matchmaking::ticket& held);
  void tell(std::uint64_t user_id, wire::v1::Envelope message);
  void reply(const connection_ptr& connection, wire::v1::Envelope message);
  // Brings guildhall_matchmaker_tickets_waiting up to date with the pools.
  void report_waiting();

  net::shard_pool& shards_;
  room_allocator* rooms_;
  room_seats_fn room_seats_;
  notify_fn notify_;
  matchmaker_config config_;
  clock_fn clock_;
  id_generator ids_{kShard};

  // Shard 0 only.
  std::unordered_map<std::uint64_t, online_user> online_;
  std::unordered_map<std::string, std::uint64_t> online_by_name_;  // lower-cased username -> user id
  std::unordered_map<std::uint64_t, std::uint64_t> ticket_of_;     // user id -> their ticket, queued or placing
  std::map<std::string, matchmaking::matchmaker_pool, std::less<>> pools_;  // by room type (types the server has)
  std::unordered_map<std::uint64_t, in_placement> placing_;        // by ticket id
  std::unordered_map<std::uint64_t, int> failed_placements_;       // by ticket id, while it lives
  std::int64_t reported_waiting_ = 0;
};

}  // namespace guildhall::services
