#pragma once
// Latency percentiles for the load generators.
#include <algorithm>
#include <vector>

namespace guildhall::bench {

// The value below which `fraction` of `values` lie (nearest rank); 0 for none. Reorders `values`.
inline double percentile(std::vector<double>& values, double fraction) {
  if (values.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
  return values[index];
}

}  // namespace guildhall::bench
