// The non-template parts of include/guildhall/client/prediction.hpp.
#include "guildhall/client/prediction.hpp"

#include <cmath>

namespace guildhall::client {

namespace {
// Below this share of a correction the ghost is dropped: 1% of a 4-unit snap is 0.04 units, under a pixel.
constexpr double kNegligibleWeight = 0.01;
}  // namespace

std::optional<std::string> prediction_config::validate() const {
  if (!(smoothing_ms >= 0) || !std::isfinite(smoothing_ms)) return "smoothing_ms must be a finite number >= 0";
  if (!(snap_distance >= 0) || !std::isfinite(snap_distance)) return "snap_distance must be a finite number >= 0";
  if (!(reconcile_epsilon >= 0) || !std::isfinite(reconcile_epsilon)) {
    return "reconcile_epsilon must be a finite number >= 0";
  }
  if (max_pending_inputs < 1 || max_pending_inputs > kMaxPendingInputs) {
    return "max_pending_inputs must be in 1.." + std::to_string(kMaxPendingInputs);
  }
  return std::nullopt;
}

namespace detail {

double smoothing_weight(double elapsed_ms, double time_constant_ms) {
  if (time_constant_ms <= 0) return 0;
  const double weight = std::exp(-std::max(0.0, elapsed_ms) / time_constant_ms);
  return weight < kNegligibleWeight ? 0 : weight;
}

}  // namespace detail

}  // namespace guildhall::client
