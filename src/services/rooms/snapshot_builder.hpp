#pragma once
// Cuts one client's snapshot from a tick's world_frame: interest, priority, byte budget, delta against what the
// client acknowledged.
//
// - Interest: an entity is relevant to a client when it is not private to someone else (relevance.only_for_user)
//   and it is always-relevant, or the client has no viewpoint, or it lies within the viewpoint's radius. One the
//   client already holds stays until it is kLeaveMargin times the radius away, so an entity on the edge does not
//   flicker in and out (each flicker would cost a full create).
// - Delta against the acknowledged (Quake 3): the snapshot is encoded against the newest snapshot the client said
//   it decoded (RoomInput.ack_tick). What was sent since and maybe lost is simply sent again, so losing or
//   replacing (latest-wins) snapshots costs bytes, never correctness. A client that acknowledged nothing within
//   kSentRing ticks gets a full snapshot (against nothing), as does one that just joined or came back.
// - Budget and priority (Gaffer on Games, "State Synchronization"): entities the client holds unchanged cost
//   nothing; removals are always sent. Every other relevant entity (new to the client, or changed since the
//   baseline) adds its weight to its accumulated priority each tick: relevance.priority, more when near the
//   viewpoint, more when many fields changed, more when it is new to the client. The highest go first while the
//   estimate fits snapshot_budget_bytes; the rest keep their old values in the client's view and their
//   accumulated priority, so a far, low-priority entity still rises to the top within a few ticks. Sent ones
//   start again from zero.
// Thread-safety: none; a room's builder and its clients' states live on the room's shard.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "services/rooms/world_frame.hpp"
#include "wire/snapshot/entity_set.hpp"

namespace guildhall::services {

// What the server remembers of one client's snapshots.
class snapshot_client {
 public:
  // Snapshots remembered per client: the oldest baseline a delta can use. 32 ticks is about a second at 30 Hz; a
  // client that acknowledged nothing for that long gets a full snapshot.
  static constexpr std::size_t kSentRing = 32;

  // Next snapshot is full: on (re)join.
  void reset();
  // The client decoded `tick`'s snapshot (from RoomInput.ack_tick). Acks of ticks never sent, already superseded
  // or out of the ring are ignored: an ack is a hint from the network, never trusted further.
  void acknowledge(std::uint32_t tick);
  std::uint32_t acked_tick() const { return acked_tick_; }

 private:
  friend class snapshot_builder;
  struct sent {
    std::uint32_t tick = 0;  // 0: empty slot
    wire::snapshot::entity_set known;
  };
  sent* find(std::uint32_t tick);

  std::array<sent, kSentRing> ring_{};
  std::uint32_t acked_tick_ = 0;
  // Accumulated priority of the entities waiting to be sent (relevant and out of date after the last snapshot),
  // sorted by id like the world_frame, so a build merges the two in one pass: no hashing, no node per entity (a
  // hash map here cost a node allocation and free per entity per client per tick). Sent, unchanged and
  // out-of-view entities have none: their accumulation starts again from zero.
  struct waiting {
    std::uint32_t id;
    float priority;
  };
  std::vector<waiting> priority_;
};

class snapshot_builder {
 public:
  // An entity the client holds is dropped from its view only this far out (times the viewpoint's radius).
  static constexpr float kLeaveMargin = 1.1f;
  // Weight multiplier for an entity new to the client: appearing matters more than moving a little.
  static constexpr float kEnterBoost = 2.0f;
  // Estimated bits per entity on top of its values (id gap, op, field mask): an upper bound, so the budget is
  // never overrun by the estimate's error.
  static constexpr std::size_t kEntityOverheadBits = 48;

  explicit snapshot_builder(std::size_t budget_bytes) : budget_bits_(budget_bytes * 8) {}

  struct built {
    std::uint32_t baseline_tick;  // 0: a full snapshot
    std::size_t bytes;            // appended to `out`
    std::size_t entities_sent;    // created or changed in this snapshot
    std::size_t entities_left_out;  // relevant and out of date, waiting for budget
  };
  // Builds `client`'s snapshot of `tick` for `user_id` seeing from `view` and appends it to `out`.
  built build(const world_frame& frame, std::uint32_t tick, snapshot_client& client, std::uint64_t user_id,
              const std::optional<viewpoint>& view, std::vector<std::uint8_t>& out);

 private:
  struct pending {
    std::size_t frame_index;
    const wire::snapshot::entity_set_entry* held;  // the client's baseline copy, if any (same type)
    std::size_t estimated_bits;
    std::size_t waiting_index;  // its accumulator in next_priority_
  };
  bool relevant(const world_frame::entry& e, std::uint64_t user_id, const std::optional<viewpoint>& view, bool held,
                float& distance_factor) const;
  // Marks what the client may see (chosen_) and lists what it lacks or holds out of date (pending_), adding to
  // their priorities (into next_priority_). Returns how many entities of the baseline stay in view.
  std::size_t collect(const world_frame& frame, const wire::snapshot::entity_set& baseline, snapshot_client& client,
                      std::uint64_t user_id, const std::optional<viewpoint>& view);
  // Picks pending entities by priority within the budget; returns (sent, left out).
  std::pair<std::size_t, std::size_t> choose(const world_frame& frame, std::size_t removals, snapshot_client& client);

  std::size_t budget_bits_;
  std::vector<pending> pending_;   // reused each build
  std::vector<char> chosen_;       // by frame index, reused
  // The client's accumulators as this build leaves them; swapped with the client's, so the capacity circulates.
  std::vector<snapshot_client::waiting> next_priority_;
  wire::snapshot::entity_set empty_;
};

}  // namespace guildhall::services
