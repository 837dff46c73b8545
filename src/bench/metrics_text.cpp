#include "bench/metrics_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace guildhall::bench {
namespace {

std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

metrics_samples parse_metrics_text(std::string_view text) {
  metrics_samples out;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    // The value follows the last space (label values may hold spaces; the value never does). An optional
    // timestamp is not written by our server and would fail to parse here, so such a line is skipped.
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0) continue;
    const auto value = parse_value(line.substr(space + 1));
    if (!value) continue;
    out.insert_or_assign(std::string(line.substr(0, space)), *value);
  }
  return out;
}

double sample_or_zero(const metrics_samples& samples, std::string_view series) {
  const auto found = samples.find(series);
  return found == samples.end() ? 0 : found->second;
}

std::vector<histogram_bucket> histogram_buckets(const metrics_samples& samples, std::string_view name) {
  const std::string prefix = std::string(name) + "_bucket{le=\"";
  std::vector<histogram_bucket> out;
  for (auto it = samples.lower_bound(prefix); it != samples.end() && it->first.starts_with(prefix); ++it) {
    std::string_view bound = std::string_view(it->first).substr(prefix.size());
    if (!bound.ends_with("\"}")) continue;  // another label besides le: not an unlabelled histogram
    bound.remove_suffix(2);
    if (const auto value = parse_value(bound)) out.push_back({*value, it->second});
  }
  std::ranges::sort(out, {}, &histogram_bucket::upper_bound);
  return out;
}

std::vector<histogram_bucket> bucket_delta(const std::vector<histogram_bucket>& before,
                                           const std::vector<histogram_bucket>& after) {
  std::vector<histogram_bucket> out = after;
  for (auto& bucket : out) {
    const auto old = std::ranges::find(before, bucket.upper_bound, &histogram_bucket::upper_bound);
    if (old != before.end()) bucket.cumulative -= old->cumulative;
  }
  return out;
}

double histogram_quantile(const std::vector<histogram_bucket>& buckets, double q) {
  if (buckets.empty()) return 0;
  const double total = buckets.back().cumulative;
  if (total <= 0) return 0;
  const double rank = std::clamp(q, 0.0, 1.0) * total;
  double lower = 0, below = 0;
  for (const auto& bucket : buckets) {
    if (bucket.cumulative >= rank) {
      if (std::isinf(bucket.upper_bound)) return lower;  // past every finite bound: the largest one is all we know
      const double in_bucket = bucket.cumulative - below;
      return in_bucket <= 0 ? bucket.upper_bound : lower + (bucket.upper_bound - lower) * (rank - below) / in_bucket;
    }
    lower = bucket.upper_bound;
    below = bucket.cumulative;
  }
  return lower;
}

}  // namespace guildhall::bench
