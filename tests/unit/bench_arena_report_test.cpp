// The arena benchmark's pure helpers: reading the server's /metrics text (counters, the tick time histogram and its
// p99 over a window) and the JSON line it prints.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bench/arena_report.hpp"
#include "bench/metrics_text.hpp"

namespace guildhall::bench {
namespace {

// The shape our server writes (base/metrics.cpp): HELP and TYPE comments, cumulative buckets with le in seconds.
constexpr std::string_view kScrape =
    "# HELP guildhall_room_ticks_total Room ticks run.\n"
    "# TYPE guildhall_room_ticks_total counter\n"
    "guildhall_room_ticks_total 1200\n"
    "guildhall_room_tick_seconds_bucket{le=\"1e-05\"} 0\n"
    "guildhall_room_tick_seconds_bucket{le=\"2.5e-05\"} 100\n"
    "guildhall_room_tick_seconds_bucket{le=\"5e-05\"} 990\n"
    "guildhall_room_tick_seconds_bucket{le=\"0.0001\"} 1000\n"
    "guildhall_room_tick_seconds_bucket{le=\"+Inf\"} 1000\n"
    "guildhall_room_tick_seconds_sum 0.04\n"
    "guildhall_room_tick_seconds_count 1000\n"
    "guildhall_room_inputs_dropped_total{reason=\"duplicate\"} 7\n"
    "not a sample\n"
    "bad_value abc\n";

TEST(BenchMetricsText, SamplesAreKeyedByTheirSeriesAndJunkIsSkipped) {
  const auto samples = parse_metrics_text(kScrape);
  EXPECT_EQ(sample_or_zero(samples, "guildhall_room_ticks_total"), 1200);
  EXPECT_EQ(sample_or_zero(samples, "guildhall_room_inputs_dropped_total{reason=\"duplicate\"}"), 7);
  EXPECT_EQ(sample_or_zero(samples, "guildhall_room_late_ticks_total"), 0);  // absent: never touched
  EXPECT_FALSE(samples.contains("bad_value"));
  EXPECT_FALSE(samples.contains("not a"));
  EXPECT_TRUE(parse_metrics_text("").empty());
}

TEST(BenchMetricsText, HistogramBucketsComeSortedByBound) {
  const auto buckets = histogram_buckets(parse_metrics_text(kScrape), "guildhall_room_tick_seconds");
  ASSERT_EQ(buckets.size(), 5u);
  EXPECT_DOUBLE_EQ(buckets[0].upper_bound, 1e-5);
  EXPECT_DOUBLE_EQ(buckets[3].upper_bound, 1e-4);
  EXPECT_TRUE(std::isinf(buckets[4].upper_bound));
  EXPECT_EQ(buckets[4].cumulative, 1000);
  EXPECT_TRUE(histogram_buckets(parse_metrics_text(kScrape), "guildhall_nothing").empty());
}

TEST(BenchMetricsText, QuantileInterpolatesWithinItsBucketAsPrometheusDoes) {
  const auto buckets = histogram_buckets(parse_metrics_text(kScrape), "guildhall_room_tick_seconds");
  // Rank 990 of 1000 is the top of the 25..50 µs bucket; the median is 400/890 of the way through it.
  EXPECT_NEAR(histogram_quantile(buckets, 0.99), 50e-6, 1e-12);
  EXPECT_NEAR(histogram_quantile(buckets, 0.5), 25e-6 + 25e-6 * 400 / 890, 1e-12);
  // Rank 50 falls in the 10..25 µs bucket, whose lower bound is the previous bucket's.
  EXPECT_NEAR(histogram_quantile(buckets, 0.05), 10e-6 + 15e-6 * 50 / 100, 1e-12);
  EXPECT_EQ(histogram_quantile({}, 0.99), 0);
  EXPECT_EQ(histogram_quantile({{1, 0}, {std::numeric_limits<double>::infinity(), 0}}, 0.99), 0);
}

TEST(BenchMetricsText, AQuantilePastEveryFiniteBoundIsTheLargestBound) {
  const std::vector<histogram_bucket> slow = {{0.001, 1}, {0.01, 2}, {std::numeric_limits<double>::infinity(), 100}};
  EXPECT_DOUBLE_EQ(histogram_quantile(slow, 0.99), 0.01);
}

TEST(BenchMetricsText, TheWindowIsTheDifferenceOfTwoScrapes) {
  const auto after = histogram_buckets(parse_metrics_text(kScrape), "guildhall_room_tick_seconds");
  const std::vector<histogram_bucket> before = {{1e-5, 0}, {2.5e-5, 100}, {5e-5, 100}, {1e-4, 100},
                                                {std::numeric_limits<double>::infinity(), 100}};
  const auto window = bucket_delta(before, after);
  ASSERT_EQ(window.size(), 5u);
  EXPECT_EQ(window[1].cumulative, 0);
  EXPECT_EQ(window[2].cumulative, 890);
  EXPECT_EQ(window[4].cumulative, 900);
  // The fast ticks before the window do not pull its p99 down.
  // Rank 891 of 900 is 1/10 into the 50..100 µs bucket.
  EXPECT_NEAR(histogram_quantile(window, 0.99), 55e-6, 1e-12);
  EXPECT_EQ(bucket_delta({}, after)[4].cumulative, 1000);
}

TEST(BenchArenaReport, FiguresArePerRoomTickAndPerPlayerSecond) {
  arena_report r;
  r.rooms = 10;
  r.players = 8;
  r.hz = 20;
  r.seconds = 10;
  r.room_ticks = 2000;
  r.room_ticks_counted = true;
  r.server_cpu_seconds = 0.05;
  r.server_user_seconds = 0.02;
  r.p99_tick_ms = 0.0425;
  r.late_ticks = 3;
  r.bytes_received = 1'600'000;
  r.server_rss_kb_added = 5000;
  r.snapshots = 16'000;
  EXPECT_DOUBLE_EQ(r.cpu_us_per_room_tick(), 25);
  EXPECT_DOUBLE_EQ(r.user_us_per_room_tick(), 10);
  EXPECT_DOUBLE_EQ(r.bytes_per_player_per_s(), 2000);
  EXPECT_DOUBLE_EQ(r.rss_kb_per_room(), 500);
  EXPECT_EQ(format_arena_line(r),
            "{\"server\":\"guildhall\",\"scenario\":\"arena\",\"transport\":\"websocket\",\"rooms\":10,\"players\":8,"
            "\"hz\":20,\"seconds\":10,\"server_cpu_us_per_room_tick\":25.00,\"server_user_us_per_room_tick\":10.00,"
            "\"p99_tick_ms\":0.043,\"late_ticks\":3,\"bytes_per_player_per_s\":2000.0,\"server_rss_kb_per_room\":500.0,"
            "\"room_ticks\":2000,\"room_ticks_from\":\"metrics\",\"snapshots_per_player_per_s\":20.00,"
            "\"decode_errors\":0,\"errors\":0,\"server_cpu_pct\":0.0,\"client_cpu_pct\":0.0,\"client_poll_pct\":0.0}\n");
}

TEST(BenchArenaReport, NothingMeasuredDividesByNothing) {
  const arena_report empty;
  EXPECT_EQ(empty.cpu_us_per_room_tick(), 0);
  EXPECT_EQ(empty.bytes_per_player_per_s(), 0);
  EXPECT_EQ(empty.rss_kb_per_room(), 0);
}

}  // namespace
}  // namespace guildhall::bench
