#include "client/sdk/snapshot_intake.hpp"

#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::client::sdk {
namespace snapshot = wire::snapshot;

void snapshot_intake::reset(world_schema schema) {
  schema_ = std::move(schema);
  kept_.clear();
  newest_tick_ = 0;
}

std::expected<const snapshot::entity_set*, std::string> snapshot_intake::decode(std::uint32_t tick,
                                                                                std::uint32_t baseline_tick,
                                                                                std::span<const std::uint8_t> bytes) {
  if (tick <= newest_tick_) return std::unexpected("snapshot of tick " + std::to_string(tick) + " is stale");
  const snapshot::entity_set* baseline = &empty_;
  if (baseline_tick != 0) {
    baseline = nullptr;
    for (const auto& world : kept_) {
      if (world.tick == baseline_tick) baseline = &world.world;
    }
    if (!baseline) {
      return std::unexpected("snapshot against tick " + std::to_string(baseline_tick) + ", which this client lacks");
    }
  }
  // Reuse the oldest world's storage once enough are kept, unless it is the baseline (then it goes below).
  kept next;
  if (kept_.size() >= kKeptSnapshots && baseline != &kept_.front().world) {
    next = std::move(kept_.front());
    kept_.pop_front();
  }
  if (const auto decoded = snapshot::decode_delta(schema_, *baseline, bytes, next.world); !decoded) {
    return std::unexpected("undecodable snapshot: " + std::string(snapshot::to_string(decoded.error())));
  }
  next.tick = tick;
  kept_.push_back(std::move(next));  // a deque keeps references to the others valid
  while (kept_.size() > kKeptSnapshots) kept_.pop_front();
  newest_tick_ = tick;
  return &kept_.back().world;
}

void ack_schedule::reset(std::uint32_t tick_hz) {
  constexpr std::uint32_t kUnknownHz = 30;
  period_ = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(1.0 / (tick_hz ? tick_hz : kUnknownHz)));
  waiting_since_.reset();
}

bool ack_schedule::due(bool waiting, clock::time_point now) {
  if (!waiting) {
    waiting_since_.reset();
    return false;
  }
  if (!waiting_since_) waiting_since_ = now;
  if (now - *waiting_since_ < period_) return false;
  waiting_since_.reset();
  return true;
}

}  // namespace guildhall::client::sdk
