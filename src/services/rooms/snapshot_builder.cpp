#include "services/rooms/snapshot_builder.hpp"

#include <algorithm>
#include <cmath>

#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::services {
namespace snap = wire::snapshot;
namespace {

// A removal: the id gap and the op, generously.
constexpr std::size_t kRemovalBits = 40;
constexpr std::size_t kEndMarkerBits = 8;
// How the keep/send decision is recorded per frame entity while a snapshot is cut.
constexpr char kSkip = 0;       // not in the client's view
constexpr char kSendNew = 1;    // in the view with this tick's values
constexpr char kKeepHeld = 2;   // in the view with the values the client holds (left out for budget)

}  // namespace

void snapshot_client::reset() {
  for (auto& slot : ring_) slot.tick = 0;
  acked_tick_ = 0;
  priority_.clear();
}

snapshot_client::sent* snapshot_client::find(std::uint32_t tick) {
  if (tick == 0) return nullptr;
  auto& slot = ring_[tick % kSentRing];
  return slot.tick == tick ? &slot : nullptr;
}

void snapshot_client::acknowledge(std::uint32_t tick) {
  if (tick <= acked_tick_ || find(tick) == nullptr) return;
  acked_tick_ = tick;
}

bool snapshot_builder::relevant(const world_frame::entry& e, std::uint64_t user_id,
                                const std::optional<viewpoint>& view, bool held, float& distance_factor) const {
  distance_factor = 1.0f;
  if (e.where.only_for_user != 0 && e.where.only_for_user != user_id) return false;
  if (e.where.always || !view || view->radius <= 0) return true;
  const float dx = e.where.x - view->x;
  const float dy = e.where.y - view->y;
  const float distance = std::sqrt(dx * dx + dy * dy);
  const float limit = held ? view->radius * kLeaveMargin : view->radius;
  if (!(distance <= limit)) return false;  // NaN positions are out of view
  distance_factor = 1.0f - 0.75f * std::min(1.0f, distance / view->radius);
  return true;
}

snapshot_builder::built snapshot_builder::build(const world_frame& frame, std::uint32_t tick, snapshot_client& client,
                                                std::uint64_t user_id, const std::optional<viewpoint>& view,
                                                std::vector<std::uint8_t>& out) {
  auto* base = client.find(client.acked_tick_);
  if (base && tick - base->tick >= snapshot_client::kSentRing) base = nullptr;
  const snap::entity_set& baseline = base ? base->known : empty_;

  const std::size_t held_in_view = collect(frame, baseline, client, user_id, view);
  const auto [sent, left_out] = choose(frame, baseline.size() - held_in_view, client);

  // What the client will hold after this snapshot: this tick's values for what was chosen, its old values for
  // what waits, nothing for what left its view.
  auto& slot = client.ring_[tick % snapshot_client::kSentRing];
  slot.tick = tick;
  slot.known.clear();
  for (std::size_t i = 0; i < frame.size(); ++i) {
    const auto& e = frame.at(i);
    if (chosen_[i] == kSendNew) {
      slot.known.add(e.id, e.type, frame.fields(e));
    } else if (chosen_[i] == kKeepHeld) {
      slot.known.add(e.id, e.type, baseline.fields(*baseline.find(e.id)));
    }
  }
  const std::size_t bytes = snap::encode_delta(frame.schema(), baseline, slot.known, out);
  return built{base ? base->tick : 0, bytes, sent, left_out};
}

std::size_t snapshot_builder::collect(const world_frame& frame, const snap::entity_set& baseline,
                                      snapshot_client& client, std::uint64_t user_id,
                                      const std::optional<viewpoint>& view) {
  pending_.clear();
  chosen_.assign(frame.size(), kSkip);
  next_priority_.clear();
  auto before = client.priority_.begin();  // both sorted by id: one merge pass
  std::size_t held_in_view = 0;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    const auto& e = frame.at(i);
    const auto* held = baseline.find(e.id);
    if (held && held->type != e.type) held = nullptr;  // the id was reused for another type: a create
    float distance_factor = 1.0f;
    if (!relevant(e, user_id, view, held != nullptr, distance_factor)) continue;
    const auto& specs = frame.schema().types[e.type].fields;
    const auto now = frame.fields(e);
    std::size_t bits = kEntityOverheadBits;
    float weight = (e.where.priority > 0 ? e.where.priority : 0.01f) * distance_factor;
    if (held) {
      ++held_in_view;
      chosen_[i] = kKeepHeld;
      const auto before = baseline.fields(*held);
      std::size_t changed = 0;
      for (std::size_t f = 0; f < now.size(); ++f) {
        if (now[f] == before[f]) continue;
        ++changed;
        bits += snap::wire_bits(specs[f]);
      }
      if (changed == 0) continue;  // the client holds it as it is: costs nothing
      bits += now.size();  // the field mask
      weight *= 1.0f + static_cast<float>(changed) / static_cast<float>(now.size());
    } else {
      for (const auto& spec : specs) bits += snap::wire_bits(spec);
      weight *= kEnterBoost;
    }
    while (before != client.priority_.end() && before->id < e.id) ++before;
    const float waited = before != client.priority_.end() && before->id == e.id ? before->priority : 0.0f;
    pending_.push_back({i, held, bits, next_priority_.size()});
    next_priority_.push_back({e.id, waited + weight});
  }
  return held_in_view;
}

std::pair<std::size_t, std::size_t> snapshot_builder::choose(const world_frame& frame, std::size_t removals,
                                                             snapshot_client& client) {
  // Highest accumulated priority first; ids break ties so the order does not depend on the hash map.
  std::sort(pending_.begin(), pending_.end(), [&](const pending& a, const pending& b) {
    const float pa = next_priority_[a.waiting_index].priority, pb = next_priority_[b.waiting_index].priority;
    if (pa != pb) return pa > pb;
    return frame.at(a.frame_index).id < frame.at(b.frame_index).id;
  });
  std::size_t used = kEndMarkerBits + removals * kRemovalBits;
  std::size_t sent = 0, left_out = 0;
  for (const auto& p : pending_) {
    // The first one goes even over budget: an entity larger than the whole budget must not starve forever.
    if (used + p.estimated_bits > budget_bits_ && sent > 0) {
      ++left_out;
      continue;
    }
    used += p.estimated_bits;
    ++sent;
    chosen_[p.frame_index] = kSendNew;
    next_priority_[p.waiting_index].priority = 0;
  }
  // What was sent starts again from zero; what waits keeps its accumulation (still in id order).
  std::erase_if(next_priority_, [](const snapshot_client::waiting& w) { return w.priority == 0; });
  client.priority_.swap(next_priority_);
  return {sent, left_out};
}

}  // namespace guildhall::services
