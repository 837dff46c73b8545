#pragma once
// A room member's side of the snapshot protocol: keeps the worlds it decoded as baselines, decodes each
// RoomSnapshot delta against the one the server named, and says which tick to acknowledge (the newest decoded;
// later snapshots are deltas against it). The C++ twin of sdk/js/src/arena_net.ts's snapshot intake.
// Sans-I/O: bytes and ticks in, worlds out; unit-tested without a server (tests/unit/sdk_snapshot_intake_test.cpp).
// Thread-safety: none; owned by one client.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <expected>
#include <span>
#include <string>

#include "guildhall/room.hpp"
#include "wire/snapshot/entity_set.hpp"

namespace guildhall::client::sdk {

// Worlds kept as possible baselines. The server encodes against what we acknowledged, at most 32 snapshots back
// (1.6 s at 20 Hz); an ack still in flight when more than that arrive costs one undecodable snapshot, no more.
inline constexpr std::size_t kKeptSnapshots = 32;

class snapshot_intake {
 public:
  // A new room, or the same room after a rejoin: the server starts again from a full snapshot.
  void reset(world_schema schema);

  // Decodes the snapshot of `tick` against `baseline_tick` (0: a full one). Returns the decoded world (valid until
  // the next call), or why it could not be decoded (a baseline we no longer hold, bad bytes; the oldest kept world
  // may be gone then). A tick not newer than the newest decoded is refused too (latest-wins: it is stale).
  std::expected<const wire::snapshot::entity_set*, std::string> decode(std::uint32_t tick, std::uint32_t baseline_tick,
                                                                       std::span<const std::uint8_t> bytes);

  // The tick to acknowledge: the newest decoded (0: none yet).
  std::uint32_t newest_tick() const { return newest_tick_; }
  const world_schema& schema() const { return schema_; }

 private:
  struct kept {
    std::uint32_t tick = 0;
    wire::snapshot::entity_set world;
  };
  world_schema schema_;
  std::deque<kept> kept_;
  wire::snapshot::entity_set empty_;
  std::uint32_t newest_tick_ = 0;
};

// When poll() acknowledges the newest tick with a message of its own: once a decoded tick has waited a whole tick
// period for an input to carry its acknowledgement (every send_room_input does). A game that sends an input per tick
// then sends one message per tick, not two (an acknowledgement from the poll() that decoded the snapshot, then the
// input right after it: twice the datagrams for the server to decrypt); a spectator acknowledges about once a tick.
// Sans-I/O: the caller passes the time.
class ack_schedule {
 public:
  using clock = std::chrono::steady_clock;

  // A new room (or a rejoin) ticking at `tick_hz` (0: unknown, taken as 30).
  void reset(std::uint32_t tick_hz);
  // At each poll(): `waiting` says whether a decoded tick is still unacknowledged. True when poll() should send an
  // acknowledgement now; it then counts as sent (call acknowledged() only for one an input carried).
  bool due(bool waiting, clock::time_point now);
  // An input carried the acknowledgement of the newest tick.
  void acknowledged() { waiting_since_.reset(); }

 private:
  clock::duration period_ = std::chrono::milliseconds(33);
  std::optional<clock::time_point> waiting_since_;
};

}  // namespace guildhall::client::sdk
