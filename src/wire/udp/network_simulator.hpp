#pragma once
// A seeded impairment layer (netcode.io's network simulator, grown): packets submitted now come out later, or
// twice, or never, as a bad network would deliver them. The transport puts one between its packet writer and the
// socket (server and client, `--set udp.sim_*`) so a game can be tried on a bad network from a desk, and tests put
// one between two endpoints so a lossy run is a deterministic millisecond test.
//
// Per packet, in this order: the queue cap (packets, bytes) drops it; loss_percent drops it; the bandwidth cap
// delays it behind earlier packets (serialisation at bandwidth_kbps); latency_ms +- jitter_ms is added;
// reorder_percent holds it back a further 1..reorder_delay_ms so later packets overtake it; duplicate_percent
// delivers a second copy with its own jitter. Same seed and same calls: same deliveries.
//
// Generic over a trivially copyable destination tag (a peer address on the server, an empty struct on the client)
// so the transport can route a packet when it comes due. Time: milliseconds, passed in, never decreasing.
// Thread-safety: none; one per transport shard.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <utility>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

#include "base/result.hpp"

namespace guildhall::wire::udp {

struct impairment_config {
  std::uint32_t latency_ms = 0;      // one-way delay added to every packet (half the RTT you want)
  std::uint32_t jitter_ms = 0;       // +- uniform random on top of latency, per packet (can reorder by itself)
  double loss_percent = 0;           // 0..100: packets dropped at random
  double duplicate_percent = 0;      // 0..100: packets delivered twice
  double reorder_percent = 0;        // 0..100: packets held back a further 1..reorder_delay_ms
  std::uint32_t reorder_delay_ms = 50;
  std::uint32_t bandwidth_kbps = 0;  // 0: unlimited; otherwise packets queue behind each other at this rate
  std::size_t max_queue_packets = 10000;          // past either cap a packet is dropped (a router's full buffer)
  std::size_t max_queue_bytes = 8 * 1024 * 1024;
  std::uint64_t seed = 1;            // same seed, same impairments

  // True when any impairment is on (the transport skips the simulator otherwise).
  bool active() const {
    return latency_ms > 0 || jitter_ms > 0 || loss_percent > 0 || duplicate_percent > 0 || reorder_percent > 0 ||
           bandwidth_kbps > 0;
  }
  result<void> validate() const;
};

struct simulator_stats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t dropped_loss = 0;        // loss_percent
  std::uint64_t dropped_queue_full = 0;  // max_queue_packets / max_queue_bytes
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;           // held back by reorder_percent
  std::uint64_t delayed_by_bandwidth = 0;  // waited behind earlier packets for the bandwidth cap
};

template <class Tag>
  requires std::is_trivially_copyable_v<Tag>
class network_simulator {
 public:
  explicit network_simulator(const impairment_config& config) : config_(config), random_(config.seed) {}

  // Changes the impairments from now on (packets already queued keep their delivery times); the seed is kept.
  void reconfigure(const impairment_config& config) {
    const auto seed = config_.seed;
    config_ = config;
    config_.seed = seed;
  }
  const impairment_config& config() const { return config_; }

  void submit(std::span<const std::uint8_t> bytes, const Tag& tag, std::uint64_t now_ms) {
    ++stats_.submitted;
    if (chance(config_.loss_percent)) {
      ++stats_.dropped_loss;
      return;
    }
    double departure = static_cast<double>(now_ms);
    if (config_.bandwidth_kbps > 0) {
      if (link_free_ms_ > departure) ++stats_.delayed_by_bandwidth;
      departure = std::max(departure, link_free_ms_) + static_cast<double>(bytes.size()) * 8.0 / config_.bandwidth_kbps;
      if (!enqueue(bytes, tag, departure, now_ms)) return;
      link_free_ms_ = departure;
    } else if (!enqueue(bytes, tag, departure, now_ms)) {
      return;
    }
    if (chance(config_.duplicate_percent)) {
      ++stats_.duplicated;
      enqueue(bytes, tag, departure, now_ms);
    }
  }

  // Calls f(const Tag&, std::span<const std::uint8_t>) for each packet due at now_ms, earliest first (submission
  // order breaks ties). The span is valid during the call; f may submit() more packets.
  template <class F>
  void deliver_due(std::uint64_t now_ms, F&& f) {
    while (!queue_.empty() && queue_.top().deliver_ms <= static_cast<double>(now_ms)) {
      // Moving the bytes out of the top leaves its ordering keys intact for pop().
      entry next = std::move(const_cast<entry&>(queue_.top()));
      queue_.pop();
      queued_bytes_ -= next.bytes.size();
      ++stats_.delivered;
      f(static_cast<const Tag&>(next.tag), std::span<const std::uint8_t>(next.bytes));
    }
  }

  const simulator_stats& stats() const { return stats_; }
  std::size_t queued_packets() const { return queue_.size(); }
  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  struct entry {
    double deliver_ms;
    std::uint64_t order;
    Tag tag;
    std::vector<std::uint8_t> bytes;
  };
  struct later {
    bool operator()(const entry& a, const entry& b) const {
      return a.deliver_ms != b.deliver_ms ? a.deliver_ms > b.deliver_ms : a.order > b.order;
    }
  };

  // Uniform in [0, 1) from the top 53 bits: the same on every standard library, unlike the distributions.
  double uniform() { return static_cast<double>(random_() >> 11) * 0x1.0p-53; }
  bool chance(double percent) { return percent > 0 && uniform() * 100.0 < percent; }

  bool enqueue(std::span<const std::uint8_t> bytes, const Tag& tag, double departure, std::uint64_t) {
    if (queue_.size() >= config_.max_queue_packets || queued_bytes_ + bytes.size() > config_.max_queue_bytes) {
      ++stats_.dropped_queue_full;
      return false;
    }
    double deliver = departure + config_.latency_ms;
    if (config_.jitter_ms > 0) deliver += (uniform() * 2.0 - 1.0) * config_.jitter_ms;
    if (chance(config_.reorder_percent)) {
      ++stats_.reordered;
      deliver += 1.0 + uniform() * std::max<double>(config_.reorder_delay_ms - 1.0, 0.0);
    }
    queue_.push(entry{std::max(deliver, departure), order_++, tag, {bytes.begin(), bytes.end()}});
    queued_bytes_ += bytes.size();
    return true;
  }

  impairment_config config_;
  std::mt19937_64 random_;
  std::priority_queue<entry, std::vector<entry>, later> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t order_ = 0;
  double link_free_ms_ = 0;  // when the simulated link finishes sending what it has (bandwidth cap)
  simulator_stats stats_;
};

}  // namespace guildhall::wire::udp
