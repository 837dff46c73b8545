#pragma once
// A room's reliable events, numbered and kept in a bounded ring, so a member coming back after a dropped
// connection gets the ones it missed. Events go to everyone (to_user 0) or to one member; a member's view of the
// log is "every event after the last seq I was given that is addressed to me or to all".
// Pure data structure. Thread-safety: none; owned by the room, on its shard.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <guildhall/room.hpp>

namespace guildhall::services {

enum class member_change : std::uint8_t { none, joined, left, dropped, returned };

struct room_event {
  std::uint64_t seq = 0;
  std::uint64_t to_user = 0;  // 0: every member
  std::string type;           // a game event's type; empty for a membership change
  std::string payload;
  member_change change = member_change::none;
  room_member member;         // for a membership change
  bool connected = false;     // for a membership change: the member's state after it
  std::size_t bytes() const { return type.size() + payload.size() + member.username.size() + 64; }
};

class event_log {
 public:
  // What the ring holds at most, by count and by bytes: about a grace period's worth of a busy game's events.
  static constexpr std::size_t kMaxEvents = 512;
  static constexpr std::size_t kMaxBytes = 512 * 1024;

  // Numbers and keeps `event`; returns the logged copy.
  const room_event& append(room_event event);
  // The seq the next event will get (the first is 1).
  std::uint64_t next_seq() const { return next_seq_; }

  // Events after `after_seq` addressed to `user_id` or to all, oldest first. `lost` is set when some events after
  // `after_seq` were already evicted (the member missed more than the ring holds).
  std::vector<const room_event*> since(std::uint64_t after_seq, std::uint64_t user_id, bool& lost) const;

  std::size_t size() const { return events_.size(); }

 private:
  std::deque<room_event> events_;
  std::size_t bytes_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t evicted_through_ = 0;  // highest seq dropped from the ring
};

}  // namespace guildhall::services
