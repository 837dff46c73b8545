#pragma once
// The world a room's handler wrote for one tick, quantized once (whatever the number of clients), sorted by id.
// Every snapshot of the tick is cut from this one frame. What the handler writes is checked like input: an
// unknown type, a wrong number of fields, a repeated id or a world past the codec's entity cap is left out and
// counted (a bug in the game should show in metrics, not crash the room or corrupt a client's view).
// Thread-safety: none; one per room, on its shard. Storage is reused from tick to tick.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <guildhall/room.hpp>

namespace guildhall::services {

class world_frame final : public world_writer {
 public:
  explicit world_frame(const world_schema& schema) : schema_(schema) {}

  // Starts a new tick's world.
  void clear();
  void entity(std::uint32_t id, std::uint8_t type, std::span<const double> fields, relevance where) override;
  using world_writer::entity;
  // Sorts by id and drops repeated ids (the first written wins). Call once after write_world.
  void finish();

  struct entry {
    std::uint32_t id;
    std::uint8_t type;
    std::uint8_t field_count;
    std::uint32_t first_field;
    relevance where;
  };
  std::size_t size() const { return entries_.size(); }
  const entry& at(std::size_t i) const { return entries_[i]; }
  std::span<const std::uint32_t> fields(const entry& e) const { return {values_.data() + e.first_field, e.field_count}; }
  const world_schema& schema() const { return schema_; }
  std::uint64_t rejected() const { return rejected_; }  // entities left out since the room began

 private:
  const world_schema& schema_;
  std::vector<entry> entries_;
  std::vector<std::uint32_t> values_;
  std::uint64_t rejected_ = 0;
};

}  // namespace guildhall::services
