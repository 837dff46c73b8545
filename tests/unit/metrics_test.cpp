// The metrics registry: per-thread slots summed on scrape, and the Prometheus text format.
#include "base/metrics.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

namespace guildhall::metrics {
namespace {

TEST(Metrics, CountersAddUpAcrossThreads) {
  registry metrics;
  auto& frames = metrics.add_counter("test_frames_total", "Frames.", {{"transport", {"tcp", "websocket"}}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&frames, t] {
      for (int i = 0; i < 10'000; ++i) frames.add(static_cast<std::size_t>(t % 2));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(frames.value(0), 20'000u);
  EXPECT_EQ(frames.value(1), 20'000u);
}

TEST(Metrics, AGaugeIsTheSumOfDeltasFromAnyThread) {
  registry metrics;
  auto& open = metrics.add_gauge("test_open", "Open things.");
  std::thread opener([&open] {
    for (int i = 0; i < 5; ++i) open.add(0, +1);
  });
  opener.join();
  std::thread closer([&open] { open.add(0, -2); });
  closer.join();
  EXPECT_EQ(open.value(), 3);
  open.add(0, -4);
  EXPECT_EQ(open.value(), -1);
  EXPECT_NE(metrics.write_text().find("test_open -1\n"), std::string::npos);
}

// Threads come and go (bot threads, servers started by tests): a slot given back is reused, and what the thread
// before counted is kept.
TEST(Metrics, SlotsOfExitedThreadsAreReusedWithoutLosingCounts) {
  registry metrics;
  auto& events = metrics.add_counter("test_events_total", "Events.");
  for (std::size_t i = 0; i < kMaxSlots + 50; ++i) std::thread([&events] { events.add(); }).join();
  EXPECT_EQ(events.value(), kMaxSlots + 50);
}

// Past kMaxSlots live threads, the rest share the overflow slot, which must still count exactly.
TEST(Metrics, MoreLiveThreadsThanSlotsStillCountExactly) {
  registry metrics;
  auto& events = metrics.add_counter("test_crowd_total", "Events.");
  const std::size_t threads = kMaxSlots + 20;
  std::latch all_hold_a_slot(static_cast<std::ptrdiff_t>(threads));
  std::vector<std::thread> crowd;
  for (std::size_t t = 0; t < threads; ++t) {
    crowd.emplace_back([&] {
      events.add();  // takes a slot (or the overflow one) and keeps it while the thread lives
      all_hold_a_slot.arrive_and_wait();
      for (int i = 0; i < 100; ++i) events.add();
    });
  }
  for (auto& thread : crowd) thread.join();
  EXPECT_EQ(events.value(), threads * 101);
}

TEST(Metrics, HistogramsAreCumulativeWithSumAndCountInTheBaseUnit) {
  registry metrics;
  auto& latency = metrics.add_histogram("test_commit_seconds", "Commit time.", {1'000, 10'000}, 1e6);
  latency.observe(0, 500);     // <= 1 ms
  latency.observe(0, 1'000);   // on the bound: counts in le="0.001"
  latency.observe(0, 7'000);   // <= 10 ms
  latency.observe(0, 50'000);  // +Inf
  EXPECT_EQ(latency.count(), 4u);
  EXPECT_EQ(latency.sum(), 58'500u);
  EXPECT_EQ(metrics.write_text(),
            "# HELP test_commit_seconds Commit time.\n"
            "# TYPE test_commit_seconds histogram\n"
            "test_commit_seconds_bucket{le=\"0.001\"} 2\n"
            "test_commit_seconds_bucket{le=\"0.01\"} 3\n"
            "test_commit_seconds_bucket{le=\"+Inf\"} 4\n"
            "test_commit_seconds_sum 0.0585\n"
            "test_commit_seconds_count 4\n");
}

TEST(Metrics, TextFormatPrintsEverySeriesOfOneLabelAndOnlyTouchedSeriesOfSeveral) {
  registry metrics;
  auto& accepted = metrics.add_counter("test_accepted_total", "Accepted \\ connections\nby transport.",
                                       {{"transport", {"tcp", "web\"socket"}}});
  auto& closed = metrics.add_counter("test_closed_total", "Closed.",
                                     {{"transport", {"tcp", "websocket"}}, {"reason", {"peer", "idle_timeout"}}});
  accepted.add(0, 3);
  closed.add(closed.series({1, 1}), 2);
  EXPECT_EQ(metrics.write_text(),
            "# HELP test_accepted_total Accepted \\\\ connections\\nby transport.\n"
            "# TYPE test_accepted_total counter\n"
            "test_accepted_total{transport=\"tcp\"} 3\n"
            "test_accepted_total{transport=\"web\\\"socket\"} 0\n"
            "# HELP test_closed_total Closed.\n"
            "# TYPE test_closed_total counter\n"
            "test_closed_total{transport=\"websocket\",reason=\"idle_timeout\"} 2\n");
}

TEST(Metrics, LabelledHistogramsPutLeLast) {
  registry metrics;
  auto& think = metrics.add_histogram("test_think_seconds", "Think.", {100}, 1e3, {{"game", {"chess"}}});
  think.observe(0, 40);
  const std::string text = metrics.write_text();
  EXPECT_NE(text.find("test_think_seconds_bucket{game=\"chess\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("test_think_seconds_sum{game=\"chess\"} 0.04\n"), std::string::npos) << text;
}

TEST(Metrics, BadNamesAndDuplicatesAreProgrammerErrors) {
  registry metrics;
  metrics.add_counter("test_once_total", "Once.");
  EXPECT_THROW(metrics.add_counter("test_once_total", "Twice."), std::logic_error);
  EXPECT_THROW(metrics.add_gauge("9lives", "Bad name."), std::logic_error);
  EXPECT_THROW(metrics.add_gauge("test_dash", "Bad label.", {{"bad-label", {"x"}}}), std::logic_error);
  EXPECT_THROW(metrics.add_histogram("test_h", "le is reserved.", {1}, 1, {{"le", {"x"}}}), std::logic_error);
  EXPECT_THROW(metrics.add_histogram("test_unsorted", "Unsorted.", {5, 1}, 1), std::logic_error);
}

}  // namespace
}  // namespace guildhall::metrics
