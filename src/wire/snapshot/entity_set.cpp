#include "wire/snapshot/entity_set.hpp"

#include <algorithm>

namespace guildhall::wire::snapshot {

void entity_set::clear() {
  entries_.clear();
  values_.clear();
}

void entity_set::reserve(std::size_t entities, std::size_t values) {
  entries_.reserve(std::min(entities, max_entities));
  values_.reserve(std::min(values, max_entities * max_fields));
}

bool entity_set::add(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> quantized_fields) {
  if (entries_.size() >= max_entities || quantized_fields.size() > max_fields) return false;
  if (!entries_.empty() && id <= entries_.back().id) return false;
  entries_.push_back({id, type, static_cast<std::uint8_t>(quantized_fields.size()),
                      static_cast<std::uint32_t>(values_.size())});
  values_.insert(values_.end(), quantized_fields.begin(), quantized_fields.end());
  return true;
}

std::optional<std::size_t> entity_set::index_of(std::uint32_t id) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                             [](const entity_set_entry& entry, std::uint32_t wanted) { return entry.id < wanted; });
  if (it == entries_.end() || it->id != id) return std::nullopt;
  return static_cast<std::size_t>(it - entries_.begin());
}

const entity_set_entry* entity_set::find(std::uint32_t id) const {
  auto index = index_of(id);
  return index ? &entries_[*index] : nullptr;
}

bool entity_set::operator==(const entity_set& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& a = entries_[i];
    const auto& b = other.entries_[i];
    if (a.id != b.id || a.type != b.type) return false;
    if (!std::ranges::equal(fields(a), other.fields(b))) return false;
  }
  return true;
}

}  // namespace guildhall::wire::snapshot
