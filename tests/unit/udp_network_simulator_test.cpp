// The seeded impairment layer (src/wire/udp/network_simulator.hpp): deterministic for a seed, and its
// statistics match its configuration.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "wire/udp/network_simulator.hpp"

namespace {

using namespace guildhall::wire::udp;
using address = std::array<std::uint8_t, 4>;

struct delivery {
  std::uint64_t at;
  address to;
  std::vector<std::uint8_t> bytes;
  bool operator==(const delivery&) const = default;
};

// Submits `count` packets, one per ms, to two destinations; runs the clock until all due ones are out.
std::vector<delivery> run(const impairment_config& config, int count) {
  network_simulator<address> sim(config);
  std::vector<delivery> out;
  auto collect = [&](std::uint64_t now) {
    sim.deliver_due(now, [&](const address& to, std::span<const std::uint8_t> bytes) {
      out.push_back({now, to, {bytes.begin(), bytes.end()}});
    });
  };
  for (int i = 0; i < count; ++i) {
    const std::uint8_t payload[] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
    sim.submit(payload, address{10, 0, 0, static_cast<std::uint8_t>(i % 2)}, static_cast<std::uint64_t>(i));
    collect(static_cast<std::uint64_t>(i));
  }
  for (std::uint64_t t = count; t < static_cast<std::uint64_t>(count) + 20000; ++t) collect(t);
  return out;
}

int index_of(const delivery& d) { return d.bytes[0] | (d.bytes[1] << 8); }

impairment_config everything(std::uint64_t seed) {
  impairment_config config;
  config.latency_ms = 50;
  config.jitter_ms = 10;
  config.loss_percent = 10;
  config.duplicate_percent = 5;
  config.reorder_percent = 5;
  config.seed = seed;
  return config;
}

TEST(UdpNetworkSimulator, DeterministicForASeed) {
  const auto first = run(everything(42), 2000);
  EXPECT_EQ(first, run(everything(42), 2000));
  EXPECT_NE(first, run(everything(43), 2000));
}

TEST(UdpNetworkSimulator, StatisticsMatchTheConfiguration) {
  network_simulator<address> sim(everything(7));
  const std::uint8_t payload[] = {1, 2, 3};
  for (int i = 0; i < 10000; ++i) sim.submit(payload, address{}, 0);
  const auto& stats = sim.stats();
  EXPECT_EQ(stats.submitted, 10000u);
  // Three standard deviations: sqrt(10000 * 0.1 * 0.9) = 30; duplicates and reorders of the 9,000 kept.
  EXPECT_NEAR(static_cast<double>(stats.dropped_loss), 1000, 90);
  EXPECT_NEAR(static_cast<double>(stats.duplicated), 450, 63);
  EXPECT_NEAR(static_cast<double>(stats.reordered), 0.05 * (10000 - stats.dropped_loss + stats.duplicated), 66);
  std::size_t delivered = 0;
  sim.deliver_due(1000, [&](const address&, std::span<const std::uint8_t>) { ++delivered; });
  EXPECT_EQ(delivered, 10000 - stats.dropped_loss + stats.duplicated);
  EXPECT_EQ(sim.queued_packets(), 0u);
}

TEST(UdpNetworkSimulator, LatencyJitterAndRouting) {
  impairment_config config;
  config.latency_ms = 50;
  config.jitter_ms = 10;
  const auto out = run(config, 1000);
  ASSERT_EQ(out.size(), 1000u);
  bool overtaken = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int sent = index_of(out[i]);
    EXPECT_GE(out[i].at, static_cast<std::uint64_t>(sent + 40));
    EXPECT_LE(out[i].at, static_cast<std::uint64_t>(sent + 60));
    EXPECT_EQ(out[i].to[3], sent % 2);  // each packet keeps its destination
    if (i > 0 && sent < index_of(out[i - 1])) overtaken = true;
  }
  EXPECT_TRUE(overtaken);  // 20 ms of jitter on 1 ms spacing reorders
}

TEST(UdpNetworkSimulator, ReorderHoldsPacketsBack) {
  impairment_config config;
  config.latency_ms = 20;
  config.reorder_percent = 10;
  config.reorder_delay_ms = 30;
  const auto out = run(config, 1000);
  ASSERT_EQ(out.size(), 1000u);
  int late = 0;
  for (std::size_t i = 1; i < out.size(); ++i) late += index_of(out[i]) < index_of(out[i - 1]);
  EXPECT_GT(late, 50);
  // Without jitter or reordering, order is kept exactly.
  config.reorder_percent = 0;
  const auto in_order = run(config, 1000);
  for (std::size_t i = 0; i < in_order.size(); ++i) EXPECT_EQ(index_of(in_order[i]), static_cast<int>(i));
}

TEST(UdpNetworkSimulator, BandwidthCapQueuesThenDrops) {
  impairment_config config;
  config.bandwidth_kbps = 100;  // 12.5 bytes per ms: a 1250-byte packet takes 100 ms
  config.max_queue_packets = 5;
  network_simulator<address> sim(config);
  const std::vector<std::uint8_t> packet(1250, 0);
  for (int i = 0; i < 8; ++i) sim.submit(packet, address{}, 0);
  EXPECT_EQ(sim.stats().dropped_queue_full, 3u);
  EXPECT_EQ(sim.stats().delayed_by_bandwidth, 7u);  // the first went at once; the 3 dropped had waited too
  std::vector<std::uint64_t> times;
  for (std::uint64_t t = 0; t <= 600; ++t) {
    sim.deliver_due(t, [&](const address&, std::span<const std::uint8_t>) { times.push_back(t); });
  }
  EXPECT_EQ(times, (std::vector<std::uint64_t>{100, 200, 300, 400, 500}));
}

TEST(UdpNetworkSimulator, ConfigValidation) {
  impairment_config config;
  EXPECT_TRUE(config.validate());
  EXPECT_FALSE(config.active());
  config.loss_percent = 150;
  EXPECT_FALSE(config.validate());
  config = {};
  config.latency_ms = 50;
  EXPECT_TRUE(config.active());
  config.max_queue_packets = 0;
  EXPECT_FALSE(config.validate());
}

}  // namespace
