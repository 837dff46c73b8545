#include "services/rooms/world_frame.hpp"

#include <algorithm>

#include "wire/snapshot/entity_set.hpp"
#include "wire/snapshot/quantize.hpp"

namespace guildhall::services {

void world_frame::clear() {
  entries_.clear();
  values_.clear();
}

void world_frame::entity(std::uint32_t id, std::uint8_t type, std::span<const double> fields, relevance where) {
  if (type >= schema_.types.size() || entries_.size() >= wire::snapshot::max_entities) {
    ++rejected_;
    return;
  }
  const auto& specs = schema_.types[type].fields;
  if (fields.size() != specs.size() || specs.size() > wire::snapshot::max_fields) {
    ++rejected_;
    return;
  }
  const auto first = static_cast<std::uint32_t>(values_.size());
  for (std::size_t i = 0; i < specs.size(); ++i) values_.push_back(wire::snapshot::quantize(specs[i], fields[i]));
  entries_.push_back(entry{id, type, static_cast<std::uint8_t>(specs.size()), first, where});
}

void world_frame::finish() {
  // Games usually write in id order already; stable, so the first of a repeated id is the one kept.
  if (!std::is_sorted(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) { return a.id < b.id; })) {
    std::stable_sort(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) { return a.id < b.id; });
  }
  const auto repeated = std::unique(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) { return a.id == b.id; });
  rejected_ += static_cast<std::uint64_t>(entries_.end() - repeated);
  entries_.erase(repeated, entries_.end());
}

}  // namespace guildhall::services
