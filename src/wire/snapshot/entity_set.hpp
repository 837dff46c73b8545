#pragma once
// What one client knows of a room's world at one tick: entities sorted by id, each with its type and quantized
// field values. Storage is flat (one vector of entries, one of values) so building a set per client per tick
// allocates nothing once the vectors have grown: clear() keeps their capacity. The server keeps one set per
// snapshot it sent a client (the baselines a later delta may refer to); a client keeps one per snapshot received.
// Thread-safety: none; a set is owned by one shard (server) or one decoder (client).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace guildhall::wire::snapshot {

// The most entities one set (and so one snapshot) may hold. Bounds what a hostile delta can make a decoder
// allocate (65535 entities of 32 fields = 8 MB at most) and is far above any room's world.
inline constexpr std::size_t max_entities = 65535;
// The most fields one entity may carry (room.hpp: an entity_type has at most 32).
inline constexpr std::size_t max_fields = 32;

struct entity_set_entry {
  std::uint32_t id = 0;
  std::uint8_t type = 0;
  std::uint8_t field_count = 0;
  std::uint32_t first_field = 0;  // index into the set's flat value storage
};

class entity_set {
 public:
  void clear();
  void reserve(std::size_t entities, std::size_t values);

  // Appends an entity. Ids must be added in strictly increasing order; an id out of order, more than
  // max_fields values or a full set (max_entities) returns false and adds nothing.
  bool add(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> quantized_fields);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::uint32_t id(std::size_t i) const { return entries_[i].id; }
  std::uint8_t type(std::size_t i) const { return entries_[i].type; }
  std::span<const std::uint32_t> fields(std::size_t i) const { return fields(entries_[i]); }
  std::span<const std::uint32_t> fields(const entity_set_entry& entry) const {
    return {values_.data() + entry.first_field, entry.field_count};
  }
  const entity_set_entry& entry(std::size_t i) const { return entries_[i]; }

  // Binary search: the entry with this id, or nullptr.
  const entity_set_entry* find(std::uint32_t id) const;
  std::optional<std::size_t> index_of(std::uint32_t id) const;

  // Same ids, types and field values in the same order.
  bool operator==(const entity_set& other) const;

 private:
  std::vector<entity_set_entry> entries_;
  std::vector<std::uint32_t> values_;
};

}  // namespace guildhall::wire::snapshot
