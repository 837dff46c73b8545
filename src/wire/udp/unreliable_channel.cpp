#include "wire/udp/unreliable_channel.hpp"

#include <algorithm>
#include <cstring>

#include "wire/udp/sequence_buffer.hpp"

namespace guildhall::wire::udp {
namespace {

void count(std::array<std::uint64_t, kDropReasons>& drops, drop_reason reason) {
  ++drops[static_cast<std::size_t>(reason)];
}

}  // namespace

unreliable_sender::push_result unreliable_sender::push(std::span<const std::uint8_t> message, std::uint64_t slot) {
  bool replaced = false;
  if (slot != 0) {
    const auto old = std::find_if(queue_.begin(), queue_.end(), [&](const pending& p) { return p.slot == slot; });
    if (old != queue_.end()) {
      queued_bytes_ -= old->bytes.size();
      queue_.erase(old);
      replaced = true;
    }
  }
  if (queue_.size() >= config_.unreliable_queue_messages ||
      queued_bytes_ + message.size() > config_.unreliable_queue_bytes) {
    return push_result::over_limit;
  }
  // A replacement goes to the back with a new id: the receiver must see it as newer than everything before it.
  pending& entry = queue_.emplace_back();
  entry.slot = slot;
  entry.id = next_id_++;
  entry.bytes.assign(message.begin(), message.end());
  queued_bytes_ += message.size();
  return replaced ? push_result::replaced : push_result::queued;
}

std::size_t unreliable_sender::fragment_count(const pending& message) const {
  const std::size_t size = message.bytes.size();
  return size <= config_.fragment_bytes ? 1 : (size + config_.fragment_bytes - 1) / config_.fragment_bytes;
}

void unreliable_sender::on_acked(std::uint16_t id) {
  if (!newest_acked_ || sequence_greater_than(id, *newest_acked_)) newest_acked_ = id;
}

bool unreliable_sender::fill(packet_writer& writer, const link_estimator& link, std::uint64_t& over_budget_drops,
                             std::optional<std::uint16_t>& newest_written) {
  newest_written.reset();
  while (!queue_.empty()) {
    pending& message = queue_.front();
    const std::size_t count = fragment_count(message);
    // Decided once per message, before its first fragment: a half-sent message is worth nothing.
    if (message.next_fragment == 0 && !link.may_overdraw(writer.size() + message.bytes.size() + count * kFragmentHeaderBytes)) {
      ++over_budget_drops;
      queued_bytes_ -= message.bytes.size();
      queue_.pop_front();
      continue;
    }
    for (; message.next_fragment < count; ++message.next_fragment) {
      const std::size_t begin = message.next_fragment * config_.fragment_bytes;
      const auto payload = std::span<const std::uint8_t>(message.bytes).subspan(
          begin, std::min(config_.fragment_bytes, message.bytes.size() - begin));
      if (!writer.fits(count > 1, payload.size())) return true;
      const bool short_id =
          newest_acked_ && static_cast<std::uint16_t>(message.id - *newest_acked_) < kShortIdReach;
      writer.add({channel::unreliable, count > 1, message.id, static_cast<std::uint8_t>(message.next_fragment),
                  static_cast<std::uint8_t>(count), payload, short_id});
      newest_written = message.id;
    }
    queued_bytes_ -= message.bytes.size();
    queue_.pop_front();
  }
  return false;
}

unreliable_receiver::unreliable_receiver(const endpoint_config& config)
    : config_(config), partials_(config.unreliable_reassemblies) {}

std::optional<std::uint16_t> unreliable_receiver::full_id(const message_entry& entry) {
  if (!entry.short_id) return entry.id;
  if (!newest_seen_) return std::nullopt;
  auto id = static_cast<std::uint16_t>((*newest_seen_ & 0xff00u) | (entry.id & 0xffu));
  const auto ahead = static_cast<std::int16_t>(id - *newest_seen_);
  if (ahead >= static_cast<std::int16_t>(kShortIdReach)) id = static_cast<std::uint16_t>(id - 256);
  if (ahead < -static_cast<std::int16_t>(kShortIdReach)) id = static_cast<std::uint16_t>(id + 256);
  return id;
}

void unreliable_receiver::accept(const message_entry& entry, std::array<std::uint64_t, kDropReasons>& drops) {
  const auto restored = full_id(entry);
  if (!restored) return count(drops, drop_reason::stale_unreliable);
  const std::uint16_t id = *restored;
  if (!newest_seen_ || sequence_greater_than(id, *newest_seen_)) newest_seen_ = id;
  if (delivered_any_ && !sequence_greater_than(id, newest_id_)) return count(drops, drop_reason::stale_unreliable);
  if (!entry.fragment) return complete(id, entry.payload, drops);
  partial* p = partial_for(id, entry.fragment_count, drops);
  if (p == nullptr) return;
  if (p->have.test(entry.fragment_index)) return count(drops, drop_reason::duplicate_message);
  const std::size_t offset = entry.fragment_index * config_.fragment_bytes;
  std::memcpy(p->bytes.data() + offset, entry.payload.data(), entry.payload.size());
  p->have.set(entry.fragment_index);
  if (entry.fragment_index + 1u == p->count) p->size = offset + entry.payload.size();
  if (++p->received == p->count) {
    p->used = false;
    complete(p->id, std::span<const std::uint8_t>(p->bytes.data(), p->size), drops);
  }
}

unreliable_receiver::partial* unreliable_receiver::partial_for(std::uint16_t id, std::size_t fragments,
                                                               std::array<std::uint64_t, kDropReasons>& drops) {
  partial* free = nullptr;
  partial* oldest = nullptr;
  for (partial& p : partials_) {
    if (p.used && p.id == id) {
      if (p.count == fragments) return &p;
      count(drops, drop_reason::fragment_mismatch);
      return nullptr;
    }
    if (!p.used) {
      free = free ? free : &p;
    } else if (!oldest || sequence_less_than(p.id, oldest->id)) {
      oldest = &p;
    }
  }
  if (!free) {
    // Out of slots: the oldest partial gives way, unless the newcomer is older still.
    count(drops, drop_reason::unreliable_partial_evicted);
    if (sequence_less_than(id, oldest->id)) return nullptr;
    free = oldest;
  }
  free->used = true;
  free->id = id;
  free->count = fragments;
  free->received = free->size = 0;
  free->have.reset();
  free->bytes.resize(fragments * config_.fragment_bytes);
  return free;
}

void unreliable_receiver::complete(std::uint16_t id, std::span<const std::uint8_t> bytes,
                                   std::array<std::uint64_t, kDropReasons>& drops) {
  if (ready_.size() >= config_.unreliable_receive_messages) {
    ready_.pop_front();
    count(drops, drop_reason::unreliable_overflow);
  }
  ready_.emplace_back(bytes.begin(), bytes.end());
  newest_id_ = id;
  delivered_any_ = true;
  // Partial messages older than this one can no longer be delivered.
  for (partial& p : partials_) {
    if (p.used && !sequence_greater_than(p.id, id)) {
      p.used = false;
      count(drops, drop_reason::unreliable_partial_evicted);
    }
  }
}

}  // namespace guildhall::wire::udp
