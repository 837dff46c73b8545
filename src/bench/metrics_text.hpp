#pragma once
// Reading the server's GET /metrics (Prometheus text format) for the benchmarks: counters by their series text and
// a quantile of a histogram over a measured window (two scrapes). Pure functions over text; safe from any thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::bench {

// Each sample line's value by its series as written ("guildhall_room_ticks_total",
// "guildhall_room_tick_seconds_bucket{le=\"0.001\"}"). Comments, blank lines and lines whose value does not
// parse are skipped; the text comes from the server under test, but a bench must not crash on a surprise.
using metrics_samples = std::map<std::string, double, std::less<>>;
metrics_samples parse_metrics_text(std::string_view text);

// The series' value, or 0 when the scrape does not have it (a counter nobody has touched yet).
double sample_or_zero(const metrics_samples& samples, std::string_view series);

// One cumulative bucket of an unlabelled histogram: observations <= upper_bound (+Inf for the last).
struct histogram_bucket {
  double upper_bound = 0;
  double cumulative = 0;
};

// The buckets of histogram `name` (its `name_bucket{le="..."}` series), sorted by bound; empty if absent.
std::vector<histogram_bucket> histogram_buckets(const metrics_samples& samples, std::string_view name);

// after - before, bucket by bucket (the observations made between two scrapes); `before` may be empty.
std::vector<histogram_bucket> bucket_delta(const std::vector<histogram_bucket>& before,
                                           const std::vector<histogram_bucket>& after);

// The q-quantile (0..1) as Prometheus's histogram_quantile() computes it: linear within the bucket it falls in,
// the lower bound of the first bucket taken as 0, and the highest finite bound when it falls in +Inf. 0 for no
// observations. So it is an estimate only as fine as the buckets.
double histogram_quantile(const std::vector<histogram_bucket>& buckets, double q);

}  // namespace guildhall::bench
